/**
 * The configuration of `transcribe()` and its call-time validation: everything that can be wrong
 * in a configuration throws here, before any socket opens.
 */
import { interval, isObservable, merge, type Observable, type SchedulerLike } from 'rxjs';
import { DEFAULT_LISTEN_URL, listenUrl } from '../protocol/listenUrl';
import type { LiveOptions } from '../protocol/liveOptions';
import { schedulerOption } from '../protocol/schedulerOption';
import { readOnce } from '../protocol/validateLiveOptions';
import { describeOptionValue } from '../protocol/validationErrors';
import { isTimerDelay, MAX_TIMER_MS } from '../protocol/timerLimit';
import { gateSilence, type GateSilenceConfig } from '../operators/gateSilence';
import { keepAliveDelays, type KeepAliveDelays } from '../operators/keepAliveClock';
import { defaultWebSocket } from '../socket/defaultWebSocket';
import type { LiveCredentials, WebSocketFactory } from '../socket/webSocketLike';
import { credentialsOf } from './credentials';
import {
  DEFAULT_HEALTHY_AFTER_MS,
  DEFAULT_INITIAL_DELAY_MS,
  DEFAULT_JITTER,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_REPLAY_MS,
  DEFAULT_REPLAY_RATE,
  DEFAULT_SERVER_SILENCE_MS,
  type ReconnectSettings,
} from './reconnectPolicy';

/**
 * An API key or access token: the value, or a function giving it (sync or async), called for every
 * connection attempt.
 *
 * @example
 * ```ts
 * import type { SecretSource } from 'deepgram-rx';
 * const token: SecretSource = () => fetch('/api/deepgram-token').then((response) => response.text());
 * ```
 */
export type SecretSource = string | (() => string | Promise<string>);

/**
 * KeepAlive during pauses in the audio (see `withKeepAlive`); `keepAlive: false` turns it off.
 *
 * @example
 * ```ts
 * import { transcribe } from 'deepgram-rx';
 * audio$.pipe(transcribe({ apiKey, keepAlive: { idleMs: 2000, intervalMs: 5000 } }));
 * ```
 */
export interface TranscribeKeepAlive {
  /** ms without audio before the first KeepAlive; finite, > 0 and < 10000. Default 3000. */
  idleMs?: number;
  /** ms between KeepAlives while the pause lasts; finite, > 0 and < 10000. Default `idleMs`. */
  intervalMs?: number;
}

/**
 * Reconnection after a transient failure: on by default (absent or `{}`: the defaults below);
 * `reconnect: false` turns it off (one connection, and a failure ends the session). See
 * docs/resilience.md for the policy. While it is on, each session keeps up to `replayMs` of the
 * audio sent since the last final result in memory, to replay it on a new connection.
 *
 * Retried: dropped connections (1006, 1001, 1011, 1012, 1013…), refused connections, NET-0000,
 * handshake 5xx/408, 429 (after `Retry-After`), NET-0001 once. Never: 401/403, 400 and other 4xx,
 * DATA-0000. Audio sent since the last final result is replayed on the new connection, then the
 * audio that arrived during the outage; raw encodings only (a container cannot resume mid-stream).
 *
 * @example
 * ```ts
 * import { transcribe } from 'deepgram-rx';
 * audio$.pipe(transcribe({ apiKey, reconnect: { maxAttempts: 5, initialDelayMs: 500, maxDelayMs: 8000 } }));
 * ```
 */
