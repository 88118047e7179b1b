/**
 * The client's JSON control messages as the server deserializes them (protocol.md §2.2–§2.6):
 * `type` is matched exactly and case-sensitively; unknown extra keys are ignored; anything else is
 * a `SchemaError` whose description mimics Deepgram's ("Could not deserialize last text message: …").
 */
import * as E from 'fp-ts/lib/Either.js';

/** The client message types Deepgram accepts, in the order its error messages list them. */
export const CONTROL_TYPES = ['CloseStream', 'Configure', 'Sync', 'KeepAlive', 'Finalize'] as const;

/** A client control message the emulator understands. */
export type ControlMessage =
  | { readonly type: 'KeepAlive' }
  | { readonly type: 'CloseStream' }
  | { readonly type: 'Finalize'; readonly channel?: number }
  | { readonly type: 'Sync'; readonly id: number }
  | {
      readonly type: 'Configure';
      readonly keyterms?: readonly string[];
      readonly features?: Readonly<Record<string, unknown>>;
    };

const EXPECTED = CONTROL_TYPES.map((t) => `\`${t}\``).join(', ');

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'sequence';
  if (typeof value === 'object') return 'map';
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (typeof value === 'number')
    return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``;
  if (typeof value === 'boolean') return `boolean \`${value}\``;
  return typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUnsignedInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function fromObject(obj: Record<string, unknown>): E.Either<string, ControlMessage> {
  const type = obj['type'];
  if (type === undefined) return E.left('missing field `type`');
  if (typeof type !== 'string') return E.left(`invalid type: ${kindOf(type)}, expected variant identifier`);
  switch (type) {
    case 'KeepAlive':
    case 'CloseStream':
      return E.right({ type });
    case 'Finalize': {
      const channel = obj['channel'];
      if (channel === undefined || channel === null) return E.right({ type });
      if (!isUnsignedInteger(channel)) return E.left(`invalid type: ${kindOf(channel)}, expected u32`);
      return E.right({ type, channel });
    }
    case 'Sync': {
      const id = obj['id'];
      if (id === undefined) return E.left('missing field `id`');
      if (!isUnsignedInteger(id)) return E.left(`invalid type: ${kindOf(id)}, expected u64`);
      return E.right({ type, id });
    }
    case 'Configure': {
      const keyterms = obj['keyterms'];
      const features = obj['features'];
      if (keyterms !== undefined && keyterms !== null) {
        if (!Array.isArray(keyterms)) return E.left(`invalid type: ${kindOf(keyterms)}, expected a sequence`);
        const bad = (keyterms as unknown[]).find((k) => typeof k !== 'string');
        if (bad !== undefined) return E.left(`invalid type: ${kindOf(bad)}, expected a string`);
      }
      if (features !== undefined && features !== null && !isRecord(features)) {
        return E.left(`invalid type: ${kindOf(features)}, expected a map`);
      }
      return E.right({
        type,
        ...(Array.isArray(keyterms) ? { keyterms: keyterms as string[] } : {}),
        ...(isRecord(features) ? { features } : {}),
      });
    }
    default:
      return E.left(`unknown variant \`${type}\`, expected one of ${EXPECTED}`);
  }
}

/**
 * Parses a text frame as a control message, or returns the `SchemaError` description (the part
 * after "Could not deserialize last text message: ").
 */
export function parseControlMessage(text: string): E.Either<string, ControlMessage> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return E.left(error instanceof Error ? error.message : 'expected value');
  }
  if (!isRecord(value)) return E.left(`invalid type: ${kindOf(value)}, expected internally tagged enum`);
  return fromObject(value);
}

/** The `Error` message (variant `SchemaError`) answering a text frame that is not a valid control message. */
export function schemaError(
  description: string,
  offending: string,
): {
  type: 'Error';
  variant: 'SchemaError';
  description: string;
  message: string;
} {
  return {
    type: 'Error',
    variant: 'SchemaError',
    description: `Could not deserialize last text message: ${description}`,
    message: offending,
  };
}

/** Binary frames longer than this are never inspected for control JSON. */
const MAX_CONTROL_BYTES = 4096;
const OPEN_BRACE = 0x7b;

/**
 * The control type of a binary frame whose bytes are a valid control message (a client bug: Deepgram
 * feeds such bytes to the audio decoder), or undefined for ordinary audio.
 */
export function controlTypeOfBinary(bytes: Uint8Array): ControlMessage['type'] | undefined {
  if (bytes.length === 0 || bytes.length > MAX_CONTROL_BYTES) return undefined;
  let i = 0;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)
  )
    i++;
  if (bytes[i] !== OPEN_BRACE) return undefined;
  const parsed = parseControlMessage(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8'),
  );
  return E.isRight(parsed) ? parsed.right.type : undefined;
}
