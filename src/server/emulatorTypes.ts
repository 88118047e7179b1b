/**
 * Public types of the Deepgram emulator (`deepgram-rx/node`): its configuration, the running
 * emulator, and the record it keeps of every connection and handshake.
 */
import type { EventEmitter } from 'node:events';
import type { AuthScheme } from './auth';
import type { HandshakeRefusal, SessionFault, SessionFaults } from './faults';
import type { ListenQuery } from './query';
import type { EngineConfig, EngineTuning, RecognizerSource, TranscriptionEngine } from './engine/types';

/**
 * Configuration of `startEmulator`. Every field is optional.
 *
 * @example
 * ```ts
 * import { startEmulator } from 'deepgram-rx/node';
 * const emulator = await startEmulator({ apiKey: 'test-key', idleTimeoutMs: 500, strictKeepAlive: true });
 * ```
 */
export interface EmulatorConfig {
  /** TCP port; 0 (default) picks a free port. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /**
   * Inactivity window in ms (default 10000): with no binary or text frame for this long the
   * emulator sends the `Metadata` and closes `1011` with the NET-0001 reason. At most
   * 2147483647 (Node's longest timer); `startEmulator` throws a `RangeError` otherwise.
   */
  idleTimeoutMs?: number;
  /**
   * Require audio within `idleTimeoutMs` of opening (default false): before the first audio byte,
   * text frames (KeepAlive…) do not reset the timer. After it, every frame does. protocol.md §9.1.
   */
  strictKeepAlive?: boolean;
  /** When set, a handshake must carry this key (`Token`, header or subprotocol) or get 401. */
  apiKey?: string;
  /**
   * Bearer tokens accepted (header `Bearer <t>` or subprotocols `bearer, <t>`): a list, or a
   * function deciding. Setting it also enforces auth. When auth is enforced and this is unset,
   * Bearer tokens are refused.
   */
  accessTokens?: readonly string[] | ((token: string) => boolean);
  /** Where transcript words come from: one recognizer or one per query. Default: no words (silence). */
  recognizer?: RecognizerSource;
  /** The model when the query names none; default `base` (as Deepgram). */
  defaultModel?: string;
  /** `Metadata.sha256`: hex digest of the audio (default) or the literal `incomplete` (2026 servers). */
  sha256?: 'hex' | 'incomplete';
  /** Knobs of the engine's energy detector and chunker. */
  tuning?: EngineTuning;
  /** Faults for every session, or a function choosing them per session. See `FaultPlan`. */
  faults?: SessionFaults;
  /** Refuse handshakes with an HTTP error (e.g. 429 with `Retry-After`). */
  refuseHandshakes?: HandshakeRefusal;
  /** The `dg-request-id` of each handshake; default `crypto.randomUUID()`. */
  requestId?: () => string;
  /** Replaces the transcription engine (tests of the wire layer); default: the emulator's engine. */
  createEngine?: (config: EngineConfig) => TranscriptionEngine;
}

/** How a session ended from the emulator's point of view. */
export type ClosedBy = 'client' | 'server';

/**
 * The record of one connection (open or closed). A snapshot: later frames do not change it.
 *
 * @example
 * ```ts
 * import { startEmulator } from 'deepgram-rx/node';
 * const emulator = await startEmulator();
 * // … run a client against emulator.url …
 * const [session] = emulator.sessions();
 * console.log(session?.audioBytes, session?.keepAliveTimes, session?.closeCode);
 * ```
 */
export interface EmulatorSession {
  /** The `dg-request-id` of the handshake, also `request_id` in every message. */
  requestId: string;
  /** The query as received; a repeated key gives an array. */
  query: ListenQuery;
  /** Bytes of every binary frame received (control JSON sent as binary included). */
  audioBytes: number;
  /** KeepAlive text frames received. */
  keepAlives: number;
  /** Finalize text frames received. */
  finalizes: number;
  /** CloseStream text frames received, plus empty binary frames (the legacy close signal). */
  closeStreams: number;
  /** Binary frames whose bytes are a control message (a client bug; handled as audio, like Deepgram). */
  binaryControlFrames: number;
  /** The close code: the one the emulator sent, else the client's; 1006 when the TCP connection dropped. */
  closeCode?: number;
  closeReason?: string;

