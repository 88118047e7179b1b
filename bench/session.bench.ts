/**
 * Session path: nanoseconds per audio chunk from `subject.next(chunk)` through `transcribe` (its
 * `withKeepAlive`, outbox, usage meter, timeline and `liveSocket`) to `socket.send`, on an
 * in-memory WebSocket that only counts frames, next to calling `send` on that socket directly (what
 * a raw loop does per chunk). 1,000,000 chunks of 3,200 B per round; isolates the library's own
 * per-chunk cost from ws and the kernel, which the scale bench includes. The same with caches cold:
 * 1,000 sessions taking turns with other memory touched between chunks, as in a scale run.
 *
 *   node bench/run.mjs session [--quick]
 */
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { Observable, Subject, type Subscriber, type Subscription } from 'rxjs';
import { MemorySocket, transcribeOnMemory } from './lib/memorySocket';
import { markdownTable, parseFlags, publish } from './lib/report';
import { fmt, median } from './lib/stats';

const flags = parseFlags(process.argv.slice(2));
const QUICK = flags.get('quick') === true;
const CHUNKS = QUICK ? 200_000 : 1_000_000;
const WARM_UP_ROUNDS = 2;
const ROUNDS = QUICK ? 3 : 7;
const CHUNK = new Uint8Array(3200);

let minorGcs = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
    if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minorGcs++;
  }
});

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

interface Pass {
  ns: number;
  minorGcs: number;
}

/** The floor: a raw loop's per-chunk work, `if (open) socket.send(chunk)`. */
async function direct(): Promise<Pass> {
  const socket = new MemorySocket();
  await new Promise((resolve) => setImmediate(resolve));
  const gcsBefore = minorGcs;
  const start = process.hrtime.bigint();
  for (let i = 0; i < CHUNKS; i++) if (socket.readyState === 1) socket.send(CHUNK);
  const ns = Number(process.hrtime.bigint() - start) / CHUNKS;
  if (socket.binary !== CHUNKS) throw new Error(`direct: ${socket.binary} frames sent`);
  await settle(); // GC entries are delivered asynchronously
  return { ns, minorGcs: minorGcs - gcsBefore };
}

/** An audio source and the function that pushes a chunk into it. */
interface Source {
  audio$: Observable<Uint8Array>;
  push: (chunk: Uint8Array) => void;
}

/** A cold Observable whose subscriber is kept: `push` is `subscriber.next`. */
function observableSource(): Source {
  let sink: Subscriber<Uint8Array> | undefined;
  return {
    audio$: new Observable<Uint8Array>((subscriber) => {
      sink = subscriber;
    }),
    push: (chunk) => sink!.next(chunk),
  };
}

function subjectSource(): Source {
  const subject = new Subject<Uint8Array>();
  return { audio$: subject, push: (chunk) => subject.next(chunk) };
}

async function session(makeSource: () => Source): Promise<Pass> {
  const sockets: MemorySocket[] = [];
  const { audio$, push } = makeSource();
  let opened!: () => void;
  const open = new Promise<void>((resolve) => (opened = resolve));
  const subscription = transcribeOnMemory(audio$, sockets, {
    next: (event) => {
      if (event.type === 'Open') opened();
    },
    error: (error: unknown) => {
      throw error;
    },
  });
  await open;
  const socket = sockets[0];
  const gcsBefore = minorGcs;
  const start = process.hrtime.bigint();
  for (let i = 0; i < CHUNKS; i++) push(CHUNK);
  const ns = Number(process.hrtime.bigint() - start) / CHUNKS;
  if (socket?.binary !== CHUNKS) throw new Error(`transcribe: ${socket?.binary} frames sent`);
  await settle(); // GC entries are delivered asynchronously
  subscription.unsubscribe();
  return { ns, minorGcs: minorGcs - gcsBefore };
}

/**
 * Cold caches: many sessions take turns, as in a scale run, and other memory is read and written
 * between two chunks (in a scale run: ws, the kernel and every other session), so each chunk finds
 * the objects on its path out of the CPU caches. The same eviction work is done for the floor.
 */
const COLD_SESSIONS = QUICK ? 200 : 1000;
const COLD_CHUNKS_PER_SESSION = QUICK ? 20 : 100;
const EVICT_BYTES = 16 * 1024;
const CACHE_LINE = 64;
/** 32 MB of doubles: more than the caches of this machine. */
const evictionSpace = new Float64Array(4 * 1024 * 1024);
let evictionSeed = 1;

