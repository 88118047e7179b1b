/**
 * The body of one `transcribe()` subscription: wires the audio, the outbox, one connection, the
 * timeline and the meter together, and decides how the session ends.
 */
import { timer, type Observable, type Subscriber } from 'rxjs';
import { CLOSE_STREAM, finalizeFrame, KEEP_ALIVE, type Frame } from '../protocol/frames';
import type { ServerMessage } from '../protocol/messages';
import { gateSilence, type GatedSpan } from '../operators/gateSilence';
import { LiveError } from '../socket/liveError';
import type { SocketEvent } from '../socket/liveSocket';
import { connection } from './connection';
import type { LiveEvent } from './liveEvent';
import { Outbox } from './outbox';
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
  const meter = new UsageMeter(startedAt, bytesPerSecond);
  const timeline = createTimeline();
  const gated = new GatedOffsets();
  let audioCompleted = false;
  let closeStreamSent = false;
  let requestId: string | undefined;

  const fail = (error: unknown): void => subscriber.error(error);
  const finish = (closeTimedOut: boolean): void => {
    if (subscriber.closed) return;
    subscriber.next(meter.usage(scheduler.now(), closeTimedOut));
    subscriber.complete();
  };

  const written = (frame: Frame): void => {
    if (typeof frame !== 'string') {
      const sentSeconds = meter.sentSeconds;
      meter.audioSent(frame.byteLength);
      if (sentSeconds !== undefined && bytesPerSecond !== undefined) {
        timeline.sent(gated.originalAt(sentSeconds), frame.byteLength / bytesPerSecond);
      }
    } else if (frame === KEEP_ALIVE) {
      meter.keepAliveSent();
      subscriber.next({ type: 'KeepAlive', at: scheduler.now() - startedAt });
    } else if (frame === CLOSE_STREAM && !closeStreamSent) {
      closeStreamSent = true;
      subscriber.add(timer(settings.closeTimeoutMs, scheduler).subscribe(() => finish(true)));
    }
  };

  const outbox = new Outbox(
    {
      maxBufferBytes: settings.maxBufferBytes,
      highWaterBytes: settings.highWaterBytes,
      drainPollMs: settings.drainPollMs,
      scheduler,
    },
    { written, overflow: fail },
  );
  subscriber.add(() => outbox.dispose());

  const onMessage = (message: ServerMessage): void => {
    if (message.type === 'Metadata') meter.metadata(message.duration);
    const event = timeline.dedupe(timeline.rebase(message));
    if (event !== undefined) subscriber.next(event);
  };

  const onSocketEvent = (event: SocketEvent): void => {
    switch (event.type) {
      case 'open':
        requestId = event.requestId;
        meter.connectionOpened();
        timeline.connectionOpened();
        subscriber.next(
          requestId === undefined ? { type: 'Open', attempt: 1 } : { type: 'Open', requestId, attempt: 1 },
        );
        return;
      case 'message':
        onMessage(event.message);
        return;
      case 'decode-failure':
        subscriber.next({ type: 'DecodeFailure', failure: event.failure });
        return;
    }
  };

  const onServerClosed = (): void => {
    if (closeStreamSent) {
      finish(false);
      return;
    }
    fail(
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

  // The connection: one attempt for now (reconnection will repeat this unit).
  subscriber.add(
    connection(settings, (socket) => outbox.framesFor(socket)).subscribe({
      next: onSocketEvent,
      error: fail,
      complete: onServerClosed,
    }),
  );
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
        meter.audioArrived(scheduler.now());
        // An empty binary frame would be Deepgram's legacy end-of-stream signal: never send one.
        if (frame.byteLength > 0) outbox.push(frame);
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
}
