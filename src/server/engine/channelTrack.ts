/**
 * The segmentation of one result channel (the mix of all channels, or one channel with
 * `multichannel=true`): interim cadence, finals that tile the timeline, endpointing, SpeechStarted
 * and UtteranceEnd, driven by the detector frame by frame. Times are kept in sample frames
 * (integers) and only turned into seconds in messages.
 *
 * Rules (protocol.md §4):
 * - A segment starts where the previous final ended. Interims of a segment share its `start`, their
 *   `duration` grows to the audio received; one per `interimFrames` of audio since the last Results.
 * - A final ends a segment: at a pause of `pauseFrames` after speech (`speech_final: true`),
 *   at `maxSegmentFrames` (`speech_final: false`, or `true` for a segment of pure silence when
 *   endpointing is on), or at a speech onset after at least `minEmptyFinalFrames` of silence (an
 *   empty final, `speech_final` as for silence). A cut never splits a word: while a word that started
 *   before the cut has not been fully received, the cut waits (an onset cut moves before the word).
 * - A word belongs to the final in whose window its `start` falls; interims show the words fully
 *   received so far.
 */
import {
  resultsMessage,
  speechStartedMessage,
  utteranceEndMessage,
  wireWord,
  type WireWord,
} from './messageBuilders';
import type { FrameTuning } from './tuning';
import type { OutboundMessage, Recognizer, ScriptWord } from './types';

/** Tolerance when comparing word times (seconds) with the clock. */
const EPSILON = 1e-9;

/** What every track of a session shares. */
export interface TrackContext {
  readonly tuning: FrameTuning;
  readonly interimResults: boolean;
  readonly vadEvents: boolean;
  readonly punctuate: boolean;
  readonly diarize: boolean;
  /** Finals carry `entities: []` (`detect_entities=true`). */
  readonly detectEntities: boolean;
  /** In seconds; undefined when utterance_end_ms is not set. */
  readonly utteranceEndSeconds: number | undefined;
  readonly recognizer: Recognizer;
  readonly metadata: Readonly<Record<string, unknown>>;
}

const NO_WIRE_WORDS: readonly WireWord[] = Object.freeze([]);

/** One result channel's segmentation state. */
export class ChannelTrack {
  private readonly channelIndex: readonly number[];
  private readonly rate: number;
  /** Start of the open segment (sample frames). */
  private segmentStart = 0;
  /** The open segment contains a speech frame. */
  private segmentHasSpeech = false;
  /** Speech was heard since the last speech_final. */
  private speechPending = false;
  /** Sample frames of non-speech since the last speech frame. */
  private silence = 0;
  /** Detector state with hangover, for SpeechStarted. */
  private speaking = false;
  /** Clock of the last Results of this channel. */
  private lastResults = 0;
  /** speech_final of a cut that waits for a word to end; undefined when none waits. */
  private heldCut: boolean | undefined;
  /** Words asked from the recognizer and not yet in a final, by start. */
  private pending: ScriptWord[] = [];
  /** The recognizer has been asked for every start before this time (seconds). */
  private askedUntil = 0;
  /** `end` of the last word of the last final with words. */
  private lastFinalWordEnd: number | undefined;
  /** The gap after `lastFinalWordEnd` has been judged (UtteranceEnd sent, or a word broke it). */
  private gapJudged = true;

  constructor(
    private readonly ctx: TrackContext,
    private readonly index: number,
    total: number,
  ) {
    this.channelIndex = Object.freeze([index, total]);
    this.rate = ctx.tuning.sampleRate;
  }

