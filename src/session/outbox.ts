/**
 * The one ordered way out of a session: every frame (audio, KeepAlive, Finalize, CloseStream)
 * goes through the same bounded queue, so a control frame never overtakes audio queued before it.
 * Frames wait while the socket is not open, and while its send buffer is above the high-water mark.
 */
import { interval, type SchedulerLike, type Subscription } from 'rxjs';
import type { Frame } from '../protocol/frames';
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
  /**
   * Raw audio of a known format: its bytes per second and per sample frame. The first audio frame
   * of each connection is then cut to start on a sample frame (see {@link Outbox}); the tags of
   * audio frames are their positions in the original audio (seconds).
   */
  readonly bytesPerSecond?: number | undefined;
  readonly frameBytes?: number;
}

/** Where an {@link Outbox} writes: an open socket (a `LiveConnection`). */
export interface FrameSink {
  /** Bytes queued by `send` and not yet handed to the network. */
  readonly bufferedAmount: number;
  /**
   * Sends a frame; false when the socket no longer takes frames (it is closing): the frame was not
   * sent, and waits for the next socket.
   */
  send(frame: Frame): boolean;
}

/** What an {@link Outbox} reports, synchronously. */
export interface OutboxHooks {
  /** A frame was just handed to the socket, with the tag it was pushed with (NaN when none). */
  written(frame: Frame, tag: number): void;
  /** The queue went over `maxBufferBytes`: the session must end with this error. */
  overflow(error: AudioBufferOverflowError): void;
  /**
   * An audio frame was dropped (oldest first) to stay within `maxBufferBytes` during an outage, or
   * while the backlog after it is paced out.
   */
  dropped?(frame: Uint8Array, tag: number): void;
  /**
   * The outbox became direct (`true`: a socket is attached and no frame waits) or stopped being
   * direct. While it is direct, the caller may write a frame to the socket itself instead of
   * pushing it (when the socket's `bufferedAmount` is at most `highWaterBytes`, as `push` would):
   * nothing queued can be overtaken. It then does what it would do in `written` itself.
   */
  directChanged?(direct: boolean): void;
}

/**
 * The ordered, bounded queue between the session and its socket.
 *
 * - `push` writes a frame at once when the socket is open, nothing waits and `bufferedAmount` is
 *   at most `highWaterBytes` (the per-chunk fast path: no allocation, no timer). Otherwise the
 *   frame waits at the end of the queue.
 * - `attach(socket)` (at open) writes the waiting frames in order, then keeps writing. While frames
 *   wait on an open socket, one `interval` of `drainPollMs` checks `bufferedAmount` (a WebSocket has
 *   no drain event); it stops as soon as the queue is empty. `detach()` (the connection ended):
 *   frames wait again.
 * - More than `maxBufferBytes` waiting calls `overflow` (the frames are kept; the caller ends), or,
 *   with `dropOldestInOutage`, drops the oldest audio frames while no socket is attached, and also
 *   while the backlog of an outage is paced out (until `pace`'s queue is empty; a busy network
 *   after that is an overflow). Prepended frames are held to the same bound.
 * - While a socket is attached and no frame waits, the outbox is "direct" (`directChanged`): the
 *   caller may write to the socket itself, which is the same as `push` then.
 * - `pace(bytesPerMs)` (after a reconnect) lets audio out no faster than that rate until the queue
 *   is empty: the n-th paced audio frame waits until the frames before it would have taken their
 *   own length at that rate. Text frames are not paced (but keep their place in the order).
 * - With `frameBytes` > 1, the first audio frame written to each socket starts on a sample frame:
 *   chunks may split samples, and a replay or the audio after dropped frames could otherwise start
 *   a connection in the middle of one, and the server would hear every sample after it with its
 *   bytes shifted (noise; swapped channels in stereo). The bytes before the next frame boundary
 *   (less than one sample frame) are not sent. Until that frame is written the outbox is not direct.
 *   After frames are dropped on an attached socket, the next audio frame is cut the same way so
 *   that its samples line up with the server's (one sample is then made of the two sides' bytes).
 */
