/**
 * The session's meter: what was sent, what the gate kept back and what it cost, folded into
 * `Usage` events (periodic snapshots and the final, reconciled one).
 * Pure: no timers, no sockets; every time is passed in (ms on the session's scheduler clock).
 */
import type { UsageEvent } from './liveEvent';

/**
 * Counts audio, gated silence, KeepAlives, idle pauses, connections and billed seconds of one
 * session, and reconciles the client's count with Deepgram's `Metadata.duration` at the end.
 *
 * A pause runs from one audio chunk's arrival (or the start) to the next chunk's arrival (or the
 * end of the audio); it is idle, and counted in full in `idleSeconds`, when a KeepAlive fell due in
 * it ({@link pauseKeptAlive}, given the pause's start) and was written ({@link keepAliveSent}, given
 * the same start). The clock need not be read for every chunk: the caller may report arrivals only
 * while {@link inPause} is true, that is from a {@link pauseKeptAlive} to the next arrival (the
 * session tracks that itself, so that a chunk does not touch the meter). A KeepAlive that waits behind backpressure counts its pause when it
 * is written, and the pause still ends at the chunk that ended it, even when that chunk came first.
 * A pause whose KeepAlives were never written is not counted.
 *
 * Reconciliation (final `Usage` only, when the format tells the length of the audio):
 * `mismatchSeconds` = the sum of every `Metadata.duration` received − the seconds of audio sent
 * (0 when no `Metadata` came); `reconciled` = a `Metadata` came (or no audio was sent) and the
 * mismatch is at most one chunk per connection: the last audio frame sent on each connection (the
 * one a server may close before decoding). Not the longest frame: the silence gate sends its
 * preroll as one frame of up to `prerollMs`, which would allow far more than one chunk.
 *
 * @example
 * ```ts
 * const meter = new UsageMeter(0, 32000); // linear16 16 kHz mono
 * meter.connectionOpened();
 * meter.audioSent(32000);
 * meter.gated(2.5);
 * meter.metadata(1);
 * meter.usage(4000, false); // { audioSeconds: 1, gatedSeconds: 2.5, billedSeconds: 1, mismatchSeconds: 0, reconciled: true, final: true, … }
 * ```
 */
export class UsageMeter {
  /** A number from the start (see KeepAliveClock.lastChunkAt): it holds clock readings. */
  private lastAudioAt = 0;
  /** The running pause reached a KeepAlive deadline: it starts at {@link pauseFrom}. */
  private keepAliveInPause = false;
  /** The running pause's start as its KeepAlives are tagged (the KeepAlive clock's last chunk). */
  private pauseTag = 0;
  /** Where the running pause is counted from: its tag, or the last reported arrival if later. */
  private pauseFrom = 0;
  /** A KeepAlive of the running pause was written. */
  private pauseConfirmed = false;
  /** Ended pauses whose KeepAlives still wait to be written: tag, from, end, tag, from, end, … */
  private unconfirmed: number[] | undefined;
  private idleMs = 0;
  private audioEnded = false;
  private keepAliveCount = 0;
  private bytes = 0;
  /** The last audio frame sent on the current connection (bytes). */
  private lastFrame = 0;
  /** The last frames of the connections before the current one, added up (bytes). */
  private earlierLastFrames = 0;
  private opened = 0;
  private gatedTotal = 0;
  private billed: number | undefined;

  /**
   * @param startedAt - the session's start (subscription), ms
   * @param bytesPerSecond - bytes per second of the audio format, when the format is raw and known
   */
  constructor(
    /** The session's start (subscription), ms on its scheduler clock. */
    readonly startedAt: number,
    private readonly bytesPerSecond: number | undefined,
  ) {
    this.lastAudioAt = startedAt;
  }

  /**
   * Whether the running pause reached a KeepAlive deadline: only then does the next chunk's arrival
   * time change the counts (callers may skip {@link audioArrived} otherwise).
   */
  get inPause(): boolean {
    return this.keepAliveInPause;
  }

  /** An audio chunk arrived: the running pause ends here. */
  audioArrived(now: number): void {
    this.closePause(now);
    this.lastAudioAt = now;
  }

  /** The audio completed: a running pause ends here, and no pause starts after it. */
  audioCompleted(now: number): void {
    this.closePause(now);
    this.audioEnded = true;
  }

