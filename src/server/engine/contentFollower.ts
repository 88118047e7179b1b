/**
 * One session's content-aware recognition of a known file: follows the audio the session receives
 * and finds which spans of the file it holds, so that a script's words are reported where their
 * audio actually arrived on this connection's clock.
 *
 * The received stream is taken as a sequence of runs, each a contiguous copy of a span of the file
 * (a gap in the file between runs: audio dropped, e.g. silence gated out; a jump back: a replay;
 * audio from elsewhere: no run). While the received bytes go on equal to the file at the cursor,
 * the run just grows (a byte comparison, no lookup). On a mismatch the run ends and the window of
 * received bytes at the mismatch is looked up in the file's index (contentIndex.ts):
 * - digital silence occurs everywhere there is silence: no position yet, the next window is tried;
 * - a window found at a few places (the same word synthesized twice) starts a run with several
 *   candidate positions, followed in parallel until the content tells them apart;
 * - a run found is extended backwards over the bytes just before it that equal the file there
 *   (at most `lookback` sample frames, and only over silence of an earlier run), so that a word
 *   whose first samples are silent still starts where it should.
 * A word is recognized when all of its span [start, end] (whole sample frames) lies inside one run;
 * it is reported at the connection-clock times where its first and last bytes arrived. A word whose
 * span was only partly received is not recognized.
 */
import { round6 } from './numbers';
import type { ContentIndex } from './contentIndex';
import type { Recognizer, ScriptWord } from './types';
import { lowerBound } from './lowerBound';

/** A script's words sorted by start, with their spans in sample frames of the file. */
export interface ContentWords {
  readonly words: readonly ScriptWord[];
  /** First sample frame of each word. */
  readonly startFrames: Float64Array;
  /** Sample frame after the last one of each word (clamped to the file's length). */
  readonly endFrames: Float64Array;
}

/** Sorts a script's words and computes their spans in sample frames of `index`'s audio. */
export function contentWords(words: readonly ScriptWord[], index: ContentIndex): ContentWords {
  const rate = index.format.sampleRate;
  const sorted = [...words].sort((a, b) => a.start - b.start);
  const startFrames = Float64Array.from(sorted, (w) => Math.max(0, Math.floor(w.start * rate + 1e-6)));
  const endFrames = Float64Array.from(sorted, (w, i) =>
    Math.max(startFrames[i]!, Math.min(index.frames, Math.ceil(w.end * rate - 1e-6))),
  );
  return { words: sorted, startFrames, endFrames };
}

/** A possible alignment of the current run: received frame r holds the file's frame r + delta. */
interface Candidate {
  readonly delta: number;
  /** First received frame of the run. */
  readonly start: number;
  /** Index of the first word of the run not decided yet. */
  next: number;
}

const NO_WORDS: readonly ScriptWord[] = Object.freeze([]);

/** The recognizer of one session (see the file comment). */
export class ContentFollower implements Recognizer {
  private readonly rate: number;
  private readonly frameBytes: number;
  /** Received bytes kept for lookups and backward extension; `hist[0]` is received byte `histStart`. */
  private hist = new Uint8Array(8192);
  private histView = new DataView(this.hist.buffer);
  private histStart = 0;
  /** Bytes received. */
  private received = 0;
  /** Next received sample frame to follow. */
  private pos = 0;
  /** No run extends backwards below this frame (the end of the last non-silent audio of a run). */
  private floor = 0;
  /** Words starting before this received frame are not reported any more (after a flush). */
  private reportedUntil = 0;
  /** Alignments of the current run; none between runs. A new session expects the file's start. */
  private candidates: Candidate[] = [{ delta: 0, start: 0, next: 0 }];
  /** The file frame where the last run ended (to choose between candidates that never parted). */
  private lastFileEnd = 0;
  private readonly decided: ScriptWord[] = [];
  private readonly decidedStarts: number[] = [];

  constructor(
    private readonly index: ContentIndex,
    private readonly script: ContentWords,
    private readonly lookback: number,
  ) {
    this.rate = index.format.sampleRate;
    this.frameBytes = index.frameBytes;
  }

  observe(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.append(bytes);
    this.follow();
  }