/** Reads and writes one double in each cache line of a pseudo-random EVICT_BYTES window of evictionSpace. */
function evictCaches(): void {
  evictionSeed = (evictionSeed * 1103515245 + 12345) & 0x7fffffff;
  const doubles = EVICT_BYTES / 8;
  const start = evictionSeed % (evictionSpace.length - doubles);
  for (let i = 0; i < doubles; i += CACHE_LINE / 8) evictionSpace[start + i]! += 1;
}

/** One chunk for each of COLD_SESSIONS sessions in turn, COLD_CHUNKS_PER_SESSION times, caches evicted between chunks. */
function coldLoop(pushes: readonly ((chunk: Uint8Array) => void)[]): number {
  const start = process.hrtime.bigint();
  for (let k = 0; k < COLD_CHUNKS_PER_SESSION; k++) {
    for (const push of pushes) {
      push(CHUNK);
      evictCaches();
    }
  }
  return Number(process.hrtime.bigint() - start) / (COLD_CHUNKS_PER_SESSION * pushes.length);
}

async function coldDirect(): Promise<Pass> {
  const sockets = Array.from({ length: COLD_SESSIONS }, () => new MemorySocket());
  await new Promise((resolve) => setImmediate(resolve));
  const pushes = sockets.map((socket) => (chunk: Uint8Array) => {
    if (socket.readyState === 1) socket.send(chunk);
  });
  const gcsBefore = minorGcs;
  const ns = coldLoop(pushes);
  const sent = sockets.reduce((n, socket) => n + socket.binary, 0);
  if (sent !== COLD_SESSIONS * COLD_CHUNKS_PER_SESSION) throw new Error(`cold direct: ${sent} frames sent`);
  await settle();
  return { ns, minorGcs: minorGcs - gcsBefore };
}

async function coldSession(): Promise<Pass> {
  const sockets: MemorySocket[] = [];
  const subscriptions: Subscription[] = [];
  const pushes: ((chunk: Uint8Array) => void)[] = [];
  for (let i = 0; i < COLD_SESSIONS; i++) {
    const { audio$, push } = observableSource();
    pushes.push(push);
    subscriptions.push(transcribeOnMemory(audio$, sockets));
  }
  await new Promise((resolve) => setImmediate(resolve));
  const gcsBefore = minorGcs;
  const ns = coldLoop(pushes);
  const sent = sockets.reduce((n, socket) => n + socket.binary, 0);
  if (sent !== COLD_SESSIONS * COLD_CHUNKS_PER_SESSION)
    throw new Error(`cold transcribe: ${sent} frames sent`);
  await settle();
  for (const subscription of subscriptions) subscription.unsubscribe();
  return { ns, minorGcs: minorGcs - gcsBefore };
}

const MEMORY_SESSIONS = QUICK ? 200 : 2000;

