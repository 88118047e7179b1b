/**
 * The body of one `transcribe()` subscription: wires the audio, the outbox, the connections (one,
 * or a new one after each retryable failure, with replay), the timeline and the meter together,
 * and decides how the session ends.
 */
import { timer, type Observable, type Subscriber, type Subscription } from 'rxjs';
import { CLOSE_STREAM, finalizeFrame, KEEP_ALIVE, type Frame } from '../protocol/frames';
import type { ServerMessage } from '../protocol/messages';
import { gateSilence, type GatedSpan } from '../operators/gateSilence';
import { LiveError } from '../socket/liveError';
import type { SocketEvent } from '../socket/liveSocket';
import { connection } from './connection';
import type { LiveEvent } from './liveEvent';
import { Outbox } from './outbox';
import {
  backoffDelay,
  containerCannotResumeError,
  halfOpenError,
  keepAliveStarvedError,
  retryDecision,
} from './reconnectPolicy';
import { ReplayRing } from './replayRing';
import { createTimeline } from './timeline';
import type { SessionSettings } from './transcribeConfig';
import { UsageMeter } from './usageMeter';

/** Where the gate's dropped spans fall on the sent audio, to place each sent chunk on the original audio. */
class GatedOffsets {
  private spans: GatedSpan[] = [];
  private head = 0;
  /** Seconds of original audio dropped before the current position. */
  private offset = 0;

  add(span: GatedSpan): void {
    this.spans.push(span);
  }

  /** Original position of `sentSeconds` of sent audio (the start of the next chunk). */
  originalAt(sentSeconds: number): number {
    for (;;) {
      const span = this.spans[this.head];
      if (span === undefined || span.sentBefore > sentSeconds + 1e-9) break;
      this.offset += span.to - span.from;
      this.head++;
    }
    if (this.head > 0 && this.head === this.spans.length) {
      this.spans = [];
      this.head = 0;
    }
    return sentSeconds + this.offset;
  }
}

function describeChunk(value: unknown): string {
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' ? 'a string' : String(value);
  return `a ${Object.prototype.toString.call(value).slice(8, -1)}`;
}

/**
 * Runs one session for `subscriber`: subscribes the audio (and `finalize$`) at once, connects, and
 * registers every teardown on the subscriber.
 */
