/**
 * One scripted connection of the fake Deepgram server: the client-side `WebSocketLike` that the
 * code under test uses, and the server-side controls a test drives on a (virtual) scheduler.
 */
import type { SchedulerLike, Subscription } from 'rxjs';
import { CLOSE_STREAM } from '../protocol/frames';
import {
  CLOSED,
  CLOSING,
  CONNECTING,
  OPEN,
  type LiveCredentials,
  type UpgradeResponse,
  type WebSocketLike,
  type WebSocketLikeEventMap,
} from '../socket/webSocketLike';

/** A frame the client sent, with the scheduler time at which it was sent. */
export interface SentFrame {
  /** `scheduler.now()` when `send` was called (virtual ms inside `TestScheduler.run`). */
  readonly time: number;
  readonly type: 'text' | 'binary';
  /** The text, or a copy of exactly the bytes of the view that was sent. */
  readonly data: string | Uint8Array;
}

/** How a fake connection ended. */
export interface FakeClose {
  readonly by: 'client' | 'server';
  /** The close code; for a client `close()` without a code, `undefined` (the event then says 1005). */
  readonly code: number | undefined;
  readonly reason: string;
  readonly time: number;
}

/** Options of a handshake refusal, see {@link FakeConnection.failHandshake}. */
export interface FakeHandshakeFailure {
  /** Extra or replacing response headers (lower case), e.g. `{ 'retry-after': '2' }`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The response body; default Deepgram's JSON `{ err_code, err_msg, request_id }` for the status. */
  readonly body?: string;
  /** When, in ms from now (default 0). */
  readonly delayMs?: number;
}

/** What every connection of a {@link FakeDeepgram} shares. */
export interface FakeConnectionSettings {
  readonly scheduler: SchedulerLike;
  readonly browserLike: boolean;
  readonly closeStream: 'metadata-and-close' | 'ignore';
  readonly closeStreamDelayMs: number;
  readonly idleTimeoutMs: number | undefined;
}

const NET_0001_REASON =
  'Deepgram did not receive audio data or a text message within the timeout window. See https://dpgr.am/net0001';

const DEFAULT_REFUSALS: Readonly<Record<number, readonly [string, string]>> = {
  400: ['INVALID_QUERY_PARAMETER', 'Bad Request'],
  401: ['INVALID_AUTH', 'Invalid credentials.'],
  402: ['ASR_PAYMENT_REQUIRED', 'Project does not have enough credits for an ASR request.'],
  403: ['INSUFFICIENT_PERMISSIONS', 'Project does not have access to the requested model.'],
  429: ['TOO_MANY_REQUESTS', 'Too many requests. Please try again later'],
  500: ['INTERNAL_SERVER_ERROR', 'Internal server error'],
};

const BYTES_PER_SAMPLE: Readonly<Record<string, number>> = { linear16: 2, linear32: 4, mulaw: 1, alaw: 1 };

type Listener = (event: unknown) => void;

/**
 * One connection made through a {@link FakeDeepgram}'s factory. Read what the client sent
 * (`sent`, `textFrames`, `audioBytes`, `closed`) and script the server (`open`, `emit`, `close`,
 * `drop`, `failHandshake`): every action takes a delay in ms from now on the fake's scheduler and
 * returns the connection, so actions chain. Actions scheduled for a connection that has closed
 * in the meantime are skipped; emitting or closing before the connection opened throws (a script error).
 *
 * @example
 * ```ts
 * import { fakeDeepgram } from 'deepgram-rx/testing';
 * const server = fakeDeepgram({ scheduler, onConnection: (c) => c.emit(speechStarted, 100).close(1011, 'NET-0001', 200) });
 * // … after the run:
 * server.connections[0]?.textFrames; // ['{"type":"KeepAlive"}', …]
 * ```
 */