  settledSeconds(): number {
    const pos = this.pos;
    let settled = Math.max(0, Math.min(pos, Math.max(this.floor, pos - this.lookback))) / this.rate;
    const { startFrames } = this.script;
    for (const c of this.candidates) {
      const start = startFrames[c.next];
      if (start !== undefined && start < pos + c.delta) {
        // Not past that word, counted both by its first frame and by the start decide() gives it:
        // the script's time, rounded, can fall a fraction of a frame before the frame's time, and
        // a window asked up to the frame would then hold the word before it was decided.
        settled = Math.min(settled, (start - c.delta) / this.rate, this.wordStart(c.next, c.delta));
      }
    }
    return Math.max(0, settled);
  }

  flush(): void {
    if (this.candidates.length > 1) this.candidates = [this.choose(this.candidates)];
    const c = this.candidates[0];
    if (c !== undefined) {
      this.advanceWords(c, this.pos);
      const { startFrames } = this.script;
      // Words still being received: taken as if the rest of them follows.
      while (c.next < startFrames.length && startFrames[c.next]! < this.pos + c.delta) {
        this.decide(c.next, c.delta);
        c.next++;
      }
    }
    this.reportedUntil = Math.floor(this.received / this.frameBytes);
  }

  wordsBetween(from: number, to: number): readonly ScriptWord[] {
    if (!(to > from)) return NO_WORDS;
    const starts = this.decidedStarts;
    let found: ScriptWord[] | undefined;
    for (let i = lowerBound(starts, from); i < starts.length && starts[i]! < to; i++) {
      (found ??= []).push(this.decided[i]!);
    }
    return found ?? NO_WORDS;
  }

  /** Follows the received frames as far as the bytes available allow. */
  private follow(): void {
    const F = this.frameBytes;
    const index = this.index;
    for (;;) {
      const available = Math.floor(this.received / F) - this.pos;
      if (this.candidates.length === 1) {
        if (available <= 0) break;
        const c = this.candidates[0]!;
        const matched = this.matchFrames(c.delta, available);
        this.pos += matched;
        this.advanceWords(c, this.pos);
        if (matched < available) this.endRun();
        else break;
      } else if (this.candidates.length > 1) {
        if (available <= 0) break;
        const at = this.pos * F - this.histStart;
        const alive = this.candidates.filter((c) => index.frameEquals(this.pos + c.delta, this.hist, at));
        if (alive.length === 0) {
          this.endRun();
          continue;
        }
        if (!index.isSilent(this.hist, at, F)) this.floor = this.pos + 1;
        this.candidates = alive;
        this.pos++;
        if (alive.length === 1) this.advanceWords(alive[0]!, this.pos);
      } else {
        if (this.pos * F + index.windowBytes > this.received) break;
        const at = this.pos * F - this.histStart;
        const found = index.lookup(this.hist, at);
        if (found.kind === 'found' && found.frames.length > 0) {
          this.pin(found.frames);
        } else if (found.kind === 'silent') {
          // Every window before the first one holding a sounding byte is silent too: skip them.
          const end = this.received - this.histStart;
          const sounding = index.firstSoundingByte(this.hist, at + index.windowBytes, end);
          const soundingFrame = (this.histStart + (sounding < 0 ? end : sounding)) / F;
          this.pos = Math.max(this.pos + 1, Math.floor(soundingFrame) - index.windowFrames + 1);
        } else {
          this.pos++;
        }
      }
    }
  }

  /** Compares up to `frames` received frames from `pos` with the file at `pos + delta`. */
  private matchFrames(delta: number, frames: number): number {
    const F = this.frameBytes;
    const data = this.index.data;
    const hist = this.hist;
    const n = Math.max(0, Math.min(frames, this.index.frames - (this.pos + delta)));
    const from = this.pos * F - this.histStart;
    const end = from + n * F;
    let r = from;
    let o = (this.pos + delta) * F;
    // Four bytes at a time, then byte by byte to the first difference.
    const histView = this.histView;
    const dataView = this.index.view;
    while (r + 4 <= end && histView.getUint32(r) === dataView.getUint32(o)) {
      r += 4;
      o += 4;
    }
    while (r < end && hist[r] === data[o]) {
      r++;
      o++;
    }
    const matched = Math.floor((r - from) / F);
    const last = this.index.lastSoundingByte(hist, from, from + matched * F);
    if (last >= 0) this.floor = Math.max(this.floor, this.pos + Math.floor((last - from) / F) + 1);
    return matched;
  }