export class Outbox {
  private readonly queue = new FrameQueue();
  private socket: FrameSink | undefined;
  private poll: Subscription | undefined;
  private pacing: { bytesPerMs: number; start: number; bytes: number } | undefined;
  private paceTimer: Subscription | undefined;
  private blocked: 'none' | 'buffer' | 'pace' = 'none';
  /** What `directChanged` last reported. */
  private direct = false;
  /**
   * The next audio frame must be cut to line up with the server's samples: the attached socket has
   * had no audio yet, or audio was dropped since the last frame written to it.
   */
  private alignNext = false;
  /** Bytes of audio written to the attached socket (by this outbox: all of it while it paces). */
  private socketBytes = 0;

  /**
   * @param settings - the limits and the clock (a session passes its own settings object)
   * @param hooks - what the outbox reports
   * @param dropOldestInOutage - past `maxBufferBytes` while no socket is attached (an outage
   *   between connections) or while the frames wait on the pacing after it, drop the oldest audio
   *   frames (reported to `dropped`) instead of calling `overflow`
   */
  constructor(
    private readonly settings: OutboxSettings,
    private readonly hooks: OutboxHooks,
    private readonly dropOldestInOutage = false,
  ) {}

  /** True while a socket is attached (open). */
  get attached(): boolean {
    return this.socket !== undefined;
  }

  /** Bytes waiting in the queue. */
  get waitingBytes(): number {
    return this.queue.bytes;
  }

  /** Sends `frame` after every frame pushed before it; `tag` is handed back to `written`. */
  push(frame: Frame, tag = Number.NaN): void {
    const socket = this.socket;
    if (
      socket !== undefined &&
      this.queue.length === 0 &&
      socket.bufferedAmount <= this.settings.highWaterBytes &&
      this.write(frame, tag)
    ) {
      return;
    }
    this.queue.push(frame, tag);
    this.syncDirect();
    if (this.queue.bytes > this.settings.maxBufferBytes) {
      if (this.mayDropOldest()) {
        this.dropOldest();
        return;
      }
      this.hooks.overflow(
        new AudioBufferOverflowError(
          this.queue.bytes,
          this.settings.maxBufferBytes,
          this.attached ? 'drain' : 'open',
        ),
      );
      return;
    }
    if (this.socket !== undefined && this.blocked !== 'pace') {
      this.blocked = 'buffer';
      this.updatePoll();
    }
  }

  /**
   * Puts frames (audio to replay, with their tags) before every waiting frame. Past
   * `maxBufferBytes`, the oldest audio is dropped when it may be (see the class notes); otherwise
   * the next `push` reports the overflow.
   */
  prepend(frames: readonly Frame[], tags: readonly number[]): void {
    if (frames.length > 0) this.queue.prepend(frames, tags);
    if (this.queue.bytes > this.settings.maxBufferBytes && this.mayDropOldest()) this.dropOldest();
    this.syncDirect();
  }

  /** From now until the queue is empty, audio goes out at most `bytesPerMs` (see the class notes). */
  pace(bytesPerMs: number): void {
    this.pacing =
      Number.isFinite(bytesPerMs) && bytesPerMs > 0
        ? { bytesPerMs, start: this.settings.scheduler.now(), bytes: 0 }
        : undefined;
  }

  /** Writes to `socket` from now on, the waiting frames first. */
  attach(socket: FrameSink): void {
    this.socket = socket;
    this.socketBytes = 0;
    this.alignNext = this.aligns();
    this.drain();
  }

  /** The socket is gone: frames wait (bounded) until the next `attach`. */
  detach(): void {
    this.socket = undefined;
    this.updatePoll();
    this.syncDirect();
  }

  /** Stops polling and forgets the waiting frames. */
  dispose(): void {
    this.socket = undefined;
    this.pacing = undefined;
    this.queue.clear();
    this.updatePoll();
    this.syncDirect();
  }

  /**
   * Past the bound: drop instead of failing during an outage, and while its backlog is paced out
   * (whatever holds the queue at this moment: a short send-buffer blip must not end the session).
   */
  private mayDropOldest(): boolean {
    return this.dropOldestInOutage && (this.socket === undefined || this.pacing !== undefined);
  }

  /** Drops the oldest audio frames until the queue is within `maxBufferBytes` (or holds no audio). */
  private dropOldest(): void {
    while (this.queue.bytes > this.settings.maxBufferBytes) {
      const dropped = this.queue.dropOldestBinary();
      if (dropped === undefined) break;
      // The server heard the audio up to the last frame written: what follows must line up with it.
      if (this.socket !== undefined) this.alignNext = this.aligns();
      this.hooks.dropped?.(dropped.frame, dropped.tag);
    }
  }

