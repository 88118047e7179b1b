/**
 * Decoding of the server's text frames into typed messages (protocol.md §3).
 */
import type * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { isRight, left, right } from './either';
import {
  Metadata,
  Results,
  ServerError,
  SpeechStarted,
  UtteranceEnd,
  type ServerMessage,
  type UnknownMessage,
} from './messages';
import { isResultsFast } from './resultsGuard';
import { describeFound, formatValidationErrors, foundPhrase } from './validationErrors';

/**
 * Why a text frame could not be decoded: the frame as received and readable error lines, each
 * `path: what was expected, what was found`, e.g.
 * `channel.alternatives.0.words: expected array, found string "x"`.
 */
export interface DecodeFailure {
  /** The text frame exactly as received. */
  readonly raw: string;
  /** One line per problem (at most 20, then a count of the rest). Never empty. */
  readonly errors: string[];
}

/** A message of a type deepgram-rx models (every member of `ServerMessage` except `UnknownMessage`). */
type ModelledMessage = Exclude<ServerMessage, UnknownMessage>;

interface MessageCodec {
  readonly is: (u: unknown) => u is ModelledMessage;
  readonly decode: (u: unknown) => t.Validation<ModelledMessage>;
}

/** `Results` with the hand-written guard as its fast path (see resultsGuard.ts). */
const ResultsCodec: MessageCodec = { is: isResultsFast, decode: (u) => Results.decode(u) };

/** The one codec for a wire `type`; a switch, so `"constructor"` or `"__proto__"` never match. */
function codecFor(type: string): MessageCodec | undefined {
  switch (type) {
    case 'Results':
      return ResultsCodec;
    case 'Metadata':
      return Metadata;
    case 'UtteranceEnd':
      return UtteranceEnd;
    case 'SpeechStarted':
      return SpeechStarted;
    case 'Error':
      return ServerError;
    default:
      return undefined;
  }
}

function fail(raw: string, errors: string[]): E.Either<DecodeFailure, ServerMessage> {
  return left({ raw, errors });
}

function decodeParsed(raw: string, value: unknown): E.Either<DecodeFailure, ServerMessage> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(raw, [`(root): expected object with a string "type", found ${describeFound(value)}`]);
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') {
    return fail(raw, [`type: expected string${foundPhrase(type)}`]);
  }
  const codec = codecFor(type);
  if (codec === undefined) {
    const unknownMessage: UnknownMessage = { type: 'Unknown', raw: value };
    return right(unknownMessage);
  }
  // Fast path: a type guard allocates nothing and accepts exactly what `decode` accepts for these
  // codecs (they transform nothing); only a failing message pays for the error report.
  if (codec.is(value)) return right(value);
  const decoded = codec.decode(value);
  if (isRight(decoded)) return decoded;
  return fail(raw, formatValidationErrors(decoded.left));
}

function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}

/**
 * Decodes one text frame from `/v1/listen` into a typed server message. Never throws.
 *
 * - `Results`, `Metadata`, `UtteranceEnd`, `SpeechStarted` and `Error` are checked against their
 *   codec (chosen by `type`; unknown extra fields are kept and tolerated).
 * - A JSON object whose string `type` is not modelled (e.g. `ConfigureSuccess`) gives
 *   `Right({ type: 'Unknown', raw })` with `raw` the parsed object.
 * - Malformed JSON, JSON that is not an object, an object without a string `type`, or a modelled
 *   message with wrong or missing fields give `Left(DecodeFailure)`. Every number of a modelled
 *   message must be finite: one written too large for a double (`1e999`) is a wrong field.
 *
 * @param text - the text frame as received
 * @returns the message, or a {@link DecodeFailure} with the frame and readable error paths
 * @example
 * ```ts
 * import { decodeServerMessage } from 'deepgram-rx';
 * import * as E from 'fp-ts/lib/Either.js';
 *
 * const decoded = decodeServerMessage('{"type":"SpeechStarted","channel":[0,1],"timestamp":9.54}');
 * if (E.isRight(decoded) && decoded.right.type === 'SpeechStarted') {
 *   console.log(decoded.right.timestamp); // 9.54
 * } else if (E.isLeft(decoded)) {
 *   console.error(decoded.left.errors.join('\n'));
 * }
 * ```
 */
export function decodeServerMessage(text: string): E.Either<DecodeFailure, ServerMessage> {
  if (typeof text !== 'string') {
    // Only reachable from untyped callers, e.g. a binary frame passed by mistake.
    return fail('', [`(frame): expected a text frame (string), found ${describeFound(text)}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(text, [`invalid JSON: ${errorText(error)}`]);
  }
  try {
    return decodeParsed(text, value);
  } catch (error) {
    // Not expected for any JSON value; kept so that the promise "never throws" holds regardless.
    return fail(text, [`could not decode: ${errorText(error)}`]);
  }
}