export interface TranscribeReconnect {
  /** Retries after a failure, counted since the last healthy connection; an integer >= 0. Default 5. */
  maxAttempts?: number;
  /** Delay before the first retry (ms, >= 0, at most 2^31 − 1); doubles with each retry. Default 500. */
  initialDelayMs?: number;
  /**
   * Longest delay between retries (ms, >= 0, at most 2^31 − 1; a `Retry-After` may ask for longer).
   * Default 10000.
   */
  maxDelayMs?: number;
  /** Most audio kept for replay after a reconnect (ms of audio, >= 0). Default 20000. */
  replayMs?: number;
  /**
   * After a reconnect, replayed and backlogged audio goes out at most this many times real time
   * (Deepgram's ingest limit is 1.25). Finite and > 0, or `Infinity` for no pacing. Default 1.25.
   */
  replayRate?: number;
  /** Fraction (0–1) of each backoff delay that is random. Default 0.3. */
  jitter?: number;
  /**
   * A connection open this long (ms, > 0, at most 2^31 − 1) is healthy: the retry count starts again,
   * once the server has sent something on it (or no audio was sent on it), and not after the audio
   * completed (see docs/resilience.md). Default 5000.
   */
  healthyAfterMs?: number;
  /**
   * Half-open detection, when `options.interim_results` is true: audio sent for this long (ms, > 0,
   * at most 2^31 − 1) without any message from the server means the connection is dead; it is
   * replaced. Default 10000.
   */
  serverSilenceMs?: number;
}

/**
 * Backpressure tuning: when frames wait in the session's bounded queue instead of going into the
 * socket's send buffer.
 *
 * @example
 * ```ts
 * import { transcribe } from 'deepgram-rx';
 * audio$.pipe(transcribe({ apiKey, backpressure: { highWaterBytes: 64 * 1024 }, maxBufferBytes: 2 * 1024 * 1024 }));
 * ```
 */
export interface TranscribeBackpressure {
  /**
   * Frames wait in the session's bounded queue while the socket's `bufferedAmount` is above this
   * many bytes. Finite, >= 0. Default 262144 (256 KiB).
   */
  highWaterBytes?: number;
  /**
   * How often `bufferedAmount` is checked while frames wait on an open socket (ms, > 0, at most
   * 2^31 − 1). Default 50.
   */
  pollMs?: number;
}

/**
 * Silence gating inside the session (see `gateSilence`): the audio format comes from `options`,
 * which must then name `encoding` linear16, mulaw or alaw and `sample_rate`.
 *
 * @example
 * ```ts
 * import { transcribe } from 'deepgram-rx';
 * audio$.pipe(
 *   transcribe({ apiKey, options: { encoding: 'linear16', sample_rate: 16000 }, gate: { thresholdDbfs: -45 } }),
 * );
 * ```
 */
export type TranscribeGate = Omit<GateSilenceConfig, 'encoding' | 'sample_rate' | 'channels'>;

/**
 * Running metering: `Usage` snapshots (`final: false`) during the session, besides the final one.
 *
 * @example
 * ```ts
 * import { ofType, transcribe } from 'deepgram-rx';
 * audio$
 *   .pipe(transcribe({ apiKey, options: { encoding: 'linear16', sample_rate: 16000 }, gate: true, meter: { everyMs: 10000 } }), ofType('Usage'))
 *   .subscribe((u) => console.log(`${u.final ? 'total' : 'so far'}: ${u.audioSeconds} s billed, ${u.gatedSeconds} s gated`));
 * ```
 */
export interface TranscribeMeter {
  /** A snapshot every this many ms on the scheduler, from subscription to the end (> 0, at most 2^31 − 1). */
  everyMs?: number;
  /** A snapshot at every emission (errors of this Observable error the session; its completion is ignored). */
  request$?: Observable<unknown>;
}

/**
 * Configuration of `transcribe()`. Everything is optional; invalid values throw when
 * `transcribe()` is called.
 *
 * @example
 * ```ts
 * import { transcribe, type TranscribeConfig } from 'deepgram-rx';
 * import { nodeWebSocket } from 'deepgram-rx/node';
 *
 * const config: TranscribeConfig = {
 *   apiKey: () => process.env.DEEPGRAM_API_KEY ?? '',
 *   options: { model: 'nova-3', encoding: 'linear16', sample_rate: 16000, interim_results: true },
 *   webSocket: nodeWebSocket(),
 * };
 * const events$ = audio$.pipe(transcribe(config));
 * ```
 */