export function runSession(
  audio$: Observable<Uint8Array>,
  settings: SessionSettings,
  subscriber: Subscriber<LiveEvent>,
): void {
  const { scheduler, bytesPerSecond } = settings;
  const startedAt = scheduler.now();
  const meter = new UsageMeter(startedAt, bytesPerSecond, settings.keepAliveIdleMs);
  const timeline = createTimeline();
  const gated = new GatedOffsets();
  let audioCompleted = false;
  let closeStreamSent = false;
  let closeTimer: Subscription | undefined;
  let requestId: string | undefined;
  const reconnect = settings.reconnect;
  /** Raw audio maps bytes to time: it can be replayed and resumed on a new connection. */
  const resumable = bytesPerSecond !== undefined;
  const ring = reconnect === undefined || !resumable ? undefined : new ReplayRing(reconnect.replayMs / 1000);
  /** Bytes of (post-gate) audio that entered the session: the next chunk's place. */
  let arrivedBytes = 0;
  let audioWritten = false;
  let connections = 0;
  let retries = 0;
  let net0001Retried = false;
  let current: Subscription | undefined;
  let connectionOpen = false;
  let healthTimer: Subscription | undefined;
  let silenceTimer: Subscription | undefined;
  /**
   * Half-open watch, per connection: audio sent (bytes: an integer, so updating it per chunk
   * allocates nothing), how far the server's Results reached (s), when.
   */
  let connectionSentBytes = 0;
  let serverHeardTo = 0;
  let lastAudioAt = 0;
  let lastMessageAt = 0;
  let retryTimer: Subscription | undefined;
  let pendingGap: { from: number; to: number; reason: string } | undefined;

  const flushGap = (): void => {
    if (pendingGap === undefined) return;
    const { from, to, reason } = pendingGap;
    pendingGap = undefined;
    subscriber.next({ type: 'Gap', from: round6(from), to: round6(to), reason });
  };
  const addGap = (from: number, to: number, reason: string): void => {
    if (pendingGap !== undefined && pendingGap.reason === reason && from <= pendingGap.to + 1e-6) {
      pendingGap = { from: pendingGap.from, to: Math.max(pendingGap.to, to), reason };
      return;
    }
    flushGap();
    pendingGap = { from, to, reason };
  };

  const fail = (error: unknown): void => {
    if (subscriber.closed) return;
    flushGap();
    subscriber.error(error);
  };
  const finish = (closeTimedOut: boolean): void => {
    if (subscriber.closed) return;
    subscriber.next(meter.usage(scheduler.now(), closeTimedOut));
    subscriber.complete();
  };

  const stopTimer = (timerSubscription: Subscription | undefined): undefined => {
    timerSubscription?.unsubscribe();
    return undefined;
  };

  /** Audio the server has not reported on yet (seconds on the connection's clock). */
  const unreported = (): number => connectionSentBytes / (bytesPerSecond ?? 1) - serverHeardTo;
  /**
   * Half-open detection (with interim results): `serverSilenceMs` without a server message while
   * the server owes results: audio went out after its last message, or more than
   * {@link UNREPORTED_SLACK_SECONDS} of sent audio is not covered by its Results yet (a short tail
   * during a KeepAlive pause is not: Deepgram may say nothing until more audio comes).
   */
  const armSilence = (): void => {
    if (reconnect === undefined || !settings.interimResults || !connectionOpen) return;
    if (silenceTimer !== undefined || unreported() <= 1e-6) return;
    silenceTimer = timer(reconnect.serverSilenceMs, scheduler).subscribe(() => {
      silenceTimer = undefined;
      if (lastAudioAt > lastMessageAt || unreported() > UNREPORTED_SLACK_SECONDS) {
        connectionLost(halfOpenError(reconnect.serverSilenceMs, requestId));
      }
    });
  };
  const serverSpoke = (message?: ServerMessage): void => {
    lastMessageAt = scheduler.now();
    if (message?.type === 'Results')
      serverHeardTo = Math.max(serverHeardTo, message.start + message.duration);
    silenceTimer = stopTimer(silenceTimer);
    armSilence();
  };

  const written = (frame: Frame, from: number): void => {
    if (typeof frame !== 'string') {
      meter.audioSent(frame.byteLength);
      audioWritten = true;
      if (bytesPerSecond !== undefined && !Number.isNaN(from)) {
        const seconds = frame.byteLength / bytesPerSecond;
        timeline.sent(from, seconds);
        ring?.add({ bytes: frame, from, seconds });
        connectionSentBytes += frame.byteLength;
      }
      if (reconnect !== undefined) {
        lastAudioAt = scheduler.now(); // only half-open detection reads it
        armSilence();
      }
    } else if (frame === KEEP_ALIVE) {
      const now = scheduler.now();
      meter.keepAliveSent(now);
      subscriber.next({ type: 'KeepAlive', at: now - startedAt });
    } else if (frame === CLOSE_STREAM && !closeStreamSent) {
      closeStreamSent = true;
      closeTimer = timer(settings.closeTimeoutMs, scheduler).subscribe(() => finish(true));
    }
  };

  /** An audio frame dropped from the outage buffer: its span will never be transcribed. */
  const dropped = (frame: Uint8Array, from: number): void => {
    if (bytesPerSecond === undefined || Number.isNaN(from)) return;
    addGap(
      from,
      from + frame.byteLength / bytesPerSecond,
      'outage buffer full (maxBufferBytes): oldest audio dropped',
    );
  };

  const outbox = new Outbox(
    {
      maxBufferBytes: settings.maxBufferBytes,
      highWaterBytes: settings.highWaterBytes,
      drainPollMs: settings.drainPollMs,
      scheduler,
      dropOldestWhileDetached: ring !== undefined,
    },
    { written, overflow: fail, dropped },
  );
  subscriber.add(() => {
    outbox.dispose();
    current?.unsubscribe();
    closeTimer = stopTimer(closeTimer);
    healthTimer = stopTimer(healthTimer);
    silenceTimer = stopTimer(silenceTimer);
    retryTimer = stopTimer(retryTimer);
  });

  const onMessage = (message: ServerMessage): void => {
    if (message.type === 'Metadata') meter.metadata(message.duration);
    const event = timeline.dedupe(timeline.rebase(message));
    ring?.trim(timeline.finalizedUpTo);
    if (event !== undefined) subscriber.next(event);
  };

  const onSocketEvent = (event: SocketEvent): void => {
    switch (event.type) {
      case 'open':
        requestId = event.requestId;
        connectionOpen = true;
        connectionSentBytes = 0;
        serverHeardTo = 0;
        lastMessageAt = Number.NEGATIVE_INFINITY;
        meter.connectionOpened();
        timeline.connectionOpened();
        flushGap();
        subscriber.next(
          requestId === undefined
            ? { type: 'Open', attempt: connections }
            : { type: 'Open', requestId, attempt: connections },
        );
        if (reconnect !== undefined) {
          healthTimer = timer(reconnect.healthyAfterMs, scheduler).subscribe(() => {
            healthTimer = undefined;
            retries = 0;
            net0001Retried = false;
          });
          // Replay and backlog go out no faster than Deepgram ingests (the frames drain right after this).
          if (connections > 1 && bytesPerSecond !== undefined) {
            outbox.pace((bytesPerSecond * reconnect.replayRate) / 1000);
          }
        }
        return;
      case 'message':
        onMessage(event.message);
        serverSpoke(event.message);
        return;
      case 'decode-failure':
        serverSpoke();
        subscriber.next({ type: 'DecodeFailure', failure: event.failure });
        return;
    }
  };

  const onServerClosed = (): void => {
    if (closeStreamSent) {
      finish(false);
      return;
    }
    connectionLost(
      new LiveError({
        kind: 'network',
        closeCode: 1000,
        message:
          'the server closed the connection (1000) before the audio ended (no CloseStream was sent); ' +
          'the rest of the audio was not transcribed',
        ...(requestId === undefined ? {} : { requestId }),
      }),
    );
  };

  /** Opens one connection (attempt number `connections`). */
  function connect(): void {
    connections++;
    const subscription = connection(settings, (socket) => outbox.framesFor(socket)).subscribe({
      next: onSocketEvent,
      error: connectionLost,
      complete: onServerClosed,
    });
    if (!subscription.closed) current = subscription;
  }

  /**
   * The current connection failed (or is dead): close it, then reconnect with backoff when the
   * policy allows, queueing the audio to replay first; otherwise end the session with `error`.
   */
  function connectionLost(error: unknown): void {
    if (subscriber.closed) return;
    const lost = current;
    current = undefined;
    connectionOpen = false;
    healthTimer = stopTimer(healthTimer);
    silenceTimer = stopTimer(silenceTimer);
    closeTimer = stopTimer(closeTimer);
    lost?.unsubscribe();
    if (reconnect === undefined) {
      fail(error);
      return;
    }
    const decision = retryDecision(error, net0001Retried);
    if (!decision.retry || !(error instanceof LiveError) || retries >= reconnect.maxAttempts) {
      fail(error);
      return;
    }
    if (audioWritten && ring === undefined) {
      fail(containerCannotResumeError(error));
      return;
    }
    retries++;
    let reported = error;
    if (error.code === 'NET-0001') {
      net0001Retried = true;
      reported = keepAliveStarvedError(error);
    }
    const delayMs = backoffDelay(retries, reconnect, decision.minDelayMs);
    if (ring !== undefined) {
      const { chunks, lost: evicted } = ring.take();
      if (evicted !== undefined) {
        addGap(
          evicted.from,
          evicted.to,
          'replay buffer full (reconnect.replayMs): audio not final was not kept',
        );
      }
      outbox.prepend(
        chunks.map((c) => c.bytes),
        chunks.map((c) => c.from),
      );
    }
    if (closeStreamSent) {
      // The audio had ended: ask the new connection to flush again, after the replay.
      closeStreamSent = false;
      outbox.push(CLOSE_STREAM);
    }
    subscriber.next({ type: 'Reconnecting', attempt: retries, delayMs, error: reported });
    retryTimer = timer(delayMs, scheduler).subscribe(() => {
      retryTimer = undefined;
      connect();
    });
  }

  connect();
  if (subscriber.closed) return;

  // The audio, subscribed at once: chunks wait in the outbox until the socket opens.
  const gate = settings.gate;
  const source$ =
    gate === undefined
      ? audio$
      : audio$.pipe(
          gateSilence({
            ...gate,
            onGate: (span) => {
              gated.add(span);
              meter.gated(span.to - span.from);
              gate.onGate?.(span);
            },
          }),
        );
  subscriber.add(
    source$.pipe(settings.keepAlive).subscribe({
      next: (frame) => {
        if (frame === KEEP_ALIVE) {
          // Nothing to keep alive before the socket is open.
          if (outbox.attached) outbox.push(frame);
          return;
        }
        if (!(frame instanceof Uint8Array)) {
          fail(new TypeError(`transcribe: audio chunks must be Uint8Array, got ${describeChunk(frame)}`));
          return;
        }
        // The meter needs the time only for the first chunk after a KeepAlive: no clock read per chunk.
        if (meter.inPause) meter.audioArrived(scheduler.now());
        // An empty binary frame would be Deepgram's legacy end-of-stream signal: never send one.
        if (frame.byteLength === 0) return;
        let from = Number.NaN;
        if (bytesPerSecond !== undefined) {
          from = gated.originalAt(arrivedBytes / bytesPerSecond);
          arrivedBytes += frame.byteLength;
        }
        outbox.push(frame, from);
      },
      error: fail,
      complete: () => {
        audioCompleted = true;
        meter.audioCompleted(scheduler.now());
        outbox.push(CLOSE_STREAM);
      },
    }),
  );
  if (subscriber.closed) return;

  const finalize$ = settings.finalize$;
  if (finalize$ !== undefined) {
    subscriber.add(
      finalize$.subscribe({
        next: (channel) => {
          if (audioCompleted) return;
          let frame: string;
          try {
            frame = finalizeFrame((channel as number | null | undefined) ?? undefined);
          } catch (error) {
            fail(error);
            return;
          }
          outbox.push(frame);
        },
        error: fail,
      }),
    );
  }

  // Running Usage snapshots (the meter option), until the session ends.
  const meter$ = settings.meter$;
  if (meter$ !== undefined) {
    subscriber.add(
      meter$.subscribe({ next: () => subscriber.next(meter.snapshot(scheduler.now())), error: fail }),
    );
  }
}

/** Unreported audio (s) beyond which a silent server is dead even when no audio went out since its last message. */
const UNREPORTED_SLACK_SECONDS = 1;

/** Rounds to microseconds, so spans of float seconds print cleanly. */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