/** Heap per open session (bytes), after one chunk went through each, with a forced GC. */
async function heapPerSession(makeSource: (() => Source) | 'direct', gc: () => void): Promise<number> {
  gc();
  const before = process.memoryUsage().heapUsed;
  const keep: { unsubscribe(): void }[] = [];
  const sockets: MemorySocket[] = [];
  const pushes: ((chunk: Uint8Array) => void)[] = [];
  for (let i = 0; i < MEMORY_SESSIONS; i++) {
    if (makeSource === 'direct') {
      const socket = new MemorySocket();
      sockets.push(socket);
      pushes.push((chunk) => socket.readyState === 1 && socket.send(chunk));
      continue;
    }
    const { audio$, push } = makeSource();
    pushes.push(push);
    keep.push(transcribeOnMemory(audio$, sockets));
  }
  await new Promise((resolve) => setImmediate(resolve));
  for (const push of pushes) push(CHUNK);
  await settle();
  gc();
  const bytes = (process.memoryUsage().heapUsed - before) / MEMORY_SESSIONS;
  const sent = sockets.reduce((n, socket) => n + socket.binary, 0);
  if (sent !== MEMORY_SESSIONS) throw new Error(`${sent} chunks sent by ${MEMORY_SESSIONS} sessions`);
  for (const subscription of keep) subscription.unsubscribe();
  return bytes;
}

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run node with --expose-gc');
  gcObserver.observe({ entryTypes: ['gc'] });
  const candidates: [string, () => Promise<Pass>][] = [
    ['socket.send directly (floor)', direct],
    ['transcribe, Observable source (subscriber.next → … → socket.send)', () => session(observableSource)],
    ['transcribe, Subject source (subject.next → … → socket.send)', () => session(subjectSource)],
  ];
  const coldCandidates: [string, () => Promise<Pass>][] = [
    ['socket.send directly (floor), caches cold', coldDirect],
    ['transcribe, Observable source, caches cold', coldSession],
  ];
  const samples = new Map<string, Pass[]>([...candidates, ...coldCandidates].map(([name]) => [name, []]));
  for (const group of [candidates, coldCandidates]) {
    for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
      for (const [name, run] of group) {
        gc();
        const pass = await run();
        if (round >= WARM_UP_ROUNDS) samples.get(name)!.push(pass);
      }
    }
  }
  gcObserver.disconnect();
  // Memory: a warm-up pass of each (compiles the code, loads lazy modules), then the measured ones.
  const heap: number[] = [];
  for (const source of ['direct', observableSource, subjectSource] as const) {
    await heapPerSession(source, gc);
    heap.push(await heapPerSession(source, gc));
  }
  /** The median, range and excess over `floorName`'s median of one candidate's passes. */
  const timing = (name: string, floorName: string) => {
    const ns = (passes: Pass[]): number[] => passes.map((p) => p.ns);
    const passes = ns(samples.get(name)!);
    const nsPerChunk = median(passes);
    return {
      name,
      nsPerChunk,
      min: Math.min(...passes),
      max: Math.max(...passes),
      overFloorNs: nsPerChunk - median(ns(samples.get(floorName)!)),
    };
  };
  const coldRows = coldCandidates.map(([name]) => timing(name, coldCandidates[0]![0]));
  const coldTable = markdownTable(
    ['path', 'ns / chunk (median)', 'min–max', 'ns over the floor'],
    coldRows.map((r) => [
      r.name,
      fmt(r.nsPerChunk, 1),
      `${fmt(r.min, 1)}–${fmt(r.max, 1)}`,
      fmt(r.overFloorNs, 1),
    ]),
  );
  const rows = candidates.map(([name], index) => ({
    ...timing(name, candidates[0]![0]),
    minorGcsPerPass: median(samples.get(name)!.map((p) => p.minorGcs)),
    heapBytesPerSession: heap[index]!,
  }));
  const table = markdownTable(
    [
      'path',
      'ns / chunk (median)',
      'min–max',
      'ns over the floor',
      'minor GCs / pass',
      'heap / open session',
    ],
    rows.map((r) => [
      r.name,
      fmt(r.nsPerChunk, 1),
      `${fmt(r.min, 1)}–${fmt(r.max, 1)}`,
      fmt(r.overFloorNs, 1),
      fmt(r.minorGcsPerPass, 0),
      `${fmt(r.heapBytesPerSession / 1024, 1)} KB`,
    ]),
  );
  publish('session', flags, {
    config: {
      chunks: CHUNKS,
      chunkBytes: CHUNK.length,
      rounds: ROUNDS,
      warmUpRounds: WARM_UP_ROUNDS,
      memorySessions: MEMORY_SESSIONS,
      coldSessions: COLD_SESSIONS,
      coldChunksPerSession: COLD_CHUNKS_PER_SESSION,
      evictBytes: EVICT_BYTES,
    },
    tables: {
      session:
        `${table}\n\n${CHUNKS.toLocaleString('en-US')} chunks of ${CHUNK.length} B per pass on an in-memory ` +
        `WebSocket (no ws, no kernel), median of ${ROUNDS} alternating rounds after ${WARM_UP_ROUNDS} warm-up rounds. ` +
        `Heap / open session: ${MEMORY_SESSIONS.toLocaleString('en-US')} sessions open at once, one chunk sent by ` +
        `each, after a forced GC (the in-memory socket and the source included). rxjs resolves to its ES5 ` +
        `CommonJS build in Node, whose Subject.next allocates an iterator and a closure per call: the ` +
        `scale bench feeds transcribe from an Observable.`,
      'session-cold':
        `${coldTable}\n\n${COLD_SESSIONS.toLocaleString('en-US')} sessions (or sockets) take turns, one chunk each, ` +
        `${COLD_CHUNKS_PER_SESSION} turns per pass; between two chunks the loop reads and writes one double in every ` +
        `64-byte line of a pseudo-random ${EVICT_BYTES / 1024} KB window of a 32 MB array, for the floor too, so ` +
        `that each chunk finds what its path touches out of the CPU caches, as in a scale run. Median of ` +
        `${ROUNDS} alternating rounds after ${WARM_UP_ROUNDS} warm-up rounds; the in-memory WebSocket as above.`,
    },
    rows: [...rows, ...coldRows],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
