/**
 * Contract between transcribe() (src/session/transcribe.ts) and the pure timeline and metering
 * modules (src/session/timeline.ts, src/session/usageMeter.ts). Both modules are pure: no timers,
 * no sockets; time is passed in.
 *
 * Why: Deepgram's clock counts only the audio a connection received, from 0 on every connection
 * (protocol.md §7). When deepgram-rx drops silence (gateSilence) or reconnects and replays audio,
 * the server's timestamps drift from the position in the caller's original audio. The timeline
 * maps every server timestamp back onto the ORIGINAL audio timeline, so a user sees one session
 * timeline whatever happened underneath.
 */

/**
 * Which end of a word or window a connection time stands for. Where two runs of sent audio meet
 * at a dropped (gated) gap, one connection time is two original positions: an END time (a word
 * that ends there) maps to the end of the earlier run, before the gap; a START time (a word that
 * starts there) maps to the start of the later run, after the gap. Away from such a boundary the
 * bias makes no difference.
 */
export type TimeBias = 'start' | 'end';

/** Tuning of `createTimeline()`. Every field is optional. */
export interface TimelineOptions {
  /**
   * How far (seconds) a re-recognised word's end may drift past the finalized position and still
   * count as a repeat of an already final word (replayed audio is transcribed again, and the
   * model may place the word slightly differently). Finite, >= 0. Default 0.02.
   */
  repeatToleranceSeconds?: number;
}

/** A span of the original audio, in seconds from the start of the source audio. */
export interface AudioSpan {
  readonly from: number;
  readonly to: number;
}

/**
 * The mapping from one connection's audio clock to the original audio.
 * The session tells it what it sent on the current connection, in order.
 */
export interface Timeline {
  /** A new connection opened: its clock restarts at 0. */
  connectionOpened(): void;
  /**
   * `seconds` of original audio starting at original position `from` were sent, contiguously, on
   * the current connection (after everything sent before on it). Consecutive calls with adjacent
   * spans may be merged. A replay after a reconnect calls this with an earlier `from`.
   */
  sent(from: number, seconds: number): void;
  /**
   * Original position of a time on the current connection's clock (seconds). `bias` (default
   * `'start'`) decides a time that falls exactly on a boundary between two runs separated by a
   * dropped gap: see {@link TimeBias}. Times within float32 rounding of a boundary count as on
   * it. Times past the audio sent so far extrapolate from the last run (the server rounds its
   * times); before any audio was sent on the connection, times are offset from where the
   * previous connection's audio ended (0 on the first connection). The mapping is kept from 60 s
   * (connection clock) before the start of the latest final Results passed to `rebase` or
   * `rebaseOwned`: a time before the oldest stretch kept maps to that stretch's start, so a long
   * gated session holds a bounded mapping. Deepgram reports on recent audio only.
   */
  toOriginal(connectionSeconds: number, bias?: TimeBias): number;
  /**
   * Rewrites a server message's timestamps (Results start/duration and words, UtteranceEnd
   * last_word_end, SpeechStarted timestamp) onto the original timeline. Returns a NEW object (never
   * mutates); returns other messages unchanged.
   *
   * Results: `start` maps as a start time, `start + duration` as an end time, `duration` is their
   * difference; each word's (and `channel.search` hit's) `start`/`end` map as start/end times.
   * Mapped times are rounded to microseconds. Only the objects on the changed paths are copied
   * (`metadata`, `entities`, unchanged fields are shared with the input).
   */
  rebase<M extends { type: string }>(message: M): M;
  /**
   * {@link rebase} for a message nobody else holds (one fresh from `decodeServerMessage`): writes
   * the mapped times into `message` itself and returns it, allocating nothing. The result is
   * field for field what `rebase` returns.
   */
  rebaseOwned<M extends { type: string }>(message: M): M;
  /**
   * Final Results whose words were all already final before (e.g. a replay after a reconnect
   * re-transcribes audio) must not be emitted twice: returns the Results with already-final words
   * removed (transcript rebuilt from the remaining words), or `undefined` when nothing new remains.
   * Call with already-rebased messages, in the order received.
   *
   * Details, per channel (`channel_index[0]`, or `channel[0]` for the events):
   * - a word is already final when its end <= the channel's finalized position + the repeat
   *   tolerance, or its midpoint <= that position;
   * - a final Results keeps its other words (first word start clamped to the finalized position),
   *   gets `start = max(start, finalized position)` so finals keep tiling without overlap, its
   *   transcript rebuilt (`punctuated_word` else `word`, joined by spaces) only when words were
   *   removed, and entities re-indexed; it then advances the channel's finalized position;
   * - an interim Results is cut the same way but advances nothing;
   * - either returns `undefined` when no word remains and it ends at or before the finalized
   *   position;
   * - an `UtteranceEnd` whose `last_word_end`, or a `SpeechStarted` whose `timestamp`, is not later
   *   (by more than the repeat tolerance) than the last one delivered on its channel repeats it
   *   and returns `undefined`;
   * - every other message is returned as is (same reference).
   */
  dedupe<M extends { type: string }>(message: M): M | undefined;
  /**
   * Original position up to which every word is final (end of the last final Results): the
   * minimum over the channels seen (`channel_index[1]` of any Results gives the channel count),
   * so replaying from here re-sends nothing that any channel still needs. 0 before any final.
   */
  readonly finalizedUpTo: number;
}
