/**
 * The parsed command line of each command, the option value parsers, and where `transcribe`
 * connects (Deepgram, a given URL, or the in-process emulator). Pure: no I/O.
 */
import { InvalidArgumentError } from 'commander';
import { DEFAULT_LISTEN_URL } from '../protocol/listenUrl';
import { MAX_TIMER_MS } from '../protocol/timerLimit';
import type { KeySource } from './failure';

/** Where `transcribe` sends the audio. */
export type Target =
  /** Deepgram (an API key, no `--url`): `wss://api.deepgram.com/v1/listen`. */
  | { readonly kind: 'deepgram'; readonly url: string }
  /** The server at `--url` (with the key if there is one). */
  | { readonly kind: 'url'; readonly url: string }
  /** No key and no `--url`: the emulator, started in-process. */
  | { readonly kind: 'emulator' };

/** `deepgram-rx transcribe` after parsing. */
export interface TranscribeArgs {
  readonly file: string;
  readonly target: Target;
  /** The API key (from `--api-key`, else `DEEPGRAM_API_KEY`); never printed. */
  readonly apiKey?: string;
  readonly keySource: KeySource;
  readonly model: string;
  readonly chunkMs: number;
  /** `'realtime'` unless `--fast`. */
  readonly pace: 'realtime' | 'fast';
  /** False with `--no-keepalive`. */
  readonly keepAlive: boolean;
  /** Send KeepAlive after this long without audio (and then as often). */
  readonly idleMs: number;
  /** Drop silence before sending (`--gate`, the default; `--no-gate` sends every byte). */
  readonly gate: boolean;
  /**
   * Reconnect after a transient failure and replay the audio not yet transcribed (the default);
   * false with `--no-reconnect`: one connection, and a failure ends the run.
   */
  readonly reconnect: boolean;
  /** Ask for interim results (shown on one updating line in a terminal). */
  readonly interim: boolean;
  /** Print every event as a JSON line, and nothing else, on stdout. */
  readonly json: boolean;
  /** The in-process emulator's inactivity window (ms). */
  readonly emulatorIdleTimeoutMs: number;
}

/** `deepgram-rx serve` after parsing. */
export interface ServeArgs {
  readonly port: number;
  readonly host: string;
  readonly idleTimeoutMs: number;
  readonly apiKey?: string;
  readonly script?: string;
}

/** Defaults of the options (documented in docs/cli.md). */
export const DEFAULTS = Object.freeze({
  model: 'nova-3',
  chunkMs: 100,
  idleMs: 3000,
  emulatorIdleTimeoutMs: 10000,
  port: 8080,
  host: '127.0.0.1',
  idleTimeoutMs: 10000,
});

/** Deepgram closes a socket after 10 s without a frame: a KeepAlive must come sooner. */
const SERVER_WINDOW_MS = 10000;

/** Option parser: a finite number > 0 (milliseconds may have decimals). */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError('expected a number > 0.');
  }
  return n;
}

/** Option parser: an integer > 0. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n <= 0) {
    throw new InvalidArgumentError('expected a whole number > 0.');
  }
  return n;
}

/** Option parser for a timer's length in ms: an integer > 0, at most Node's longest timer (2^31 − 1). */
export function timerMs(value: string): number {
  const n = positiveInteger(value);
  if (n > MAX_TIMER_MS)
    throw new InvalidArgumentError(`must be at most ${MAX_TIMER_MS} (Node's longest timer).`);
  return n;
}

/** Option parser: a TCP port, 0 (any free port) to 65535. */
export function port(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || n > 65535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  }
  return n;
}

/** Option parser for `--idle-ms`: more than 0 and less than Deepgram's 10 s window. */
export function idleMs(value: string): number {
  const n = positiveNumber(value);
  if (n >= SERVER_WINDOW_MS) {
    throw new InvalidArgumentError(
      `must be less than ${SERVER_WINDOW_MS} (Deepgram closes after 10 s idle).`,
    );
  }
  return n;
}

/**
 * Option parser for `--url`: a `ws://` or `wss://` URL; a URL with no path gets `/v1/listen`
 * (`ws://127.0.0.1:8080` → `ws://127.0.0.1:8080/v1/listen`). The error never echoes the value
 * (it may hold a secret).
 */
export function listenEndpoint(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected a ws:// or wss:// URL.');
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new InvalidArgumentError(`expected a ws:// or wss:// URL, got a ${url.protocol}// URL.`);
  }
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/v1/listen';
  return url.toString();
}

/** A non-empty key, or undefined for a missing or blank one. */
function presentKey(key: string | undefined): string | undefined {
  return key === undefined || key.trim() === '' ? undefined : key.trim();
}

/**
 * The API key and where it came from: `--api-key` wins over `DEEPGRAM_API_KEY`; blank counts as
 * missing.
 */
export function resolveApiKey(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { apiKey?: string; keySource: KeySource } {
  const fromFlag = presentKey(flag);
  if (fromFlag !== undefined) return { apiKey: fromFlag, keySource: 'flag' };
  const fromEnv = presentKey(env['DEEPGRAM_API_KEY']);
  if (fromEnv !== undefined) return { apiKey: fromEnv, keySource: 'env' };
  return { keySource: 'none' };
}

/**
 * Where to connect: `--url` when given; else Deepgram when there is a key; else the emulator.
 *
 * @example
 * ```ts
 * resolveTarget(undefined, undefined);     // { kind: 'emulator' }
 * resolveTarget(undefined, 'key');         // { kind: 'deepgram', url: 'wss://api.deepgram.com/v1/listen' }
 * resolveTarget('ws://127.0.0.1:8080/v1/listen', undefined); // { kind: 'url', url: … }
 * ```
 */
export function resolveTarget(url: string | undefined, apiKey: string | undefined): Target {
  if (url !== undefined) return { kind: 'url', url };
  if (apiKey !== undefined) return { kind: 'deepgram', url: DEFAULT_LISTEN_URL };
  return { kind: 'emulator' };
}