export class FakeConnection {
  /** 0 for the first connection of the fake server, 1 for the next… */
  readonly index: number;
  /** The URL the client asked for, query included. */
  readonly url: string;
  /** The credentials the client gave its factory (the fake checks nothing). */
  readonly credentials: LiveCredentials | undefined;
  /** The `dg-request-id` of this connection. */
  readonly requestId: string;
  /** Scheduler time when the client created the socket. */
  readonly createdAt: number;
  /** The client side, handed to the code under test. */
  readonly socket: WebSocketLike;
  /** Bytes the client "has not yet sent": set it to simulate backpressure. */
  bufferedAmount = 0;

  private readonly settings: FakeConnectionSettings;
  private readonly sentFrames: SentFrame[] = [];
  private readonly discardedFrames: SentFrame[] = [];
  private readonly listeners = new Map<keyof WebSocketLikeEventMap, Set<Listener>>();
  private state: number = CONNECTING;
  private selectedProtocol = '';
  private upgrade: UpgradeResponse | undefined;
  private closeRecord: FakeClose | undefined;
  private idleTimer: Subscription | undefined;
  private handshakeScripted = false;
  /** The default open (`openByDefault`), until it runs or the script replaces it. */
  private defaultOpen: Subscription | undefined;

  constructor(
    index: number,
    url: string,
    credentials: LiveCredentials | undefined,
    requestId: string,
    settings: FakeConnectionSettings,
  ) {
    this.index = index;
    this.url = url;
    this.credentials = credentials;
    this.requestId = requestId;
    this.settings = settings;
    this.createdAt = settings.scheduler.now();
    this.socket = this.makeClientSocket();
  }

  /** Every frame the client sent while the socket was open, in order, with its send time. */
  get sent(): readonly SentFrame[] {
    return this.sentFrames;
  }

  /**
   * Frames the client sent once the socket was closing or closed: a WebSocket discards them, so the
   * server never got them (they are not in `sent`). Empty when the client stops writing at a close.
   */
  get discarded(): readonly SentFrame[] {
    return this.discardedFrames;
  }

  /** The text frames the client sent (control messages), in order. */
  get textFrames(): string[] {
    return this.sentFrames.flatMap((frame) => (typeof frame.data === 'string' ? [frame.data] : []));
  }

  /** Total bytes of the binary frames (audio) the client sent. */
  get audioBytes(): number {
    return this.sentFrames.reduce(
      (sum, frame) => sum + (typeof frame.data === 'string' ? 0 : frame.data.byteLength),
      0,
    );
  }

  /** The socket's `readyState` (0 connecting, 1 open, 2 closing, 3 closed). */
  get readyState(): number {
    return this.state;
  }

  /** How the connection ended, once it has. */
  get closed(): FakeClose | undefined {
    return this.closeRecord;
  }

  /** The number of listeners the client has registered (all types, or one type). */
  listenerCount(type?: keyof WebSocketLikeEventMap): number {
    if (type !== undefined) return this.listeners.get(type)?.size ?? 0;
    let total = 0;
    for (const set of this.listeners.values()) total += set.size;
    return total;
  }

  /** The query parameters of the URL. */
  get query(): URLSearchParams {
    return new URL(this.url).searchParams;
  }

  /** True when `open` or `failHandshake` was called (the fake then does not open it by itself). */
  get handshakeWasScripted(): boolean {
    return this.handshakeScripted;
  }

  /**
   * Completes the handshake after `delayMs`: the socket opens with this connection's request id
   * (visible to the client as `upgradeResponse` unless the fake is `browserLike`).
   */
  open(delayMs = 0): this {
    this.scriptHandshake();
    return this.at(delayMs, () => this.openNow());
  }

  /**
   * The fake's own open after `delayMs` (`openDelayMs`), scheduled before `onConnection` runs, so
   * that an action scripted for the same time finds the socket open. `open()` or
   * `failHandshake()` in `onConnection` replaces it (internal).
   */
  openByDefault(delayMs: number): void {
    this.defaultOpen = this.settings.scheduler.schedule(() => this.openNow(), delayMs);
  }

  private scriptHandshake(): void {
    this.handshakeScripted = true;
    this.defaultOpen?.unsubscribe();
    this.defaultOpen = undefined;
  }

