/**
 * Per-chunk cost of withKeepAlive compared with a bare `map`, on 1,000,000 synchronous chunks in the
 * same process: warm-up, then alternating rounds, the median of each reported. Also counts the minor
 * (young-generation) GCs during one pass, to show whether the per-chunk path allocates.
 *
 *   npx esbuild bench/withKeepAlive.bench.ts --bundle --platform=node --format=cjs \
 *     --outfile=/tmp/keepalive-bench.cjs && node --expose-gc /tmp/keepalive-bench.cjs
 */
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { map, Observable, type OperatorFunction, VirtualTimeScheduler } from 'rxjs';
import type { Frame } from '../src/protocol/frames';
import { withKeepAlive } from '../src/operators/withKeepAlive';

const CHUNKS = 1_000_000;
const WARM_UP_ROUNDS = 3;
const ROUNDS = 9;

const chunk = new Uint8Array(320); // 10 ms of 16 kHz linear16 mono; the same buffer every time
const audio$ = new Observable<Uint8Array>((subscriber) => {
  for (let i = 0; i < CHUNKS && !subscriber.closed; i++) subscriber.next(chunk);
  subscriber.complete();
});

const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

let minorGcs = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
    if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minorGcs++;
  }
});
gcObserver.observe({ entryTypes: ['gc'] });

/** One pass of all chunks through `operator`: nanoseconds per chunk. */
function nsPerChunk(operator: OperatorFunction<Uint8Array, Frame>): number {
  let count = 0;
  const start = process.hrtime.bigint();
  audio$.pipe(operator).subscribe(() => {
    count++;
  });
  const elapsed = Number(process.hrtime.bigint() - start);
  if (count !== CHUNKS) throw new Error(`expected ${CHUNKS} frames, got ${count}`);
  return elapsed / CHUNKS;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const candidates: [string, () => OperatorFunction<Uint8Array, Frame>][] = [
  ['map (baseline)', () => map((x: Uint8Array): Frame => x)],
  ['withKeepAlive', () => withKeepAlive()],
  // Same operator on an integer clock: separates our own per-chunk allocations (none) from the
  // boxed double that Date.now() returns in V8.
  ['withKeepAlive, virtual clock', () => withKeepAlive({ scheduler: new VirtualTimeScheduler() })],
];

async function main(): Promise<void> {
  const samples = new Map<string, number[]>(candidates.map(([name]) => [name, []]));
  for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
    for (const [name, make] of candidates) {
      collectGarbage();
      const ns = nsPerChunk(make());
      if (round >= WARM_UP_ROUNDS) samples.get(name)!.push(ns);
    }
  }

  const gcs = new Map<string, number>();
  for (const [name, make] of candidates) {
    collectGarbage();
    await settle();
    minorGcs = 0;
    nsPerChunk(make());
    await settle();
    gcs.set(name, minorGcs);
  }
  gcObserver.disconnect();

  const baseline = median(samples.get('map (baseline)')!);
  console.log(`${CHUNKS} chunks, median of ${ROUNDS} rounds after ${WARM_UP_ROUNDS} warm-up rounds`);
  for (const [name, values] of samples) {
    const ns = median(values);
    console.log(
      `${name.padEnd(30)} ${ns.toFixed(1).padStart(7)} ns/chunk  ${(ns / baseline).toFixed(2).padStart(5)}x map` +
        `  minor GCs in one pass: ${gcs.get(name)}`,
    );
  }
  if (!(globalThis as { gc?: () => void }).gc)
    console.log('(run node with --expose-gc for steadier numbers)');
}

void main();