export interface TranscribeConfig {
  /** Query parameters of the session; validated at call time (`LiveOptionsError`). */
  options?: LiveOptions;
  /** The endpoint; default `wss://api.deepgram.com/v1/listen` (`http(s)://` becomes `ws(s)://`). */
  url?: string;
  /** API key (`Authorization: Token …`), or a function giving it, called for every connection attempt. */
  apiKey?: SecretSource;
  /** Short-lived JWT (`Bearer …`) instead of `apiKey`, or a function giving it (every connection attempt). */
  accessToken?: SecretSource;
  /** KeepAlive during pauses (default: on, `idleMs` 3000); `false`: never send KeepAlive. */
  keepAlive?: TranscribeKeepAlive | false;
  /** Reconnection with replay (see {@link TranscribeReconnect}); default on with its defaults, `false` turns it off. */
  reconnect?: TranscribeReconnect | false;
  /**
   * After `CloseStream` is sent, how long (ms) to wait for the final results, the `Metadata` and the
   * server's close before closing the socket and completing anyway. Also the longest wait, after
   * the audio completed, with no frame written while `CloseStream` cannot go out yet (not counting
   * reconnection delays). > 0 and at most 2^31 − 1 (the longest timer). Default 10000.
   */
  closeTimeoutMs?: number;
  /**
   * How long (ms) one connection attempt may take to open, from its start (a credentials function's
   * time included) to the WebSocket's `open`. A longer one is abandoned as a `network` LiveError:
   * retried under `reconnect`, the session's error without it. This bounds a host that accepts the
   * TCP connection but never answers the upgrade, which no transport times out by default.
   * > 0 and at most 2^31 − 1 (the longest timer). Default 10000.
   */
  openTimeoutMs?: number;
  /** The transport: default `ws` (`nodeWebSocket()`) when Node loads the package, the platform's `WebSocket` in browsers. */
  webSocket?: WebSocketFactory;
  /** Scheduler of every timer and clock (KeepAlive, close timeout, polling, usage). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /**
   * Each emission sends a `Finalize` after the audio sent before it: no value (or `undefined`)
   * finalizes every channel, a number only that 0-based channel. Emissions after the audio
   * completed are ignored (`CloseStream` flushes everything). A channel that is not a
   * non-negative integer errors the session with a `RangeError`.
   */
  finalize$?: Observable<number | void | undefined>;
  /**
   * Most bytes of frames that may wait to be sent (before the socket opens, or while its send
   * buffer is full); more errors the session with an `AudioBufferOverflowError` (with reconnection
   * on and a raw encoding, while no socket is open or while an outage's backlog is paced out at
   * `reconnect.replayRate`, the oldest audio is dropped and named by a `Gap` instead). `Infinity` never fails (for files read faster than real time). Default:
   * 4 MiB, or 30 s of audio when that is more (raw formats with a known size: linear16, linear32,
   * mulaw, alaw).
   */
  maxBufferBytes?: number;
  /** When frames wait instead of being written to a busy socket. */
  backpressure?: TranscribeBackpressure;
  /**
   * Drop silence before it is sent, so it is not billed (`true` for `gateSilence`'s defaults, or
   * its settings). KeepAlive holds the socket open through the dropped pauses, and every timestamp
   * stays on the original audio's timeline. Default: off.
   */
  gate?: TranscribeGate | boolean;
  /** Running `Usage` snapshots (`final: false`) every `everyMs` and/or on `request$`. Default: only the final `Usage`. */
  meter?: TranscribeMeter;
}

/** Bytes per sample of the encodings whose bytes say how long the audio is. */
const SAMPLE_BYTES: Readonly<Partial<Record<string, number>>> = {
  linear16: 2,
  linear32: 4,
  mulaw: 1,
  alaw: 1,
};

/** Default `closeTimeoutMs`. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 10000;
/** Default `openTimeoutMs`. */
export const DEFAULT_OPEN_TIMEOUT_MS = 10000;
/** The least default `maxBufferBytes`. */
export const DEFAULT_MAX_BUFFER_BYTES = 4 * 1024 * 1024;
/** Seconds of audio the default `maxBufferBytes` holds at least (when the format is known). */
export const DEFAULT_MAX_BUFFER_SECONDS = 30;
/** Default `backpressure.highWaterBytes`. */
export const DEFAULT_HIGH_WATER_BYTES = 256 * 1024;
/** Default `backpressure.pollMs`. */
export const DEFAULT_DRAIN_POLL_MS = 50;

