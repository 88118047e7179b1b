/**
 * One emulator connection: feeds the frames it receives to its engine, answers control messages,
 * runs the inactivity timer and the session's faults, and keeps the session record up to date.
 */
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import * as E from 'fp-ts/lib/Either.js';
import { WebSocket } from 'ws';
import { CloseCode, DATA0000_REASON, NET0000_REASON, NET0001_REASON } from './closeReasons';
import {
  controlTypeOfBinary,
  parseControlMessage,
  schemaError,
  type ControlMessage,
} from './controlMessages';
import type { OutboundMessage, TranscriptionEngine } from './engine/types';
import type { EmulatorSession } from './emulatorTypes';
import { malformedText, type SessionFault } from './faults';
import type { ListenParams } from './query';

/** What a connection needs; the record is owned and mutated by the connection. */
export interface ConnectionSetup {
  readonly ws: WebSocket;
  /** The upgraded socket under `ws` (a stall keeps it from being read again). */
  readonly socket: Duplex;
  readonly record: EmulatorSession;
  readonly params: ListenParams;
  readonly engine: TranscriptionEngine;
  readonly idleTimeoutMs: number;
  readonly strictKeepAlive: boolean;
  readonly faults: readonly SessionFault[];
  /** Called once, after the record has its close fields. */
  readonly onClosed: () => void;
}

type State = 'open' | 'closing' | 'stalled' | 'closed';

/**
 * The close codes `ws` sends when it refuses a received frame, by its error code: invalid UTF-8 in
 * a text frame (1007), a frame over `maxPayload` (1009), too many fragments (1008), anything else
 * against the protocol (1002).
 */
const WS_REFUSAL_CODES: Readonly<Record<string, number>> = {
  WS_ERR_INVALID_UTF8: 1007,
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 1009,
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: 1009,
  WS_ERR_TOO_MANY_BUFFERED_PARTS: 1008,
  WS_ERR_EXPECTED_FIN: 1002,
  WS_ERR_EXPECTED_MASK: 1002,
  WS_ERR_UNEXPECTED_MASK: 1002,
  WS_ERR_INVALID_OPCODE: 1002,
  WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH: 1002,
  WS_ERR_INVALID_CLOSE_CODE: 1002,
  WS_ERR_UNEXPECTED_RSV_1: 1002,
  WS_ERR_UNEXPECTED_RSV_2_3: 1002,
};

