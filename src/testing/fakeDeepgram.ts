/**
 * A scripted, in-memory Deepgram for marble tests: a `WebSocketFactory` whose sockets live on a
 * scheduler (a `TestScheduler` inside `run`, or any `SchedulerLike`).
 */
import type { SchedulerLike } from 'rxjs';
import { schedulerOption } from '../protocol/schedulerOption';
import { isTimerDelay, MAX_TIMER_MS } from '../protocol/timerLimit';
import type { WebSocketFactory } from '../socket/webSocketLike';
import { FakeConnection } from './fakeConnection';

/** Configuration of {@link fakeDeepgram}. */
export interface FakeDeepgramConfig {
  /** Where every server action and timer runs; default `asyncScheduler` (virtual inside `TestScheduler.run`). */
  readonly scheduler?: SchedulerLike;
  /**
   * Each connection opens this many ms after it is created (default 0), unless `onConnection`
   * scripted its handshake itself. `false`: connections stay CONNECTING until `open()` is called.
   */
  readonly openDelayMs?: number | false;
  /** The `dg-request-id` of connection `index` (0-based); default a UUID-shaped id ending in `index + 1`. */
  readonly requestId?: (index: number) => string;
  /**
   * What the server does on `{"type":"CloseStream"}`: `'metadata-and-close'` (default) sends
   * `Metadata` (its `duration` computed from the audio bytes, `encoding`, `sample_rate` and
   * `channels` of the URL) and closes with 1000 after `closeStreamDelayMs`; `'ignore'` does nothing.
   */
  readonly closeStream?: 'metadata-and-close' | 'ignore';
  /** Delay of the CloseStream reply, in ms (default 0). */
  readonly closeStreamDelayMs?: number;
  /**
   * Emulates Deepgram's inactivity timeout: with no frame from the client for this many ms after
   * open, the server sends `Metadata` and closes with 1011 NET-0001. Default: off.
   */
  readonly idleTimeoutMs?: number;
  /**
   * Behave like a browser's WebSocket: no `upgradeResponse` (no request id on open; a refused
   * handshake looks like a network failure), and the selected subprotocol is the auth scheme.
   */
  readonly browserLike?: boolean;
  /** Called with each new connection, at its creation time, to script the server's behaviour. */
  readonly onConnection?: (connection: FakeConnection) => void;
}

/** A fake Deepgram server: hand `factory` to the code under test, then inspect `connections`. */
export interface FakeDeepgram {
  /** The transport to inject (`webSocket: server.factory`). */
  readonly factory: WebSocketFactory;
  /** Every connection made so far, in order. */
  readonly connections: readonly FakeConnection[];
  /** The latest connection, if any. */
  readonly last: FakeConnection | undefined;
}

function defaultRequestId(index: number): string {
  return `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`;
}

/**
 * Creates a fake Deepgram whose connections are scripted on a scheduler, for marble tests of
 * `liveSocket`, `transcribe` and users' own pipelines. Each socket the `factory` makes opens after
 * `openDelayMs` (0 by default) unless `onConnection` scripts another handshake; the test scripts
 * server messages and closes with a {@link FakeConnection}'s `emit`, `close`, `drop`,
 * `failHandshake` (each with a delay in ms), and reads what the client sent from `sent` (text or
 * binary, with virtual send times), `textFrames`, `audioBytes` and `closed`.
 *
 * @param config - scheduler, handshake delay, CloseStream and idle-timeout behaviour, scripting hook
 * @throws RangeError when `openDelayMs`, `closeStream`, `closeStreamDelayMs` or `idleTimeoutMs` is invalid
 * @throws TypeError when `scheduler` is not an rxjs `SchedulerLike`
 * @example
 * ```ts
 * import { TestScheduler } from 'rxjs/testing';
 * import { liveSocket, KEEP_ALIVE } from 'deepgram-rx';
 * import { fakeDeepgram } from 'deepgram-rx/testing';
 *
 * const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
 * scheduler.run(({ cold, expectObservable }) => {
 *   const server = fakeDeepgram({
 *     scheduler,
 *     openDelayMs: 5,
 *     onConnection: (c) => c.emit({ type: 'SpeechStarted', channel: [0, 1], timestamp: 0.5 }, 10).close(1000, '', 20),
 *   });
 *   const socket$ = liveSocket({ url: 'wss://fake/v1/listen', webSocket: server.factory, frames: cold('a', { a: KEEP_ALIVE }) });
 *   expectObservable(socket$).toBe('5ms o 4ms m 9ms |', {
 *     o: { type: 'open', requestId: '00000000-0000-4000-8000-000000000001', protocol: '' },
 *     m: { type: 'message', message: { type: 'SpeechStarted', channel: [0, 1], timestamp: 0.5 } },
 *   });
 * });
 * ```
 */
export function fakeDeepgram(config: FakeDeepgramConfig = {}): FakeDeepgram {
  const openDelayMs = config.openDelayMs ?? 0;
  if (openDelayMs !== false && (!Number.isFinite(openDelayMs) || openDelayMs < 0)) {
    throw new RangeError(`fakeDeepgram: openDelayMs must be ≥ 0 or false, got ${openDelayMs}`);
  }
  const closeStream = config.closeStream ?? 'metadata-and-close';
  if (closeStream !== 'metadata-and-close' && closeStream !== 'ignore') {
    throw new RangeError(
      `fakeDeepgram: closeStream must be 'metadata-and-close' or 'ignore', got ${JSON.stringify(closeStream)}`,
    );
  }
  const closeStreamDelayMs = config.closeStreamDelayMs ?? 0;
  if (!Number.isFinite(closeStreamDelayMs) || closeStreamDelayMs < 0) {
    throw new RangeError(`fakeDeepgram: closeStreamDelayMs must be ≥ 0, got ${closeStreamDelayMs}`);
  }
  if (config.idleTimeoutMs !== undefined && !isTimerDelay(config.idleTimeoutMs)) {
    throw new RangeError(
      `fakeDeepgram: idleTimeoutMs must be > 0 and at most ${MAX_TIMER_MS} (the longest timer), got ${config.idleTimeoutMs}`,
    );
  }
  const settings = {
    scheduler: schedulerOption('fakeDeepgram', config.scheduler),
    browserLike: config.browserLike ?? false,
    closeStream,
    closeStreamDelayMs,
    idleTimeoutMs: config.idleTimeoutMs,
  } as const;
  const requestIdOf = config.requestId ?? defaultRequestId;
  const connections: FakeConnection[] = [];

  const factory: WebSocketFactory = ({ url, credentials }) => {
    const index = connections.length;
    const connection = new FakeConnection(index, url, credentials, requestIdOf(index), settings);
    connections.push(connection);
    // First, so that what onConnection scripts for the same time comes after the open.
    if (openDelayMs !== false) connection.openByDefault(openDelayMs);
    config.onConnection?.(connection);
    return connection.socket;
  };

  return {
    factory,
    connections,
    get last() {
      return connections[connections.length - 1];
    },
  };
}