  private openNow(): void {
    if (this.state !== CONNECTING) return;
    this.state = OPEN;
    if (this.settings.browserLike) {
      this.selectedProtocol = this.credentials?.scheme ?? '';
    } else {
      this.upgrade = { status: 101, headers: { 'dg-request-id': this.requestId } };
    }
    this.resetIdleTimer();
    this.dispatch('open', { type: 'open' });
  }

  /**
   * Refuses the handshake with an HTTP status after `delayMs`, as Deepgram does (JSON body with
   * `err_code`, `dg-error` and `dg-request-id` headers). The client sees `error` then `close` 1006;
   * unless the fake is `browserLike`, its `upgradeResponse` carries the status, headers and body.
   */
  failHandshake(status: number, failure: FakeHandshakeFailure = {}): this {
    this.scriptHandshake();
    return this.at(failure.delayMs ?? 0, () => {
      if (this.state !== CONNECTING) return;
      const [errCode, errMsg] = DEFAULT_REFUSALS[status] ?? ['REQUEST_FAILED', `HTTP ${status}`];
      const body =
        failure.body ?? JSON.stringify({ err_code: errCode, err_msg: errMsg, request_id: this.requestId });
      if (!this.settings.browserLike) {
        this.upgrade = {
          status,
          headers: {
            'content-type': 'application/json',
            'dg-error': errMsg,
            'dg-request-id': this.requestId,
            ...failure.headers,
          },
          body,
        };
      }
      this.finish('server', 1006, '', () => {
        this.dispatch('error', { type: 'error', message: `Unexpected server response: ${status}` });
      });
    });
  }

  /**
   * Sends a server message after `delayMs`: an object is sent as its JSON text, a string as is
   * (e.g. a malformed frame). Throws at that time if the connection has not opened.
   */
  emit(message: object | string, delayMs = 0): this {
    return this.at(delayMs, () => {
      if (this.state === CONNECTING)
        throw new Error(`fake connection ${this.index}: emit() before the socket opened`);
      if (this.state !== OPEN) return;
      this.dispatch('message', { data: typeof message === 'string' ? message : JSON.stringify(message) });
    });
  }

  /** Closes from the server side with a close frame after `delayMs` (default 1000, ''). */
  close(code = 1000, reason = '', delayMs = 0): this {
    return this.at(delayMs, () => {
      if (this.state === CONNECTING)
        throw new Error(
          `fake connection ${this.index}: close() before the socket opened; use failHandshake() or drop()`,
        );
      if (this.state !== OPEN) return;
      this.finish('server', code, reason);
    });
  }

  /**
   * Drops the connection without a close frame after `delayMs`: `error`, then `close` 1006. Before
   * the socket opened this is a connection that could not be made (refused, DNS failure…).
   */
  drop(delayMs = 0): this {
    return this.at(delayMs, () => {
      if (this.state !== CONNECTING && this.state !== OPEN) return;
      this.finish('server', 1006, '', () => {
        this.dispatch('error', { type: 'error', message: 'connection lost (fake)' });
      });
    });
  }

  /** Sends `Metadata` for the audio received so far (as Deepgram does before closing). */
  emitMetadata(delayMs = 0): this {
    return this.at(delayMs, () => {
      if (this.state === CONNECTING)
        throw new Error(`fake connection ${this.index}: emitMetadata() before the socket opened`);
      if (this.state !== OPEN) return;
      this.dispatch('message', { data: JSON.stringify(this.metadata()) });
    });
  }

  private metadata(): object {
    const query = this.query;
    const bytesPerSample = BYTES_PER_SAMPLE[query.get('encoding') ?? ''];
    const sampleRate = Number(query.get('sample_rate'));
    const channels = Number(query.get('channels') ?? '1') || 1;
    const duration =
      bytesPerSample !== undefined && sampleRate > 0
        ? Math.round((this.audioBytes / (bytesPerSample * sampleRate * channels)) * 1000) / 1000
        : 0;
    return {
      type: 'Metadata',
      transaction_key: 'deprecated',
      request_id: this.requestId,
      sha256: 'incomplete',
      created: new Date(this.settings.scheduler.now()).toISOString(),
      duration,
      channels,
    };
  }

