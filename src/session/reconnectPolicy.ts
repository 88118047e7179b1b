/**
 * The reconnect policy of `transcribe()` as pure functions: which failures are worth another
 * connection, and how long to wait before it (exponential backoff with jitter).
 */
import { MAX_TIMER_MS } from '../protocol/timerLimit';
import { isRetryable, LiveError } from '../socket/liveError';
import { endpointOf } from '../socket/redact';

/** The resolved `reconnect` settings of a session (see `TranscribeReconnect`). */
export interface ReconnectSettings {
  /** Retries after a failure, counted since the last healthy connection. */
  readonly maxAttempts: number;
  /** Delay before the first retry (ms). */
  readonly initialDelayMs: number;
  /** Longest backoff delay (ms); a `Retry-After` may ask for longer. */
  readonly maxDelayMs: number;
  /** Most audio kept for replay (ms of audio). */
  readonly replayMs: number;
  /** Replayed and backlogged audio goes out at most this many times real time. */
  readonly replayRate: number;
  /** Fraction (0–1) of each delay that is random: delay × (1 − jitter × random). */
  readonly jitter: number;
  /** A connection open this long (ms) is healthy: the attempt count starts again. */
  readonly healthyAfterMs: number;
  /** With interim results, audio sent this long (ms) without any server message means a dead socket. */
  readonly serverSilenceMs: number;
}

/** Default `reconnect.maxAttempts`. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Default `reconnect.initialDelayMs`. */
export const DEFAULT_INITIAL_DELAY_MS = 500;
/** Default `reconnect.maxDelayMs`. */
export const DEFAULT_MAX_DELAY_MS = 10000;
/** Default `reconnect.replayMs`. */
export const DEFAULT_REPLAY_MS = 20000;
/** Default `reconnect.replayRate`: Deepgram's documented ingest limit (1.25× real time). */
export const DEFAULT_REPLAY_RATE = 1.25;
/** Default `reconnect.jitter`. */
export const DEFAULT_JITTER = 0.3;
/** Default `reconnect.healthyAfterMs`. */
export const DEFAULT_HEALTHY_AFTER_MS = 5000;
/** Default `reconnect.serverSilenceMs`. */
export const DEFAULT_SERVER_SILENCE_MS = 10000;

/** What to do after a connection failed. */
export type RetryDecision =
  { readonly retry: true; readonly minDelayMs: number } | { readonly retry: false; readonly why: string };

/**
 * Whether a failed connection is worth another one.
 *
 * - Retried: `network` (1006 drops, refused connections, 1001/1011/1012/1013…), `timeout`
 *   NET-0000, `http` 5xx/408, `rate-limit` 429 (no sooner than `retryAfterMs`).
 * - NET-0001 (KeepAlive starved): retried once; a second NET-0001 before a connection proved
 *   healthy is not (`net0001Retried`).
 * - Never: `auth` (401/403), `bad-audio` (DATA-0000), other `http` (400 bad options, 402…),
 *   `protocol`, and anything that is not a `LiveError`.
 */
export function retryDecision(error: unknown, net0001Retried: boolean): RetryDecision {
  if (!(error instanceof LiveError)) return { retry: false, why: 'not a connection failure' };
  if (error.code === 'NET-0001' && net0001Retried) {
    return { retry: false, why: 'NET-0001 again right after a reconnect for NET-0001' };
  }
  if (!isRetryable(error)) return { retry: false, why: `${error.kind} errors are not retried` };
  return { retry: true, minDelayMs: error.kind === 'rate-limit' ? (error.retryAfterMs ?? 0) : 0 };
}

/**
 * The delay before retry number `attempt` (1-based): `initialDelayMs × 2^(attempt−1)`, at most
 * `maxDelayMs`, minus up to `jitter` of it at random, and never less than `minDelayMs`
 * (a `Retry-After`). Rounded to whole ms, and at most {@link MAX_TIMER_MS}: a server's
 * `Retry-After` beyond a timer's range would otherwise fire after 1 ms.
 */
export function backoffDelay(
  attempt: number,
  settings: Pick<ReconnectSettings, 'initialDelayMs' | 'maxDelayMs' | 'jitter'>,
  minDelayMs = 0,
  random: () => number = Math.random,
): number {
  const base = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = base * (1 - settings.jitter * random());
  return Math.min(MAX_TIMER_MS, Math.round(Math.max(minDelayMs, jittered)));
}

/** The error reported for a connection that stopped answering (half-open). */
export function halfOpenError(silentMs: number, requestId: string | undefined): LiveError {
  return new LiveError({
    kind: 'network',
    message:
      `no message from the server for ${silentMs} ms while it owed results for the audio sent ` +
      `(interim results were asked for): the connection is treated as half-open (dead)`,
    ...(requestId === undefined ? {} : { requestId }),
  });
}

/** The error of a connection attempt that did not open within `openTimeoutMs` (credentials included). */
export function openTimeoutError(openTimeoutMs: number, url: string): LiveError {
  return new LiveError({
    kind: 'network',
    message:
      `the connection to ${endpointOf(url)} did not open within ${openTimeoutMs} ms (openTimeoutMs): ` +
      `the attempt was abandoned`,
  });
}

/** The error of a NET-0001 close, reworded to say what it means for a session that sends KeepAlive. */
export function keepAliveStarvedError(error: LiveError): LiveError {
  return new LiveError({
    kind: error.kind,
    message: `KeepAlive was starved (nothing reached Deepgram for its timeout window; is the event loop blocked?): ${error.message}`,
    ...copyFields(error),
  });
}

/** The error that ends a session whose audio is in a container and so cannot resume mid-stream. */
export function containerCannotResumeError(error: LiveError): LiveError {
  return new LiveError({
    kind: error.kind,
    message:
      `${error.message}; not reconnecting: the audio has no raw encoding (a container such as WAV, ` +
      `Ogg or WebM, or a codec whose bytes do not map to time), which cannot resume mid-stream. ` +
      `Send raw audio (options.encoding linear16, linear32, mulaw or alaw with sample_rate) to reconnect`,
    ...copyFields(error),
  });
}

function copyFields(error: LiveError): Omit<ConstructorParameters<typeof LiveError>[0], 'kind' | 'message'> {
  return {
    ...(error.code === undefined ? {} : { code: error.code }),
    ...(error.closeCode === undefined ? {} : { closeCode: error.closeCode }),
    ...(error.reason === undefined ? {} : { reason: error.reason }),
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
  };
}
