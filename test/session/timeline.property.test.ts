/**
 * Resilience property: whatever silence was gated away and wherever connections died (with a
 * replay after each), the final words after rebase + dedupe equal the undisturbed script.
 *
 * The simulation works in integer milliseconds. A script of words lies on the original timeline;
 * gated gaps lie in the silences between words (possibly touching a word); each connection
 * receives the original audio from its replay point up to where it dies, minus the gaps, and
 * its clock counts only the audio received. The simulated server reports words on that clock
 * (float32-rounded, as Deepgram's numbers are), in finals that tile its clock and never end
 * inside a word, with interims before them; a dying connection finalizes only some of what it
 * received; the next connection replays from the finalized position, from the end of the last
 * finalized word, or from earlier (re-sending already final words).
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { Results, Word } from '../../src/protocol/messages';
import { createTimeline } from '../../src/session/timeline';
import type { Timeline } from '../../src/session/timelineTypes';
import { deepFreeze, results } from './timelineSupport';

type GenValues = fc.GeneratorValue;

interface Span {
  readonly from: number;
  readonly to: number;
}

interface ScriptWord extends Span {
  readonly text: string;
}

interface Scenario {
  readonly words: ScriptWord[];
  /** Gated gaps, sorted, each inside a silence. */
  readonly gaps: Span[];
  /** Where the audio ends. */
  readonly total: number;
}

/**
 * An integer in [min, max]. fc.gen builds a new arbitrary for every new set of arguments, which
 * is slow, so every draw goes through one fixed arbitrary and is scaled (fast-check's bias towards
 * the extremes still hits `min` and `max` often).
 */
function pick(g: GenValues, min: number, max: number): number {
  return min + Math.round(((max - min) * g(fc.integer, { min: 0, max: 1_000_000 })) / 1_000_000);
}

function generateScenario(g: GenValues): Scenario {
  const words: ScriptWord[] = [];
  const silences: Span[] = [];
  let at = 0;
  const count = pick(g, 0, 25);
  for (let i = 0; i < count; i++) {
    const silence = pick(g, 0, 1500);
    silences.push({ from: at, to: at + silence });
    const from = at + silence;
    const to = from + pick(g, 50, 600);
    words.push({ text: `w${i}`, from, to });
    at = to;
  }
  const total = at + pick(g, 0, 1500);
  silences.push({ from: at, to: total });
  const gaps: Span[] = [];
  for (const silence of silences) {
    if (silence.to - silence.from < 1 || !g(fc.boolean)) continue;
    const from = pick(g, silence.from, silence.to - 1);
    gaps.push({ from, to: pick(g, from + 1, silence.to) });
  }
  return { words, gaps, total };
}

/** The original audio a connection receives: [from, to) minus the gaps. */
function receivedRuns(from: number, to: number, gaps: readonly Span[]): Span[] {
  const runs: Span[] = [];
  let at = from;
  for (const gap of gaps) {
    if (gap.to <= at) continue;
    if (gap.from >= to) break;
    if (gap.from > at) runs.push({ from: at, to: gap.from });
    at = Math.max(at, gap.to);
  }
  if (to > at) runs.push({ from: at, to });
  return runs;
}

/** Connection time (ms) of an original position inside the received runs. */
function connectionTime(runs: readonly Span[], position: number): number {
  let clock = 0;
  for (const run of runs) {
    if (position >= run.from && position <= run.to) return clock + position - run.from;
    clock += run.to - run.from;
  }
  throw new Error(`position ${position} was not received`);
}

const seconds = (ms: number): number => Math.fround(ms / 1000);

/** What the simulated server says about one connection, in order. */
function serverMessages(
  g: GenValues,
  scenario: Scenario,
  runs: readonly Span[],
  received: Span,
  closing: boolean,
): { messages: Results[]; finalized: ScriptWord[] } {
  const length = runs.reduce((sum, run) => sum + run.to - run.from, 0);
  const heard = scenario.words.filter((w) => w.from >= received.from && w.to <= received.to);
  const finalizedCount = closing ? heard.length : pick(g, 0, heard.length);
  const asWord = (w: ScriptWord): Word => {
    const start = connectionTime(runs, w.from);
    const end = connectionTime(runs, w.to);
    return { word: w.text, start: seconds(start), end: seconds(end), confidence: 0.9 };
  };
  const message = (from: number, to: number, words: ScriptWord[], isFinal: boolean): Results =>
    results({ start: seconds(from), duration: seconds(to - from), words: words.map(asWord), isFinal });
  /** Where a final ending after `last` may end at the latest: before the next word that was heard at all. */
  const latestEnd = (last: ScriptWord): number => {
    const next = scenario.words[scenario.words.indexOf(last) + 1];
    return next !== undefined && next.from < received.to && next.from >= received.from
      ? connectionTime(runs, next.from)
      : length;
  };
  const messages: Results[] = [];
  let clock = 0;
  let index = 0;
  while (index < finalizedCount) {
    const group = [heard[index]!];
    for (index++; index < finalizedCount && g(fc.boolean); index++) group.push(heard[index]!);
    const first = connectionTime(runs, group[0]!.from);
    if (g(fc.boolean) && first > clock) {
      const emptyEnd = clock + Math.round(((first - clock) * pick(g, 0, 4)) / 4);
      messages.push(message(clock, emptyEnd, [], true));
      clock = emptyEnd;
    }
    messages.push(message(clock, connectionTime(runs, group[0]!.to), group.slice(0, 1), false));
    const last = group[group.length - 1]!;
    const earliest = connectionTime(runs, last.to);
    const end = earliest + Math.round(((latestEnd(last) - earliest) * pick(g, 0, 4)) / 4);
    messages.push(message(clock, end, group, true));
    clock = end;
  }
  const pending = heard.slice(finalizedCount);
  if (closing && length > clock) messages.push(message(clock, length, [], true));
  if (!closing && pending.length > 0) messages.push(message(clock, length, pending, false));
  return { messages, finalized: heard.slice(0, finalizedCount) };
}