/** The validated configuration of one `transcribe()` call. */
export interface SessionSettings {
  /** The full ws(s) URL, query included. */
  readonly url: string;
  /** Gives the credentials of one connection attempt. */
  readonly credentials: (() => LiveCredentials | Promise<LiveCredentials> | undefined) | undefined;
  /** The KeepAlive schedule (as `withKeepAlive`'s); undefined when `keepAlive: false`. */
  readonly keepAlive: KeepAliveDelays | undefined;
  readonly closeTimeoutMs: number;
  readonly openTimeoutMs: number;
  /** The transport: `config.webSocket`, or the default (`ws` in Node, the native one elsewhere; resolved once per `transcribe` call). */
  readonly webSocket: WebSocketFactory;
  readonly scheduler: SchedulerLike;
  readonly finalize$: Observable<number | void | undefined> | undefined;
  readonly maxBufferBytes: number;
  readonly highWaterBytes: number;
  readonly drainPollMs: number;
  /** Bytes per second of the audio, when the options name a raw format of known size. */
  readonly bytesPerSecond: number | undefined;
  /** Bytes of one sample frame (a sample of every channel), with `bytesPerSecond`; else 1. */
  readonly frameBytes: number;
  /** The silence gate's configuration (format from the options), when gating is on. */
  readonly gate: GateSilenceConfig | undefined;
  /** The reconnect policy, when reconnection is on. */
  readonly reconnect: ReconnectSettings | undefined;
  /** Whether `options.interim_results` is true (arms half-open detection). */
  readonly interimResults: boolean;
  /** When to emit a running `Usage` snapshot (`meter`), if ever. */
  readonly meter$: Observable<unknown> | undefined;
}

function checkNumber(
  name: string,
  value: unknown,
  test: (n: number) => boolean,
  rule: string,
): number | undefined {
  if (value === undefined) return undefined;
  // A RangeError for a value of another type too, as withKeepAlive's delays: not a number in range.
  if (typeof value !== 'number' || Number.isNaN(value) || !test(value)) {
    throw new RangeError(`transcribe: ${name} must be ${rule}, got ${describeOptionValue(value)}`);
  }
  return value;
}

const finiteNonNegative = (n: number): boolean => Number.isFinite(n) && n >= 0;
/** A timer's delay: a longer one than {@link MAX_TIMER_MS} would fire after 1 ms. */
const timerDelay = (n: number): boolean => isTimerDelay(n);
const timerDelayOrZero = (n: number): boolean => n === 0 || isTimerDelay(n);
const TIMER_DELAY = `> 0 and at most ${MAX_TIMER_MS} (the longest timer)`;
const TIMER_DELAY_OR_ZERO = `>= 0 and at most ${MAX_TIMER_MS} (the longest timer)`;

function keepAliveOf(keepAlive: TranscribeConfig['keepAlive']): KeepAliveDelays | undefined {
  if (keepAlive === false) return undefined;
  if (keepAlive !== undefined && (typeof keepAlive !== 'object' || keepAlive === null)) {
    throw new TypeError(
      `transcribe: keepAlive must be an object ({ idleMs, intervalMs }) or false, got ${describeOptionValue(keepAlive)}`,
    );
  }
  return keepAliveDelays(keepAlive ?? {}, 'transcribe', 'keepAlive.');
}