  /** 0 for the first accepted connection of this emulator, 1 for the next, … */
  index: number;
  /** `closing`: the emulator sent its close frame (or dropped the connection) and waits for the socket to end. */
  state: 'open' | 'closing' | 'closed';
  /** Who started the close: the emulator (timeout, CloseStream, fault, shutdown) or the client. */
  closedBy?: ClosedBy;
  /** Wall-clock time of the upgrade and of the close (ms since the epoch). */
  openedAt: number;
  closedAt?: number;
  /** The audio clock: seconds of audio the engine decoded. */
  audioSeconds: number;
  binaryFrames: number;
  textFrames: number;
  /** Empty binary frames received (each also counted in `closeStreams`). */
  emptyFrames: number;
  configures: number;
  syncs: number;
  /** Text frames answered with an `Error` of variant `SchemaError`. */
  schemaErrors: number;
  /** Text frames the emulator sent (fault frames included). */
  messagesSent: number;
  /** When each KeepAlive arrived, in ms since the connection opened. */
  keepAliveTimes: number[];
  /** For each KeepAlive, ms since the previous client frame (or since open): measures KeepAlive lateness. */
  keepAliveGaps: number[];
  /** When the first audio byte arrived (ms since open). */
  firstAudioMs?: number;
  /** When the last client frame arrived (ms since open). */
  lastFrameMs?: number;
  /** How the client authenticated (recorded even when auth is not enforced). */
  authScheme: AuthScheme;
  /** The subprotocol the emulator answered with (`token` or `bearer`), if any. */
  protocol?: string;
  /** Kinds of the faults that fired, in order. */
  faultsFired: SessionFault['kind'][];
  /** Query settings the emulator accepted but ignores (e.g. `utterance_end_ms` without interim results). */
  warnings: string[];
  /** Set when the engine could not decode the audio (closed 1008 DATA-0000): what was wrong. */
  fatalDetail?: string;
}

/** One upgrade attempt on the emulator, accepted (101) or refused (4xx/5xx). */
export interface HandshakeRecord {
  requestId: string;
  /** ms since the epoch. */
  at: number;
  path: string;
  query: ListenQuery;
  status: number;
  /** `err_code` of a refused handshake. */
  errCode?: string;
  errMsg?: string;
  authScheme: AuthScheme;
}

/** Events of a running emulator; listeners receive snapshots. */
export interface EmulatorEvents {
  /** A connection was upgraded. */
  open: [EmulatorSession];
  /** A connection closed (any reason). */
  close: [EmulatorSession];
  /** A handshake was answered (101 or an error). */
  handshake: [HandshakeRecord];
}

/** Options of the waiting helpers; `timeoutMs` (default 10000) rejects instead of hanging a test. */
export interface WaitOptions {
  timeoutMs?: number;
}

/**
 * A running emulator.
 *
 * @example
 * ```ts
 * import { startEmulator } from 'deepgram-rx/node';
 * const emulator = await startEmulator({ idleTimeoutMs: 300 });
 * const opened = emulator.nextSession();
 * // … connect a client to emulator.url …
 * const { requestId } = await opened;
 * const closed = await emulator.waitForClose({ requestId, timeoutMs: 2000 });
 * console.log(closed.closeCode); // 1011 if the client went silent
 * await emulator.close();
 * ```
 */
export interface Emulator {
  /** `ws://HOST:PORT/v1/listen`. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** One record per connection, open or closed, in order of opening (snapshots). */
  sessions(): EmulatorSession[];
  /** One record per handshake answered, in order. */
  handshakes(): HandshakeRecord[];
  /** Forgets the records of closed sessions and all handshake records (long benchmarks). */
  clearRecords(): void;
  /** `open`, `close` and `handshake` events. */
  events: EventEmitter<EmulatorEvents>;
  /** The next connection to open after this call. */
  nextSession(options?: WaitOptions): Promise<EmulatorSession>;
  /**
   * Resolves with the session's final record once it has closed (at once if it already has). With no
   * `requestId`: the most recently opened session, or the next one to open if there is none yet.
   */
  waitForClose(options?: WaitOptions & { requestId?: string }): Promise<EmulatorSession>;
  /** Replaces the session faults for connections opened from now on (undefined: none). */
  setFaults(faults: SessionFaults | undefined): void;
  /** Refuses the next handshakes (undefined: accept again). */
  refuseHandshakes(refusal: HandshakeRefusal | undefined): void;
  /**
   * Terminates every connection, then stops listening. A `waitForClose()` of a session it closes
   * resolves; any other `nextSession()` or `waitForClose()` still waiting rejects at once (no timer
   * stays behind), and so does a later wait for a session that is not closed. Idempotent.
   */
  close(): Promise<void>;
}
