/**
 * The one ordered way out of a session: every frame (audio, KeepAlive, Finalize, CloseStream)
 * goes through the same bounded queue, so a control frame never overtakes audio queued before it.
 * Frames wait while the socket is not open, and while its send buffer is above the high-water mark.
 */
import { interval, Observable, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import type { Frame } from '../protocol/frames';
import type { OpenSocket } from '../socket/liveSocket';
import { AudioBufferOverflowError } from './audioBufferOverflowError';
import { FrameQueue } from './frameQueue';

/** The limits and clock of an {@link Outbox}. */
export interface OutboxSettings {
  /** Most bytes that may wait in the queue; one more frame beyond it is an overflow. */
  readonly maxBufferBytes: number;
  /** Frames wait while the open socket's `bufferedAmount` is above this. */
  readonly highWaterBytes: number;
  /** While frames wait on an open socket, `bufferedAmount` is checked this often (ms). */
  readonly drainPollMs: number;
  readonly scheduler: SchedulerLike;
}

/** What an {@link Outbox} reports, synchronously. */
export interface OutboxHooks {
  /** A frame was just handed to the socket. */
  written(frame: Frame): void;
  /** The queue went over `maxBufferBytes`: the session must end with this error. */
  overflow(error: AudioBufferOverflowError): void;
}

/**
 * The ordered, bounded queue between the session and its socket.
 *
 * - `push` writes a frame at once when the socket is open, nothing waits and `bufferedAmount` is
 *   at most `highWaterBytes` (the per-chunk fast path: no allocation, no timer). Otherwise the
 *   frame waits at the end of the queue.
 * - `framesFor(socket)` is the `frames` Observable of one connection: subscribed at open, it
 *   writes the waiting frames in order, then keeps writing. While frames wait on an open socket, one
 *   `interval` of `drainPollMs` checks `bufferedAmount` (a WebSocket has no drain event); it stops
 *   as soon as the queue is empty. Unsubscribing it detaches the socket; frames wait again.
 * - More than `maxBufferBytes` waiting calls `overflow` (the frames are kept; the caller ends).
 */
export class Outbox {
  private readonly queue = new FrameQueue();
  private sink: Subscriber<Frame> | undefined;
  private socket: OpenSocket | undefined;
  private poll: Subscription | undefined;

  constructor(
    private readonly settings: OutboxSettings,
    private readonly hooks: OutboxHooks,
  ) {}

  /** True while a socket is attached (open). */
  get attached(): boolean {
    return this.sink !== undefined;
  }

  /** Bytes waiting in the queue. */
  get waitingBytes(): number {
    return this.queue.bytes;
  }

  /** Sends `frame` after every frame pushed before it. */
  push(frame: Frame): void {
    const socket = this.socket;
    if (
      socket !== undefined &&
      this.queue.length === 0 &&
      socket.bufferedAmount <= this.settings.highWaterBytes
    ) {
      this.write(frame);
      return;
    }
    this.queue.push(frame);
    if (this.queue.bytes > this.settings.maxBufferBytes) {
      this.hooks.overflow(
        new AudioBufferOverflowError(
          this.queue.bytes,
          this.settings.maxBufferBytes,
          this.attached ? 'drain' : 'open',
        ),
      );
      return;
    }
    this.updatePoll();
  }

  /** The frames to send on an open socket (the `frames` function of `liveSocket`). */
  framesFor(socket: OpenSocket): Observable<Frame> {
    return new Observable<Frame>((sink) => {
      this.sink = sink;
      this.socket = socket;
      this.drain();
      return () => {
        if (this.sink === sink) {
          this.sink = undefined;
          this.socket = undefined;
        }
        this.updatePoll();
      };
    });
  }

  /** Stops polling and forgets the waiting frames. */
  dispose(): void {
    this.sink = undefined;
    this.socket = undefined;
    this.queue.clear();
    this.updatePoll();
  }

  private drain(): void {
    for (;;) {
      const socket = this.socket;
      if (
        socket === undefined ||
        this.queue.length === 0 ||
        socket.bufferedAmount > this.settings.highWaterBytes
      ) {
        break;
      }
      this.write(this.queue.shift()!);
    }
    this.updatePoll();
  }

  private write(frame: Frame): void {
    this.sink?.next(frame);
    this.hooks.written(frame);
  }

  private updatePoll(): void {
    const waiting = this.sink !== undefined && this.queue.length > 0;
    if (waiting && this.poll === undefined) {
      this.poll = interval(this.settings.drainPollMs, this.settings.scheduler).subscribe(() => this.drain());
    } else if (!waiting && this.poll !== undefined) {
      this.poll.unsubscribe();
      this.poll = undefined;
    }
  }
}