/** The reconnect policy: the defaults when `reconnect` is absent, none when it is `false`. */
function reconnectOf(option: TranscribeConfig['reconnect']): ReconnectSettings | undefined {
  if (option === false) return undefined;
  const reconnect = option === undefined ? {} : option;
  if (typeof reconnect !== 'object' || reconnect === null) {
    throw new TypeError(
      `transcribe: reconnect must be an object or false, got ${describeOptionValue(reconnect)}`,
    );
  }
  return {
    maxAttempts:
      checkNumber(
        'reconnect.maxAttempts',
        reconnect.maxAttempts,
        (n) => Number.isInteger(n) && n >= 0,
        'an integer >= 0',
      ) ?? DEFAULT_MAX_ATTEMPTS,
    initialDelayMs:
      checkNumber(
        'reconnect.initialDelayMs',
        reconnect.initialDelayMs,
        timerDelayOrZero,
        TIMER_DELAY_OR_ZERO,
      ) ?? DEFAULT_INITIAL_DELAY_MS,
    maxDelayMs:
      checkNumber('reconnect.maxDelayMs', reconnect.maxDelayMs, timerDelayOrZero, TIMER_DELAY_OR_ZERO) ??
      DEFAULT_MAX_DELAY_MS,
    replayMs:
      checkNumber('reconnect.replayMs', reconnect.replayMs, finiteNonNegative, 'finite and >= 0') ??
      DEFAULT_REPLAY_MS,
    replayRate:
      checkNumber(
        'reconnect.replayRate',
        reconnect.replayRate,
        (n) => n > 0,
        '> 0 (Infinity for no pacing)',
      ) ?? DEFAULT_REPLAY_RATE,
    jitter:
      checkNumber('reconnect.jitter', reconnect.jitter, (n) => n >= 0 && n <= 1, 'between 0 and 1') ??
      DEFAULT_JITTER,
    healthyAfterMs:
      checkNumber('reconnect.healthyAfterMs', reconnect.healthyAfterMs, timerDelay, TIMER_DELAY) ??
      DEFAULT_HEALTHY_AFTER_MS,
    serverSilenceMs:
      checkNumber('reconnect.serverSilenceMs', reconnect.serverSilenceMs, timerDelay, TIMER_DELAY) ??
      DEFAULT_SERVER_SILENCE_MS,
  };
}

/** Bytes per second of raw audio in the options' format, or undefined when it cannot be known. */
export function bytesPerSecondOf(options: LiveOptions): number | undefined {
  const frameBytes = frameBytesOf(options);
  if (frameBytes === undefined || options.sample_rate === undefined) return undefined;
  return frameBytes * options.sample_rate;
}

/** Bytes of one sample frame of raw audio in the options' format, or undefined when not raw. */
function frameBytesOf(options: LiveOptions): number | undefined {
  const sampleBytes = options.encoding === undefined ? undefined : SAMPLE_BYTES[options.encoding];
  return sampleBytes === undefined ? undefined : sampleBytes * (options.channels ?? 1);
}

const GATE_ENCODINGS: readonly string[] = ['linear16', 'mulaw', 'alaw'];

function gateOf(gate: TranscribeConfig['gate'], options: LiveOptions): GateSilenceConfig | undefined {
  if (gate === undefined || gate === false) return undefined;
  if (gate !== true && (typeof gate !== 'object' || gate === null)) {
    throw new TypeError(
      `transcribe: gate must be true, false or gateSilence settings, got ${describeOptionValue(gate)}`,
    );
  }
  const { encoding, sample_rate, channels } = options;
  if (encoding === undefined || !GATE_ENCODINGS.includes(encoding) || sample_rate === undefined) {
    throw new TypeError(
      `transcribe: gate needs options.encoding linear16, mulaw or alaw and options.sample_rate, got encoding ${typeof encoding === 'string' ? JSON.stringify(encoding) : describeOptionValue(encoding)}`,
    );
  }
  const config: GateSilenceConfig = {
    ...(gate === true ? {} : gate),
    encoding: encoding as GateSilenceConfig['encoding'],
    sample_rate,
    ...(channels === undefined ? {} : { channels }),
  };
  gateSilence(config); // validates now (throws TypeError/RangeError naming the setting)
  return config;
}

function meterOf(
  meter: TranscribeConfig['meter'],
  scheduler: SchedulerLike,
): Observable<unknown> | undefined {
  if (meter === undefined) return undefined;
  if (typeof meter !== 'object' || meter === null) {
    throw new TypeError(
      `transcribe: meter must be an object ({ everyMs, request$ }), got ${describeOptionValue(meter)}`,
    );
  }
  const everyMs = checkNumber('meter.everyMs', meter.everyMs, timerDelay, TIMER_DELAY);
  if (meter.request$ !== undefined && !isObservable(meter.request$)) {
    throw new TypeError(
      `transcribe: meter.request$ must be an Observable, got ${describeOptionValue(meter.request$)}`,
    );
  }
  const triggers = [
    ...(everyMs === undefined ? [] : [interval(everyMs, scheduler)]),
    ...(meter.request$ === undefined ? [] : [meter.request$]),
  ];
  return triggers.length === 0 ? undefined : merge(...triggers);
}