  /** Starts a run at `pos` holding the file's frames `frames` (one candidate each). */
  private pin(frames: readonly number[]): void {
    const { startFrames } = this.script;
    this.candidates = frames.map((frame) => {
      const delta = frame - this.pos;
      const start = this.extendBack(delta);
      return { delta, start, next: lowerBound(startFrames, start + delta) };
    });
  }

  /** The first received frame of a run found at `pos`, extended back over equal bytes. */
  private extendBack(delta: number): number {
    const F = this.frameBytes;
    const lowest = Math.max(this.floor, this.pos - this.lookback, Math.ceil(this.histStart / F), -delta);
    let r = this.pos;
    while (r > lowest && this.index.frameEquals(r - 1 + delta, this.hist, (r - 1) * F - this.histStart)) r--;
    return r;
  }

  /** The current run ended at `pos`: decides its words and looks for the next run. */
  private endRun(): void {
    const c = this.candidates.length === 1 ? this.candidates[0]! : this.choose(this.candidates);
    const { startFrames, endFrames } = this.script;
    const limit = this.pos + c.delta;
    for (let i = c.next; i < startFrames.length && startFrames[i]! < limit; i++) {
      if (endFrames[i]! <= limit) this.decide(i, c.delta);
    }
    this.lastFileEnd = limit;
    this.candidates = [];
  }

  /** Of candidates the content never told apart: the nearest forward of the last run, else the first. */
  private choose(candidates: readonly Candidate[]): Candidate {
    let best: Candidate | undefined;
    let bestScore = Infinity;
    for (const c of candidates) {
      const fileStart = c.start + c.delta;
      const score = fileStart >= this.lastFileEnd ? fileStart - this.lastFileEnd : 1e15 + fileStart;
      if (score < bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return best!;
  }

  /** Decides the words of run `c` that lie wholly before received frame `re`. */
  private advanceWords(c: Candidate, re: number): void {
    const { endFrames } = this.script;
    const limit = re + c.delta;
    while (c.next < endFrames.length && endFrames[c.next]! <= limit) {
      this.decide(c.next, c.delta);
      c.next++;
    }
  }

  /** Where word `i` of the script starts on the received clock (seconds) in a run at `delta`. */
  private wordStart(i: number, delta: number): number {
    return round6(this.script.words[i]!.start - delta / this.rate);
  }

  /** Reports word `i` of the script, heard with the file's frame r + delta at received frame r. */
  private decide(i: number, delta: number): void {
    if (this.script.startFrames[i]! - delta < this.reportedUntil) return;
    const w = this.script.words[i]!;
    const shift = -delta / this.rate;
    const start = this.wordStart(i, delta);
    const word: ScriptWord = { word: w.word, start, end: round6(w.end + shift) };
    if (w.punctuated_word !== undefined) word.punctuated_word = w.punctuated_word;
    if (w.confidence !== undefined) word.confidence = w.confidence;
    if (w.speaker !== undefined) word.speaker = w.speaker;
    const starts = this.decidedStarts;
    const at =
      starts.length === 0 || starts[starts.length - 1]! <= start ? starts.length : lowerBound(starts, start);
    starts.splice(at, 0, start);
    this.decided.splice(at, 0, word);
  }

  /** Appends received bytes, dropping those no lookup or backward extension can need any more. */
  private append(bytes: Uint8Array): void {
    const used = this.received - this.histStart;
    if (used + bytes.length > this.hist.length) {
      const keepFrom = Math.max(this.histStart, Math.max(0, this.pos - this.lookback) * this.frameBytes);
      const kept = this.received - keepFrom;
      if (kept + bytes.length <= this.hist.length / 2 || kept < used) {
        this.hist.copyWithin(0, keepFrom - this.histStart, used);
        this.histStart = keepFrom;
      }
      const needed = this.received - this.histStart + bytes.length;
      if (needed > this.hist.length) {
        const grown = new Uint8Array(Math.max(needed, this.hist.length * 2));
        grown.set(this.hist.subarray(0, this.received - this.histStart));
        this.hist = grown;
        this.histView = new DataView(grown.buffer);
      }
    }
    this.hist.set(bytes, this.received - this.histStart);
    this.received += bytes.length;
  }
}