  /**
   * A KeepAlive of the running pause fell due: the pause, from `pauseStartedAt` (its last chunk's
   * arrival, from the KeepAlive clock; never before the last reported arrival), ends at the next
   * reported arrival, and counts once a KeepAlive tagged with the same `pauseStartedAt` is written.
   * Called when the KeepAlive is due, not when it is written, so that a chunk that arrives while the
   * KeepAlive waits behind backpressure ends the pause. No effect after the end of the audio.
   */
  pauseKeptAlive(pauseStartedAt: number): void {
    if (this.audioEnded || this.keepAliveInPause) return;
    this.keepAliveInPause = true;
    this.pauseTag = pauseStartedAt;
    this.pauseFrom = Math.max(this.lastAudioAt, pauseStartedAt);
    this.pauseConfirmed = false;
  }

  /**
   * A KeepAlive frame was written (the `keepAlives` count). It confirms the pause it fell due in,
   * named by `pauseStartedAt` as given to {@link pauseKeptAlive} (default: the running pause).
   */
  keepAliveSent(pauseStartedAt?: number): void {
    this.keepAliveCount++;
    if (this.keepAliveInPause && (pauseStartedAt === undefined || pauseStartedAt === this.pauseTag)) {
      this.pauseConfirmed = true;
      return;
    }
    const waiting = this.unconfirmed;
    if (waiting === undefined || pauseStartedAt === undefined) return;
    for (let i = 0; i < waiting.length; i += 3) {
      if (waiting[i] === pauseStartedAt) {
        this.idleMs += waiting[i + 2]! - waiting[i + 1]!;
        waiting.splice(i, 3);
        return;
      }
    }
  }

  /**
   * Bytes of audio were sent on the current connection: one binary frame of `byteCount` bytes, or
   * several frames adding up to `byteCount` of which the last had `lastFrame` bytes.
   */
  audioSent(byteCount: number, lastFrame = byteCount): void {
    this.bytes += byteCount;
    if (byteCount > 0) this.lastFrame = lastFrame;
  }

  /** The silence gate dropped `seconds` of the original audio (one span): not sent, not billed. */
  gated(seconds: number): void {
    if (seconds > 0) this.gatedTotal += seconds;
  }

  /** Seconds of audio sent so far, when the format is known. */
  get sentSeconds(): number | undefined {
    return this.bytesPerSecond === undefined ? undefined : this.bytes / this.bytesPerSecond;
  }

  /** A connection opened. */
  connectionOpened(): void {
    this.earlierLastFrames += this.lastFrame;
    this.lastFrame = 0;
    this.opened++;
  }

  /** Deepgram's `Metadata` arrived with this `duration`. */
  metadata(duration: number): void {
    this.billed = (this.billed ?? 0) + duration;
  }

  /** A running `Usage` (`final: false`) at `now`: the counts so far, without reconciliation. */
  snapshot(now: number): UsageEvent {
    return { ...this.counts(now), final: false, closeTimedOut: false };
  }

  /** The final `Usage` event at `now` (`final: true`), reconciled with the `Metadata` received. */
  usage(now: number, closeTimedOut: boolean): UsageEvent {
    const sent = this.sentSeconds;
    if (sent === undefined) return { ...this.counts(now), final: true, closeTimedOut };
    const mismatch = (this.billed ?? 0) - sent;
    const tolerance =
      (this.earlierLastFrames + this.lastFrame) / (this.bytesPerSecond ?? 1) + RECONCILE_EPSILON;
    return {
      ...this.counts(now),
      final: true,
      closeTimedOut,
      mismatchSeconds: round6(mismatch),
      // Without any Metadata nothing confirms the bill, however short the audio.
      reconciled: this.billed === undefined ? this.bytes === 0 : Math.abs(mismatch) <= tolerance,
    };
  }

  private counts(now: number): Omit<UsageEvent, 'final' | 'closeTimedOut'> {
    const runningIdle = this.keepAliveInPause && this.pauseConfirmed ? now - this.pauseFrom : 0;
    const audioSeconds = this.sentSeconds ?? this.billed ?? 0;
    return {
      type: 'Usage',
      audioSeconds: round6(audioSeconds),
      keepAlives: this.keepAliveCount,
      idleSeconds: round6((this.idleMs + runningIdle) / 1000),
      connections: this.opened,
      audioBytes: this.bytes,
      gatedSeconds: round6(this.gatedTotal),
      ...(this.billed === undefined ? {} : { billedSeconds: round6(this.billed) }),
      wallSeconds: round6((now - this.startedAt) / 1000),
    };
  }

  private closePause(now: number): void {
    if (!this.keepAliveInPause) return;
    this.keepAliveInPause = false;
    if (this.pauseConfirmed) this.idleMs += now - this.pauseFrom;
    else (this.unconfirmed ??= []).push(this.pauseTag, this.pauseFrom, now);
  }
}

/** Slack for float noise (Deepgram's numbers are float32): 1 ms. */
const RECONCILE_EPSILON = 0.001;

/** Rounds to microseconds, so sums of float seconds print cleanly. */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