/** `http(s)://` → `ws(s)://`: the same endpoint as a WebSocket URL. */
function asWebSocketUrl(url: string): string {
  return url.replace(/^http(s?):/i, (_match, s: string) => `ws${s}:`);
}

/**
 * Validates a configuration and resolves its defaults.
 *
 * @throws LiveOptionsError for invalid `options` or `url`; RangeError for out-of-range numbers
 *   (including `keepAlive` delays); TypeError for values of the wrong type
 */
export function resolveTranscribeConfig(config: TranscribeConfig): SessionSettings {
  if (typeof config !== 'object' || config === null) {
    throw new TypeError(`transcribe: config must be an object, got ${describeOptionValue(config)}`);
  }
  // One read of every option: the URL, the audio format and the gate all use the same values.
  const given = config.options ?? {};
  const options =
    typeof given === 'object' && given !== null && !Array.isArray(given) ? readOnce(given) : given;
  const url = asWebSocketUrl(listenUrl(options, config.url ?? DEFAULT_LISTEN_URL));
  const scheduler = schedulerOption('transcribe', config.scheduler);
  const closeTimeoutMs =
    checkNumber('closeTimeoutMs', config.closeTimeoutMs, timerDelay, TIMER_DELAY) ?? DEFAULT_CLOSE_TIMEOUT_MS;
  const openTimeoutMs =
    checkNumber('openTimeoutMs', config.openTimeoutMs, timerDelay, TIMER_DELAY) ?? DEFAULT_OPEN_TIMEOUT_MS;
  const bytesPerSecond = bytesPerSecondOf(options);
  const maxBufferBytes =
    checkNumber('maxBufferBytes', config.maxBufferBytes, (n) => n > 0, '> 0 (Infinity for no bound)') ??
    Math.max(DEFAULT_MAX_BUFFER_BYTES, (bytesPerSecond ?? 0) * DEFAULT_MAX_BUFFER_SECONDS);
  const backpressure = config.backpressure ?? {};
  if (typeof backpressure !== 'object' || backpressure === null) {
    throw new TypeError(
      `transcribe: backpressure must be an object, got ${describeOptionValue(backpressure)}`,
    );
  }
  const highWaterBytes =
    checkNumber(
      'backpressure.highWaterBytes',
      backpressure.highWaterBytes,
      finiteNonNegative,
      'finite and >= 0',
    ) ?? DEFAULT_HIGH_WATER_BYTES;
  const drainPollMs =
    checkNumber('backpressure.pollMs', backpressure.pollMs, timerDelay, TIMER_DELAY) ?? DEFAULT_DRAIN_POLL_MS;
  if (config.webSocket !== undefined && typeof config.webSocket !== 'function') {
    throw new TypeError(
      `transcribe: webSocket must be a WebSocketFactory function, got ${describeOptionValue(config.webSocket)}`,
    );
  }
  if (config.finalize$ !== undefined && !isObservable(config.finalize$)) {
    throw new TypeError(
      `transcribe: finalize$ must be an Observable, got ${describeOptionValue(config.finalize$)}`,
    );
  }
  const reconnect = reconnectOf(config.reconnect);
  return {
    url,
    credentials: credentialsOf(config),
    keepAlive: keepAliveOf(config.keepAlive),
    closeTimeoutMs,
    openTimeoutMs,
    webSocket: config.webSocket ?? defaultWebSocket(),
    scheduler,
    finalize$: config.finalize$,
    maxBufferBytes,
    highWaterBytes,
    drainPollMs,
    bytesPerSecond,
    frameBytes: bytesPerSecond === undefined ? 1 : (frameBytesOf(options) ?? 1),
    gate: gateOf(config.gate, options),
    reconnect,
    interimResults: options.interim_results === true,
    meter$: meterOf(config.meter, scheduler),
  };
}