  /** The detector closed a frame ending at `now` (sample frames); push the messages due. */
  onFrame(now: number, speech: boolean, out: OutboundMessage[]): void {
    const t = this.ctx.tuning;
    if (speech) {
      const onset = now - t.frameLength;
      if (
        !this.segmentHasSpeech &&
        this.heldCut === undefined &&
        onset - this.segmentStart >= t.minEmptyFinalFrames
      ) {
        this.cutAtOnset(onset, now, out);
      }
      if (!this.speaking) {
        this.speaking = true;
        if (this.ctx.vadEvents)
          out.push(speechStartedMessage(this.channelIndex, Math.max(0, onset) / this.rate));
      }
      this.segmentHasSpeech = true;
      this.speechPending = true;
      this.silence = 0;
    } else {
      this.silence += t.frameLength;
      if (this.speaking && this.silence >= t.hangoverFrames) this.speaking = false;
    }

    if (this.heldCut !== undefined) {
      this.tryCut(now, this.heldCut, out);
    } else if (
      t.pauseFrames !== undefined &&
      this.speechPending &&
      this.silence >= t.pauseFrames &&
      now > this.segmentStart
    ) {
      this.tryCut(now, true, out);
    } else if (now - this.segmentStart >= t.maxSegmentFrames) {
      this.tryCut(now, !this.segmentHasSpeech && t.pauseFrames !== undefined, out);
    }

    if (this.ctx.interimResults && now - this.lastResults >= t.interimFrames && now > this.segmentStart) {
      this.emitInterim(now, out);
    }
    this.checkUtteranceEnd(now, out);
  }

  /**
   * Finalize: one `from_finalize` final for all the pending audio, if any ("the server processes
   * everything received so far", protocol.md §2.3). A word still being received is in it and ends
   * where the audio does, as at the end of the stream: a push-to-talk release in mid-word still
   * gets its final.
   */
  finalize(now: number, out: OutboundMessage[]): void {
    this.heldCut = undefined;
    if (now <= this.segmentStart) return;
    this.ask(now);
    this.emitFinal(now, now, false, true, true, out);
  }

  /** End of the stream: the last final (words cut by the end of audio end there). */
  close(now: number, out: OutboundMessage[]): void {
    this.heldCut = undefined;
    if (now <= this.segmentStart) return;
    this.ask(now);
    this.emitFinal(now, now, this.ctx.tuning.pauseFrames !== undefined, false, true, out);
  }

  private cutAtOnset(onset: number, now: number, out: OutboundMessage[]): void {
    this.ask(now);
    const straddler = this.firstUnfinishedWordBefore(onset, now);
    const cut =
      straddler === undefined ? onset : Math.max(this.segmentStart, Math.floor(straddler.start * this.rate));
    if (cut > this.segmentStart) {
      this.emitFinal(cut, now, this.ctx.tuning.pauseFrames !== undefined, false, false, out);
    }
  }

  /** Cuts at `now` unless a word that started before is still being received (then waits). */
  private tryCut(now: number, speechFinal: boolean, out: OutboundMessage[]): void {
    this.ask(now);
    if (this.firstUnfinishedWordBefore(now, now) !== undefined) {
      this.heldCut = speechFinal;
      return;
    }
    this.heldCut = undefined;
    this.emitFinal(now, now, speechFinal, false, false, out);
  }

  /** The first pending word with `start` before `before` whose end is after `now`. */
  private firstUnfinishedWordBefore(before: number, now: number): ScriptWord | undefined {
    const beforeSeconds = before / this.rate;
    const nowSeconds = now / this.rate;
    for (const w of this.pending) {
      if (w.start >= beforeSeconds) return undefined;
      if (w.end > nowSeconds + EPSILON) return w;
    }
    return undefined;
  }

  /** Asks the recognizer for the words that started since the last question. */
  private ask(now: number): void {
    const to = now / this.rate;
    if (!(to > this.askedUntil)) return;
    const words = this.ctx.recognizer.wordsBetween(this.askedUntil, to, this.index);
    this.askedUntil = to;
    if (words.length === 0) return;
    const pending = this.pending;
    let sorted = true;
    for (const w of words) {
      if (pending.length > 0 && w.start < pending[pending.length - 1]!.start) sorted = false;
      pending.push(w);
    }
    if (!sorted) pending.sort((a, b) => a.start - b.start);
  }