  /** Audio frames may split samples, and their tags say where samples start. */
  private aligns(): boolean {
    return (this.settings.frameBytes ?? 1) > 1 && this.settings.bytesPerSecond !== undefined;
  }

  private drain(): void {
    this.blocked = 'none';
    for (;;) {
      const socket = this.socket;
      if (socket === undefined || this.queue.length === 0) break;
      if (socket.bufferedAmount > this.settings.highWaterBytes) {
        this.blocked = 'buffer';
        break;
      }
      const frame = this.queue.peek()!;
      const pacing = this.pacing;
      if (pacing !== undefined && typeof frame !== 'string') {
        const wait = pacing.start + pacing.bytes / pacing.bytesPerMs - this.settings.scheduler.now();
        if (wait > 1e-9) {
          this.blocked = 'pace';
          this.schedulePace(wait);
          break;
        }
        pacing.bytes += frame.byteLength;
      }
      const tag = this.queue.headTag();
      this.queue.shift();
      if (!this.write(frame, tag)) {
        // The socket is closing: the frame waits, in its place, for the next one.
        this.queue.prepend([frame], [tag]);
        this.blocked = 'buffer';
        break;
      }
    }
    if (this.queue.length === 0) this.pacing = undefined;
    this.updatePoll();
    this.syncDirect();
  }

  /** Tells `directChanged` when the outbox becomes direct or stops being direct. */
  private syncDirect(): void {
    const direct = this.socket !== undefined && this.queue.length === 0 && !this.alignNext;
    if (direct === this.direct) return;
    this.direct = direct;
    this.hooks.directChanged?.(direct);
  }

  private schedulePace(wait: number): void {
    if (this.paceTimer !== undefined) return;
    this.paceTimer = this.settings.scheduler.schedule(() => {
      this.paceTimer = undefined;
      if (this.socket !== undefined) this.drain();
    }, wait);
  }

  /** Writes a frame to the socket (cut to align, see the class notes); false when it was not taken. */
  private write(frame: Frame, tag: number): boolean {
    const socket = this.socket;
    if (socket === undefined) return false;
    if (this.alignNext && typeof frame !== 'string') {
      const start = this.alignedStart(frame, tag);
      if (start === undefined) return true; // all of it belongs to a sample that started before
      if (!socket.send(start.frame)) return false;
      this.alignNext = false;
      this.syncDirect();
      frame = start.frame;
      tag = start.tag;
    } else if (!socket.send(frame)) {
      return false;
    }
    if (typeof frame !== 'string') this.socketBytes += frame.byteLength;
    this.hooks.written(frame, tag);
    return true;
  }

  /**
   * `frame` (audio at `tag` s of the original) from the first byte that lines up with the server's
   * samples: the server is `socketBytes` into the stream, so that byte's offset in the original
   * must be the same number of bytes into a sample frame (0 on a new socket: a frame boundary).
   */
  private alignedStart(frame: Uint8Array, tag: number): { frame: Uint8Array; tag: number } | undefined {
    const bytesPerSecond = this.settings.bytesPerSecond;
    const frameBytes = this.settings.frameBytes ?? 1;
    if (bytesPerSecond === undefined || Number.isNaN(tag)) return { frame, tag };
    const apart = (this.socketBytes - Math.round(tag * bytesPerSecond)) % frameBytes;
    const skip = apart < 0 ? apart + frameBytes : apart;
    if (skip === 0) return { frame, tag };
    if (frame.byteLength <= skip) return undefined;
    return { frame: frame.subarray(skip), tag: tag + skip / bytesPerSecond };
  }

  private updatePoll(): void {
    if (this.blocked !== 'pace' || this.socket === undefined) {
      this.paceTimer?.unsubscribe();
      this.paceTimer = undefined;
    }
    const waiting = this.socket !== undefined && this.queue.length > 0 && this.blocked === 'buffer';
    if (waiting && this.poll === undefined) {
      this.poll = interval(this.settings.drainPollMs, this.settings.scheduler).subscribe(() => this.drain());
    } else if (!waiting && this.poll !== undefined) {
      this.poll.unsubscribe();
      this.poll = undefined;
    }
  }
}