  private at(delayMs: number, action: () => void): this {
    if (!Number.isFinite(delayMs) || delayMs < 0)
      throw new RangeError(`fake connection: delayMs must be ≥ 0, got ${delayMs}`);
    this.settings.scheduler.schedule(action, delayMs);
    return this;
  }

  private resetIdleTimer(): void {
    this.idleTimer?.unsubscribe();
    const idle = this.settings.idleTimeoutMs;
    if (idle === undefined || this.state !== OPEN) return;
    this.idleTimer = this.settings.scheduler.schedule(() => {
      if (this.state !== OPEN) return;
      this.dispatch('message', { data: JSON.stringify(this.metadata()) });
      this.finish('server', 1011, NET_0001_REASON);
    }, idle);
  }

  /** Closes now: records who closed, runs `before` (e.g. an error event), then the close event. */
  private finish(by: 'client' | 'server', code: number, reason: string, before?: () => void): void {
    this.state = CLOSED;
    this.idleTimer?.unsubscribe();
    this.closeRecord ??= { by, code, reason, time: this.settings.scheduler.now() };
    before?.();
    this.dispatch('close', { code, reason, wasClean: code !== 1006 });
  }

  private frameOf(data: string | ArrayBufferView): SentFrame {
    const time = this.settings.scheduler.now();
    if (typeof data === 'string') return { time, type: 'text', data };
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    return { time, type: 'binary', data: bytes };
  }

  private receive(data: string | ArrayBufferView): void {
    this.sentFrames.push(this.frameOf(data));
    this.resetIdleTimer();
    if (data === CLOSE_STREAM && this.settings.closeStream === 'metadata-and-close') {
      this.emitMetadata(this.settings.closeStreamDelayMs).close(1000, '', this.settings.closeStreamDelayMs);
    }
  }

  private clientClose(code: number | undefined, reason: string | undefined): void {
    if (this.state === CLOSING || this.state === CLOSED) return;
    const wasConnecting = this.state === CONNECTING;
    this.state = CLOSING;
    this.idleTimer?.unsubscribe();
    this.closeRecord = { by: 'client', code, reason: reason ?? '', time: this.settings.scheduler.now() };
    this.at(0, () => {
      if (wasConnecting) {
        this.finish('client', 1006, '', () => this.dispatch('error', { type: 'error' }));
      } else {
        this.finish('client', code ?? 1005, reason ?? '');
      }
    });
  }

  private dispatch<K extends keyof WebSocketLikeEventMap>(type: K, event: WebSocketLikeEventMap[K]): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }

  private makeClientSocket(): WebSocketLike {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const connection = this;
    const listenersOf = (type: keyof WebSocketLikeEventMap): Set<Listener> => {
      let set = connection.listeners.get(type);
      if (set === undefined) {
        set = new Set();
        connection.listeners.set(type, set);
      }
      return set;
    };
    return {
      binaryType: 'blob',
      get readyState() {
        return connection.state;
      },
      get bufferedAmount() {
        return connection.bufferedAmount;
      },
      get protocol() {
        return connection.selectedProtocol;
      },
      get upgradeResponse() {
        return connection.upgrade;
      },
      send(data: string | ArrayBufferView): void {
        if (connection.state === CONNECTING) {
          throw new Error('InvalidStateError: send() while the WebSocket is still CONNECTING');
        }
        if (typeof data !== 'string' && !ArrayBuffer.isView(data)) {
          throw new TypeError('send() takes a string or an ArrayBufferView (the fake is strict)');
        }
        if (connection.state === OPEN) connection.receive(data);
        else connection.discardedFrames.push(connection.frameOf(data));
      },
      close(code?: number, reason?: string): void {
        connection.clientClose(code, reason);
      },
      addEventListener(type, listener) {
        listenersOf(type).add(listener as Listener);
      },
      removeEventListener(type, listener) {
        listenersOf(type).delete(listener as Listener);
      },
    };
  }
}