  private emitInterim(now: number, out: OutboundMessage[]): void {
    this.ask(now);
    const nowSeconds = now / this.rate;
    let words: WireWord[] | undefined;
    for (const w of this.pending) {
      if (w.start >= nowSeconds) break;
      if (w.end > nowSeconds + EPSILON) continue;
      const word = wireWord(w, w.end, this.ctx.punctuate, this.ctx.diarize);
      (words ??= []).push(word);
    }
    out.push(this.results(this.segmentStart, now, false, false, false, words ?? NO_WIRE_WORDS));
    this.lastResults = now;
  }

  /**
   * Emits the final `[segmentStart, cut)` with the pending words that start before `cut`, and
   * opens the next segment at `cut`. `clampWords`: words running past `cut` end at `cut`.
   */
  private emitFinal(
    cut: number,
    now: number,
    speechFinal: boolean,
    fromFinalize: boolean,
    clampWords: boolean,
    out: OutboundMessage[],
  ): void {
    const cutSeconds = cut / this.rate;
    let taken = 0;
    while (taken < this.pending.length && this.pending[taken]!.start < cutSeconds) taken++;
    let words: readonly WireWord[] = NO_WIRE_WORDS;
    if (taken > 0) {
      const finished = this.pending.splice(0, taken);
      const list: WireWord[] = [];
      let lastEnd = 0;
      for (const w of finished) {
        const end = clampWords ? Math.min(w.end, cutSeconds) : w.end;
        const word = wireWord(w, end, this.ctx.punctuate, this.ctx.diarize);
        list.push(word);
        lastEnd = Math.max(lastEnd, end);
      }
      words = list;
      this.lastFinalWordEnd = lastEnd;
      this.gapJudged = false;
    }
    out.push(this.results(this.segmentStart, cut, true, speechFinal, fromFinalize, words));
    this.segmentStart = cut;
    this.segmentHasSpeech = cut < now;
    this.lastResults = now;
    if (speechFinal) this.speechPending = false;
  }

  private results(
    from: number,
    to: number,
    isFinal: boolean,
    speechFinal: boolean,
    fromFinalize: boolean,
    words: readonly WireWord[],
  ): OutboundMessage {
    const punctuate = this.ctx.punctuate;
    let transcript = '';
    for (const w of words) {
      const text = (punctuate ? w.punctuated_word : w.word) as string;
      transcript = transcript === '' ? text : `${transcript} ${text}`;
    }
    return resultsMessage({
      channelIndex: this.channelIndex,
      start: from / this.rate,
      duration: (to - from) / this.rate,
      isFinal,
      speechFinal,
      fromFinalize,
      transcript,
      confidence: alternativeConfidence(words),
      words,
      metadata: this.ctx.metadata,
      entities: isFinal && this.ctx.detectEntities,
    });
  }

  private checkUtteranceEnd(now: number, out: OutboundMessage[]): void {
    const gap = this.ctx.utteranceEndSeconds;
    const lastEnd = this.lastFinalWordEnd;
    if (gap === undefined || this.gapJudged || lastEnd === undefined) return;
    if (now / this.rate + EPSILON < lastEnd + gap) return;
    this.ask(now);
    this.gapJudged = true;
    // A word that started since the last final breaks the gap: no UtteranceEnd for it.
    if (this.pending.length === 0) out.push(utteranceEndMessage(this.channelIndex, lastEnd));
  }
}

/**
 * A Results alternative's `confidence`: the upper median of its words' confidences (0 without
 * words), as in every recorded Deepgram final (`shared/fixtures/deepgram-recorded`), not the mean.
 */
function alternativeConfidence(words: readonly WireWord[]): number {
  if (words.length === 0) return 0;
  const sorted = words.map((word) => word.confidence as number).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