/** Tells the timeline about the runs, each cut into a few adjacent pieces. */
function send(g: GenValues, timeline: Timeline, runs: readonly Span[]): void {
  for (const run of runs) {
    let at = run.from;
    while (run.to - at > 1 && g(fc.boolean)) {
      const cut = pick(g, at + 1, run.to - 1);
      timeline.sent(at / 1000, (cut - at) / 1000);
      at = cut;
    }
    timeline.sent(at / 1000, (run.to - at) / 1000);
  }
}

interface Delivered {
  finals: Results[];
  interims: { message: Results; finalizedBefore: number }[];
  /** Messages for which rebaseOwned (in place) and rebase (a copy) differ. */
  ownedDiffers: { copy: Results; owned: Results }[];
}

function deliver(timeline: Timeline, messages: readonly Results[], out: Delivered): void {
  for (const message of messages) {
    const finalizedBefore = timeline.finalizedUpTo;
    const rebased = timeline.rebase(deepFreeze(message));
    // As the session gets it: a fresh object from JSON.parse.
    const owned = timeline.rebaseOwned(JSON.parse(JSON.stringify(message)) as Results);
    if (!isDeepStrictEqual(owned, rebased)) out.ownedDiffers.push({ copy: rebased, owned });
    const result = timeline.dedupe(rebased);
    if (result === undefined) continue;
    if (result.is_final === true) out.finals.push(result);
    else out.interims.push({ message: result, finalizedBefore });
  }
}

/** Runs a scenario through connections that die, then one that finishes the audio. */
function run(g: GenValues, scenario: Scenario): Delivered {
  const timeline = createTimeline();
  const out: Delivered = { finals: [], interims: [], ownedDiffers: [] };
  const outages = pick(g, 0, 4);
  let replayFrom = 0;
  let lastFinalWordEnd = 0;
  for (let connection = 0; connection <= outages; connection++) {
    const closing = connection === outages;
    const diesAt = closing ? scenario.total : Math.min(scenario.total, replayFrom + pick(g, 0, 6000));
    const received = { from: replayFrom, to: diesAt };
    const runs = receivedRuns(received.from, received.to, scenario.gaps);
    timeline.connectionOpened();
    send(g, timeline, runs);
    const { messages, finalized } = serverMessages(g, scenario, runs, received, closing);
    deliver(timeline, messages, out);
    for (const w of finalized) lastFinalWordEnd = Math.max(lastFinalWordEnd, w.to);
    const upTo = Math.round(timeline.finalizedUpTo * 1000);
    const mode = g(fc.constantFrom, 'finalized', 'lastWordEnd', 'earlier');
    replayFrom =
      mode === 'finalized'
        ? upTo
        : mode === 'lastWordEnd'
          ? Math.min(lastFinalWordEnd, upTo)
          : Math.max(0, upTo - pick(g, 0, 3000));
  }
  return out;
}

const wordsOf = (finals: readonly Results[]): Word[] =>
  finals.flatMap((r) => r.channel.alternatives[0]!.words);

const off = (actual: number, expectedMs: number): boolean => Math.abs(actual - expectedMs / 1000) > 1e-3;

describe('Timeline rebase + dedupe under gating and reconnects', () => {
  test('delivers the final words of the undisturbed script, once each, in order, on the original timeline', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const scenario = generateScenario(g);
        const words = wordsOf(run(g, scenario).finals);
        expect(words.map((w) => w.word)).toEqual(scenario.words.map((w) => w.text));
        const misplaced = words.filter(
          (w, i) => off(w.start, scenario.words[i]!.from) || off(w.end, scenario.words[i]!.to),
        );
        const overlapping = words.filter((w, i) => i > 0 && w.start < words[i - 1]!.end);
        expect({ misplaced, overlapping }).toEqual({ misplaced: [], overlapping: [] });
      }),
      { numRuns: 200 },
    );
  });

  test('rebaseOwned writes into the message exactly what rebase returns', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        expect(run(g, generateScenario(g)).ownedDiffers).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  test('delivers finals that never overlap on the original timeline', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const { finals } = run(g, generateScenario(g));
        const bad = finals.filter(
          (final, i) =>
            final.duration < 0 ||
            (i > 0 && final.start < finals[i - 1]!.start + finals[i - 1]!.duration - 1e-6),
        );
        expect(bad).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  test('delivers interim words only for audio that was not final yet', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const { interims } = run(g, generateScenario(g));
        const stale = interims.filter(
          ({ message, finalizedBefore }) =>
            message.start < finalizedBefore ||
            message.channel.alternatives[0]!.words.some((w) => w.start < finalizedBefore),
        );
        expect(stale).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
