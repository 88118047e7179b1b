/**
 * Operator overhead: nanoseconds per chunk of `withKeepAlive` and `gateSilence` on 1,000,000
 * synchronous 10 ms chunks (320 B of 16 kHz linear16 mono), next to a bare `map` (the floor), all
 * in the same process: warm-up rounds, then alternating rounds, the median of each reported. Also
 * counts the young-generation GCs of one pass (0 = the per-chunk path allocates next to nothing).
 *
 *   node bench/run.mjs operators [--quick]
 */
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { map, Observable, type OperatorFunction, VirtualTimeScheduler } from 'rxjs';
import { gateSilence } from '../src/operators/gateSilence';
import { withKeepAlive } from '../src/operators/withKeepAlive';
import type { Frame } from '../src/protocol/frames';
import { markdownTable, parseFlags, publish } from './lib/report';
import { fmt, median } from './lib/stats';

const flags = parseFlags(process.argv.slice(2));
const QUICK = flags.get('quick') === true;
const CHUNKS = QUICK ? 200_000 : 1_000_000;
const WARM_UP_ROUNDS = QUICK ? 2 : 3;
const ROUNDS = QUICK ? 3 : 9;
const CHUNK_BYTES = 320;

/** 10 ms of a 440 Hz sine at −20 dBFS (speech for the gate), and 10 ms of digital silence. */
function sineChunk(): Uint8Array {
  const view = new DataView(new ArrayBuffer(CHUNK_BYTES));
  const amplitude = 32768 * 10 ** (-20 / 20) * Math.SQRT2;
  for (let i = 0; i < CHUNK_BYTES / 2; i++) {
    view.setInt16(i * 2, Math.round(amplitude * Math.sin((2 * Math.PI * 440 * i) / 16000)), true);
  }
  return new Uint8Array(view.buffer);
}
const SPEECH = sineChunk();
const SILENCE = new Uint8Array(CHUNK_BYTES);

function source(chunk: Uint8Array): Observable<Uint8Array> {
  return new Observable<Uint8Array>((subscriber) => {
    for (let i = 0; i < CHUNKS && !subscriber.closed; i++) subscriber.next(chunk);
    subscriber.complete();
  });
}

const gate = (): OperatorFunction<Uint8Array, Uint8Array> =>
  gateSilence({ encoding: 'linear16', sample_rate: 16000 });

interface Candidate {
  name: string;
  chunk: Uint8Array;
  /** Chunks expected out of one pass. */
  expected: number;
  make: () => OperatorFunction<Uint8Array, Frame>;
}

const candidates: Candidate[] = [
  { name: 'map (floor)', chunk: SPEECH, expected: CHUNKS, make: () => map((x: Uint8Array): Frame => x) },
  { name: 'withKeepAlive()', chunk: SPEECH, expected: CHUNKS, make: () => withKeepAlive() },
  {
    name: 'withKeepAlive(), virtual clock',
    chunk: SPEECH,
    expected: CHUNKS,
    make: () => withKeepAlive({ scheduler: new VirtualTimeScheduler() }),
  },
  { name: 'gateSilence, speech (all sent)', chunk: SPEECH, expected: CHUNKS, make: gate },
  { name: 'gateSilence, silence (all held)', chunk: SILENCE, expected: 0, make: gate },
  {
    name: 'gateSilence → withKeepAlive, speech',
    chunk: SPEECH,
    expected: CHUNKS,
    make: () => (audio$) => audio$.pipe(gate(), withKeepAlive()),
  },
];

const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

let minorGcs = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
    if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minorGcs++;
  }
});

/** One pass of all chunks through the candidate: nanoseconds per chunk. */
function nsPerChunk(candidate: Candidate): number {
  const audio$ = source(candidate.chunk);
  let count = 0;
  const start = process.hrtime.bigint();
  audio$.pipe(candidate.make()).subscribe(() => {
    count++;
  });
  const elapsed = Number(process.hrtime.bigint() - start);
  if (count !== candidate.expected) throw new Error(`${candidate.name}: ${count} frames out of one pass`);
  return elapsed / CHUNKS;
}

async function main(): Promise<void> {
  if (!(globalThis as { gc?: () => void }).gc) throw new Error('run node with --expose-gc');
  gcObserver.observe({ entryTypes: ['gc'] });
  const samples = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
  for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
    for (const candidate of candidates) {
      collectGarbage();
      const ns = nsPerChunk(candidate);
      if (round >= WARM_UP_ROUNDS) samples.get(candidate.name)!.push(ns);
    }
  }
  const gcs = new Map<string, number>();
  for (const candidate of candidates) {
    collectGarbage();
    await settle();
    minorGcs = 0;
    nsPerChunk(candidate);
    await settle();
    gcs.set(candidate.name, minorGcs);
  }
  gcObserver.disconnect();

  const floor = median(samples.get('map (floor)')!);
  const rows = candidates.map((c) => {
    const values = samples.get(c.name)!;
    const ns = median(values);
    return {
      name: c.name,
      nsPerChunk: ns,
      min: Math.min(...values),
      max: Math.max(...values),
      ratioToFloor: ns / floor,
      minorGcsPerPass: gcs.get(c.name)!,
    };
  });
  const table = markdownTable(
    ['operator', 'ns / chunk (median)', 'min–max', '× map', 'minor GCs / pass'],
    rows.map((r) => [
      r.name,
      fmt(r.nsPerChunk, 1),
      `${fmt(r.min, 1)}–${fmt(r.max, 1)}`,
      `${fmt(r.ratioToFloor, 2)}×`,
      String(r.minorGcsPerPass),
    ]),
  );
  const keepAlive = rows.find((r) => r.name === 'withKeepAlive()')!;
  publish('operators', flags, {
    config: { chunks: CHUNKS, chunkBytes: CHUNK_BYTES, warmUpRounds: WARM_UP_ROUNDS, rounds: ROUNDS },
    tables: {
      operators:
        `${table}\n\n${CHUNKS.toLocaleString('en-US')} chunks of ${CHUNK_BYTES} B per pass, median of ` +
        `${ROUNDS} alternating rounds after ${WARM_UP_ROUNDS} warm-up rounds. ` +
        `Goal withKeepAlive ≤ 6× map: ${fmt(keepAlive.ratioToFloor, 2)}× ` +
        `(${keepAlive.ratioToFloor <= 6 ? 'met' : 'NOT met'}).`,
    },
    rows,
  });
}

void main();
