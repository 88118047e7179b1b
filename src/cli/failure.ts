/**
 * From an error to what the CLI prints and returns: ONE line for stderr (never the API key) and an
 * exit code (see exitCodes.ts).
 */
import { WavFileError } from '../audio/wavFileError';
import { LiveOptionsError } from '../protocol/liveOptions';
import { LiveError } from '../socket/liveError';
import { redactText, scrubSecrets } from '../socket/redact';
import { EXIT, type ExitCode } from './exitCodes';
import { printable } from './printable';

/** A bad command line or a bad input file found by the CLI itself (exit code 2). */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** Where the API key of a run came from, to tell the user what to fix. */
export type KeySource = 'flag' | 'env' | 'none';

/** What {@link describeFailure} needs to know about the run. */
export interface FailureContext {
  /** Secrets that must never be printed (the API key). */
  readonly secrets: readonly string[];
  /** Where the API key came from. */
  readonly keySource: KeySource;
  /** The host the command listens on (`serve`): named in its listen errors, a lookup failure included. */
  readonly listenHost?: string;
}

/** What to print and return for a failure. */
export interface Failure {
  readonly code: ExitCode;
  /** One line, prefixed `deepgram-rx: `, with no newline and no secret in it. */
  readonly line: string;
}

const MAX_LINE = 600;

/** Collapses a message to one line, masks secrets, shows control characters as `\xHH`, and bounds its length. */
export function oneLine(text: string, secrets: readonly string[]): string {
  const flat = printable(
    redactText(scrubSecrets(text, secrets))
      .replace(/\s*[\r\n]+\s*/g, ' ')
      .trim(),
  );
  return flat.length > MAX_LINE ? `${flat.slice(0, MAX_LINE - 1)}…` : flat;
}

function authAdvice(keySource: KeySource): string {
  switch (keySource) {
    case 'flag':
      return 'check the key given with --api-key';
    case 'env':
      return 'check DEEPGRAM_API_KEY';
    default:
      return 'the server requires an API key: set DEEPGRAM_API_KEY or pass --api-key';
  }
}

function liveFailure(error: LiveError, context: FailureContext): Failure {
  const say = (code: ExitCode, text: string): Failure => ({
    code,
    line: `deepgram-rx: ${oneLine(text, context.secrets)}`,
  });
  switch (error.kind) {
    case 'auth': {
      const what = [error.status, error.code].filter((part) => part !== undefined).join(' ');
      return say(
        EXIT.auth,
        `authentication failed${what === '' ? '' : ` (${what})`}: ${authAdvice(context.keySource)}`,
      );
    }
    case 'network':
      return say(EXIT.network, error.message);
    case 'timeout':
      return say(EXIT.timeout, error.message);
    case 'rate-limit':
      return say(EXIT.failure, `rate limited: ${error.message}`);
    default:
      return say(EXIT.failure, error.message);
  }
}

function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Errors of binding a port: taken, not an address of this machine, not permitted. */
const BIND_ERRORS: ReadonlySet<string> = new Set(['EADDRINUSE', 'EADDRNOTAVAIL', 'EACCES']);
/** Errors of resolving a host name: unknown, or no answer from DNS. */
const LOOKUP_ERRORS: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN']);

/** Whether `errno` means the command could not listen (a lookup error only for a command that listens). */
function isListenError(errno: string | undefined, context: FailureContext): boolean {
  if (errno === undefined) return false;
  return BIND_ERRORS.has(errno) || (context.listenHost !== undefined && LOOKUP_ERRORS.has(errno));
}

/**
 * The exit code and the one stderr line for an error of a run:
 * `WavFileError`, `CliUsageError`, `LiveOptionsError` → 2; `LiveError` by kind (`auth` → 3,
 * `network` → 4, `timeout` → 5, others → 1); a port in use or not permitted, or (with
 * `listenHost`) a host that does not resolve → 4; anything else → 1.
 *
 * @example
 * ```ts
 * describeFailure(new LiveError({ kind: 'auth', status: 401, code: 'INVALID_AUTH', message: '…' }),
 *   { secrets: [key], keySource: 'env' });
 * // { code: 3, line: 'deepgram-rx: authentication failed (401 INVALID_AUTH): check DEEPGRAM_API_KEY' }
 * ```
 */
export function describeFailure(error: unknown, context: FailureContext): Failure {
  const say = (code: ExitCode, text: string): Failure => ({
    code,
    line: `deepgram-rx: ${oneLine(text, context.secrets)}`,
  });
  if (error instanceof LiveError) return liveFailure(error, context);
  if (error instanceof WavFileError) return say(EXIT.usage, error.message);
  if (error instanceof CliUsageError || error instanceof LiveOptionsError)
    return say(EXIT.usage, error.message);
  const message = error instanceof Error ? error.message : String(error);
  const errno = errnoCode(error);
  if (isListenError(errno, context)) {
    const where = context.listenHost === undefined ? '' : ` on ${context.listenHost}`;
    return say(EXIT.network, `cannot listen${where}: ${message}`);
  }
  if (errno === 'ENOENT' || errno === 'EISDIR') return say(EXIT.usage, message);
  return say(EXIT.failure, message);
}
