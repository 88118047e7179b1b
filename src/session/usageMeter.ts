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
 * end of the audio); it is idle, and counted in full in `idleSeconds`, when it reached a KeepAlive
 * deadline ({@link pauseKeptAlive}, given the pause's start). The clock need not be read for every
 * chunk: the caller may report arrivals only while {@link inPause} is true. A KeepAlive that waits
 * behind backpressure is counted when it is written ({@link keepAliveSent}); its pause still ends at
 * the arrival of the chunk that ended it, even when that chunk came before the KeepAlive went out.
 *
 * Reconciliation (final `Usage` only, when the format tells the length of the audio):
 * `mismatchSeconds` = the sum of every `Metadata.duration` received − the seconds of audio sent
 * (0 when no `Metadata` came); `reconciled` = a `Metadata` came (or no audio was sent) and the
 * mismatch is at most one chunk per connection (the longest audio frame sent, times the
 * connections opened, at least one).
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
  private keepAliveInPause = false;
  private idleMs = 0;
  private audioEnded = false;
  private keepAliveCount = 0;
  private bytes = 0;
  private longestFrame = 0;
  private opened = 0;
  private gatedTotal = 0;
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
   * The running pause reached a KeepAlive deadline: it is idle from `pauseStartedAt` (its last
   * chunk's arrival, from the KeepAlive clock; never before the last reported arrival) to the next
   * reported arrival. Called when the KeepAlive is due, not when it is written, so that a chunk that
   * arrives while the KeepAlive waits behind backpressure ends the pause. No effect after the end of
   * the audio.
   */
  pauseKeptAlive(pauseStartedAt: number): void {
    if (this.audioEnded) return;
    if (!this.keepAliveInPause) this.lastAudioAt = Math.max(this.lastAudioAt, pauseStartedAt);
    this.keepAliveInPause = true;
  }

  /** A KeepAlive frame was written (the `keepAlives` count; {@link pauseKeptAlive} dates the pause). */
  keepAliveSent(): void {
    this.keepAliveCount++;
  }

  /** Bytes of audio were sent (one binary frame). */
  audioSent(byteCount: number): void {
    this.bytes += byteCount;
    if (byteCount > this.longestFrame) this.longestFrame = byteCount;
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
      (this.longestFrame / (this.bytesPerSecond ?? 1)) * Math.max(1, this.opened) + RECONCILE_EPSILON;
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
    const runningIdle = this.keepAliveInPause ? now - this.lastAudioAt : 0;
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
    if (this.keepAliveInPause) this.idleMs += now - this.lastAudioAt;
    this.keepAliveInPause = false;
  }
}

/** Slack for float noise (Deepgram's numbers are float32): 1 ms. */
const RECONCILE_EPSILON = 0.001;

/** Rounds to microseconds, so sums of float seconds print cleanly. */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