function isNova3(model: string): boolean {
  return model === 'nova-3' || model.startsWith('nova-3-');
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Drives one accepted WebSocket until it closes. */
export class EmulatorConnection {
  private state: State = 'open';
  private readonly openedMono = performance.now();
  private lastFrameMono = this.openedMono;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly faultTimers: NodeJS.Timeout[] = [];
  private readonly pendingByteFaults: SessionFault[] = [];
  private readonly fired = new Set<SessionFault>();
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;

  constructor(private readonly setup: ConnectionSetup) {
    const { ws } = setup;
    this.closed = new Promise((resolve) => {
      ws.once('close', (code: number, reason: Buffer) => {
        this.onSocketClose(code, reason.toString('utf8'));
        resolve();
      });
    });
    ws.on('error', (error: Error) => this.onSocketError(error));
    ws.on('message', (data, isBinary) => this.onFrame(toBuffer(data), isBinary));
    this.idleTimer = setTimeout(() => this.onIdle(), setup.idleTimeoutMs);
    for (const fault of setup.faults) this.schedule(fault);
  }

  /** Closes the connection without a close frame (emulator shutdown). */
  terminate(): void {
    if (this.state === 'closed') return;
    this.markServerClose(CloseCode.abnormal, '');
    this.setup.ws.terminate();
  }

  private get record(): EmulatorSession {
    return this.setup.record;
  }

  private elapsedMs(now = performance.now()): number {
    return now - this.openedMono;
  }

  private onFrame(bytes: Buffer, isBinary: boolean): void {
    if (this.state !== 'open') return;
    const now = performance.now();
    const gap = now - this.lastFrameMono;
    this.lastFrameMono = now;
    this.record.lastFrameMs = this.elapsedMs(now);
    if (isBinary) this.onBinary(bytes);
    else this.onText(bytes.toString('utf8'), gap);
  }

  private onBinary(bytes: Buffer): void {
    const record = this.record;
    record.binaryFrames++;
    this.idleTimer?.refresh();
    if (bytes.length === 0) {
      record.emptyFrames++;
      record.closeStreams++;
      this.endStream();
      return;
    }
    if (controlTypeOfBinary(bytes) !== undefined) record.binaryControlFrames++;
    record.audioBytes += bytes.length;
    record.firstAudioMs ??= record.lastFrameMs;
    const messages = this.callEngine(() => this.setup.engine.pushAudio(bytes));
    if (messages === undefined) return;
    record.audioSeconds = this.setup.engine.audioSeconds;
    this.sendAll(messages);
    const fatal = this.setup.engine.fatal;
    if (fatal !== undefined) {
      record.fatalDetail = fatal.detail;
      this.closeFatal('DATA-0000', DATA0000_REASON, CloseCode.policyViolation);
      return;
    }
    this.fireByteFaults();
  }

  private onText(text: string, gapMs: number): void {
    const record = this.record;
    record.textFrames++;
    if (!(this.setup.strictKeepAlive && record.audioBytes === 0)) this.idleTimer?.refresh();
    const parsed = parseControlMessage(text);
    if (E.isLeft(parsed)) {
      record.schemaErrors++;
      this.send(schemaError(parsed.left, text));
      return;
    }
    this.onControl(parsed.right, gapMs);
  }

  private onControl(message: ControlMessage, gapMs: number): void {
    const record = this.record;
    switch (message.type) {
      case 'KeepAlive':
        record.keepAlives++;
        record.keepAliveTimes.push(record.lastFrameMs ?? 0);
        record.keepAliveGaps.push(gapMs);
        return;
      case 'Finalize': {
        record.finalizes++;
        const messages = this.callEngine(() => this.setup.engine.finalize(message.channel));
        if (messages) this.sendAll(messages);
        return;
      }
      case 'CloseStream':
        record.closeStreams++;
        this.endStream();
        return;
      case 'Sync':
        record.syncs++;
        this.send({ type: 'Sync', id: message.id });
        return;
      case 'Configure':
        record.configures++;
        if (message.keyterms !== undefined && !isNova3(this.setup.params.model)) {
          this.send({
            type: 'Error',
            variant: 'InvalidConfigureMessage',
            code: 'KeytermsNotSupported',
            description: `Keyterms are only supported with Nova-3 models, not '${this.setup.params.model}'.`,
          });
          return;
        }
        this.send({
          type: 'ConfigureSuccess',
          request_id: record.requestId,
          ...(message.keyterms !== undefined ? { keyterms: message.keyterms } : {}),
        });
        return;
    }
  }

  /** Runs an engine call; an exception closes the session like an internal error (NET-0000). */
  private callEngine(call: () => OutboundMessage[]): OutboundMessage[] | undefined {
    try {
      return call();
    } catch {
      this.closeFatal('NET-0000', NET0000_REASON, CloseCode.internalError);
      return undefined;
    }
  }

  /** CloseStream (or an empty binary frame): remaining finals, the Metadata, then close 1000. */
  private endStream(): void {
    const messages = this.callEngine(() => this.setup.engine.close());
    if (messages === undefined) return;
    this.sendAll(messages);
    this.closeWith(CloseCode.normal, '');
  }

  private onIdle(): void {
    if (this.state !== 'open') return;
    try {
      this.send(this.setup.engine.metadata());
    } catch {
      // The close below still happens.
    }
    this.closeFatal('NET-0001', NET0001_REASON, CloseCode.internalError);
  }

  /** A server-side fatal condition: with `debug=true` an Error (variant Closing) first, then the close. */
  private closeFatal(code: string, reason: string, closeCode: number): void {
    if (this.state !== 'open') return;
    if (this.setup.params.debug) {
      this.send({ type: 'Error', variant: 'Closing', code, description: reason });
    }
    this.closeWith(closeCode, reason);
  }

  private send(message: OutboundMessage): void {
    this.sendText(JSON.stringify(message));
  }

  private sendText(text: string): void {
    if (this.setup.ws.readyState !== WebSocket.OPEN) return;
    this.setup.ws.send(text);
    this.record.messagesSent++;
  }

  private sendAll(messages: readonly OutboundMessage[]): void {
    for (const message of messages) this.send(message);
  }

  /**
   * `ws` refused a frame and closes the connection itself, with the status code of the refusal:
   * the record says the server closed it, with that code, not that the client went away.
   */
  private onSocketError(error: Error): void {
    const code = WS_REFUSAL_CODES[(error as { code?: unknown }).code as string];
    if (code !== undefined && (this.state === 'open' || this.state === 'stalled'))
      this.markServerClose(code, '');
  }

  private markServerClose(code: number, reason: string): void {
    if (this.record.state === 'open') this.record.state = 'closing';
    this.record.closeCode ??= code;
    this.record.closeReason ??= reason;
    this.record.closedBy ??= 'server';
  }

  private closeWith(code: number, reason: string): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    this.clearTimers();
    this.markServerClose(code, reason);
    this.setup.ws.close(code, reason);
  }

  private clearTimers(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    for (const timer of this.faultTimers) clearTimeout(timer);
    this.faultTimers.length = 0;
  }

  private onSocketClose(code: number, reason: string): void {
    const wasOpen = this.state === 'open' || this.state === 'stalled';
    this.state = 'closed';
    this.clearTimers();
    const record = this.record;
    if (wasOpen && record.closedBy === undefined) {
      record.closeCode = code;
      record.closeReason = reason;
      record.closedBy = 'client';
    }
    record.state = 'closed';
    record.closedAt = Date.now();
    this.setup.onClosed();
  }

  /**
   * A dead server answers nothing and notices nothing. `ws.pause()` stops reading the socket, but
   * `ws` still parses the rest of what it has already read: a close frame in it would be answered
   * and the socket read again, a ping answered with a pong. And a paused socket with nothing left
   * to read still reports the client's FIN, which `ws` and Node answer by closing. So for the rest
   * of this connection's life its close and pong do nothing, the socket stays paused and the end
   * of its input goes unheard; `terminate()` (the emulator's shutdown) still ends it.
   */
  private goSilent(): void {
    const { ws, socket } = this.setup;
    ws.pause();
    const answerNothing = (): void => undefined;
    Object.defineProperty(ws, 'close', { value: answerNothing, configurable: true });
    Object.defineProperty(ws, 'pong', { value: answerNothing, configurable: true });
    Object.defineProperty(socket, 'resume', { value: () => socket, configurable: true });
    socket.removeAllListeners('end');
  }

  private schedule(fault: SessionFault): void {
    if (fault.afterAudioBytes === undefined && fault.atMs === undefined) {
      this.fire(fault);
      return;
    }
    if (fault.afterAudioBytes !== undefined) this.pendingByteFaults.push(fault);
    if (fault.atMs !== undefined) this.faultTimers.push(setTimeout(() => this.fire(fault), fault.atMs));
  }

  private fireByteFaults(): void {
    const bytes = this.record.audioBytes;
    for (const fault of [...this.pendingByteFaults]) {
      if (bytes >= (fault.afterAudioBytes ?? Infinity)) this.fire(fault);
    }
  }

  private fire(fault: SessionFault): void {
    if (this.fired.has(fault) || this.state !== 'open') return;
    this.fired.add(fault);
    const pending = this.pendingByteFaults.indexOf(fault);
    if (pending >= 0) this.pendingByteFaults.splice(pending, 1);
    this.record.faultsFired.push(fault.kind);
    switch (fault.kind) {
      case 'close':
        if (fault.metadata) {
          const metadata = this.callEngine(() => [this.setup.engine.metadata()]);
          if (metadata === undefined) return;
          this.sendAll(metadata);
        }
        this.closeWith(fault.code, fault.reason ?? '');
        return;
      case 'drop':
        this.state = 'closing';
        this.clearTimers();
        this.markServerClose(CloseCode.abnormal, '');
        this.setup.ws.terminate();
        return;
      case 'stall':
        this.state = 'stalled';
        this.clearTimers();
        this.goSilent();
        return;
      case 'malformed':
        this.sendText(malformedText(fault.payload, this.record.requestId));
        return;
    }
  }
}
