/**
 * The session's meter: what was sent and what it cost, folded into the final `Usage` event.
 * Pure: no timers, no sockets; every time is passed in (ms on the session's scheduler clock).
 */
import type { UsageEvent } from './liveEvent';

/**
 * Counts audio, KeepAlives, idle pauses, connections and billed seconds of one session.
 *
 * A pause runs from one audio chunk's arrival (or the start) to the next chunk's arrival (or the
 * end of the audio); it is idle, and counted in full in `idleSeconds`, when at least one KeepAlive
 * was sent during it.
 */
export class UsageMeter {
  private lastAudioAt: number;
  private keepAliveInPause = false;
  private idleMs = 0;
  private audioEnded = false;
  private keepAliveCount = 0;
  private bytes = 0;
  private opened = 0;
  private billed: number | undefined;

  /**
   * @param startedAt - the session's start (subscription), ms
   * @param bytesPerSecond - bytes per second of the audio format, when the format is raw and known
   */
  constructor(
    private readonly startedAt: number,
    private readonly bytesPerSecond: number | undefined,
  ) {
    this.lastAudioAt = startedAt;
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

  /** A KeepAlive was sent. */
  keepAliveSent(): void {
    this.keepAliveCount++;
    if (!this.audioEnded) this.keepAliveInPause = true;
  }

  /** Bytes of audio were sent. */
  audioSent(byteCount: number): void {
    this.bytes += byteCount;
  }

  /** Seconds of audio sent so far, when the format is known. */
  get sentSeconds(): number | undefined {
    return this.bytesPerSecond === undefined ? undefined : this.bytes / this.bytesPerSecond;
  }

  /** A connection opened. */
  connectionOpened(): void {
    this.opened++;
  }

  /** Deepgram's `Metadata` arrived with this `duration`. */
  metadata(duration: number): void {
    this.billed = (this.billed ?? 0) + duration;
  }

  /** The final `Usage` event at `now`. */
  usage(now: number, closeTimedOut: boolean): UsageEvent {
    const runningIdle = this.keepAliveInPause ? now - this.lastAudioAt : 0;
    const audioSeconds =
      this.bytesPerSecond === undefined ? (this.billed ?? 0) : this.bytes / this.bytesPerSecond;
    return {
      type: 'Usage',
      audioSeconds: round6(audioSeconds),
      keepAlives: this.keepAliveCount,
      idleSeconds: round6((this.idleMs + runningIdle) / 1000),
      connections: this.opened,
      audioBytes: this.bytes,
      ...(this.billed === undefined ? {} : { billedSeconds: round6(this.billed) }),
      wallSeconds: round6((now - this.startedAt) / 1000),
      closeTimedOut,
    };
  }

  private closePause(now: number): void {
    if (this.keepAliveInPause) this.idleMs += now - this.lastAudioAt;
    this.keepAliveInPause = false;
  }
}

/** Rounds to microseconds, so sums of float seconds print cleanly. */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
