/**
 * The measured client process of the scale bench: N sessions from one process, starts spread over
 * the first second, each streaming 16 kHz linear16 in 100 ms chunks paced in real time by a
 * drift-free `setTimeout` chain (each chunk is due at start + k × 100 ms), with a warm-up pause
 * before the steady window and a longer one inside it held by KeepAlive. Measures CPU
 * (`process.cpuUsage`, user and system) over the steady window and the whole run, memory after a
 * forced GC at the end of the window, GCs (perf_hooks), setup times and event-loop delay; reports
 * them to the orchestrator over IPC (or prints them without one).
 *
 * Run with `--max-semi-space-size=1 --expose-gc`. Arguments: `--url URL --sessions N [--quick]`.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { Session as InspectorSession } from 'node:inspector';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { constants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { parseWav } from '../../src/audio/wavHeader';
import { parseFlags } from '../lib/report';
import { quantile } from '../lib/stats';
import type { ClientFactory } from './clients/types';
import { isSpeech, makePlan, type ClientKind, type ClientReport, type GcStats } from './plan';

const emptyGc = (): GcStats => ({ minor: 0, major: 0, incremental: 0, weak: 0, ms: 0 });

function countGc(stats: GcStats, kind: number | undefined, duration: number): void {
  stats.ms += duration;
  if (kind === constants.NODE_PERFORMANCE_GC_MINOR) stats.minor++;
  else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) stats.major++;
  else if (kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL) stats.incremental++;
  else stats.weak++;
}

/** Real speech to stream: samples/pauses-16k.wav from 1 s on (16 kHz linear16 mono), looped. */
function loadAudio(): Uint8Array {
  const path = 'samples/pauses-16k.wav';
  const { data } = parseWav(new Uint8Array(readFileSync(path)), path);
  return data.slice(32000);
}

/**
 * CPU time (ms) of the process's threads, from /proc (Linux; empty elsewhere): the main JavaScript
 * thread apart from the helper threads (V8's JIT compilation and concurrent/parallel GC, libuv's
 * pool), which `process.cpuUsage()` adds in.
 */
function threadCpuMs(): Record<string, number> {
  const out: Record<string, number> = {};
  const ticksPerMs = 0.1; // USER_HZ is 100 on Linux: one tick is 10 ms
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
      // Node 20 names every thread "node": tell the main thread apart by its id.
      const kind = tid === String(process.pid) ? 'main' : 'helpers';
      out[kind] = (out[kind] ?? 0) + ms;
    }
  } catch {
    // No /proc (not Linux): no breakdown.
  }
  return out;
}

function subtract(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(a)) out[key] = a[key]! - (b[key] ?? 0);
  return out;
}

/**
 * With BENCH_MARKS set, a line on stdout (written at once, so that it lands in order among V8's
 * traces from BENCH_CLIENT_FLAGS) when the window starts and ends and when the first session's
 * pause starts and ends, with the time since the first start.
 */
function mark(event: string, sinceMs: number): void {
  if (process.env.BENCH_MARKS !== undefined) writeSync(1, `\n=== ${event} at ${Math.round(sinceMs)} ms\n`);
}

export function runClient(kind: ClientKind, factory: ClientFactory): void {
  const flags = parseFlags(process.argv.slice(2));
  const url = flags.get('url');
  const sessions = Number(flags.get('sessions'));
  if (typeof url !== 'string' || !(sessions > 0)) throw new Error('usage: --url URL --sessions N [--quick]');
  const plan = makePlan(sessions, flags.get('quick') === true);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');

  const audio = loadAudio();
  const chunkCount = Math.floor(audio.length / plan.chunkBytes);
  const chunkAt = (k: number): Uint8Array => {
    const at = (k % chunkCount) * plan.chunkBytes;
    return audio.subarray(at, at + plan.chunkBytes);
  };
  const startSession = factory(url, plan.keepAliveMs);

  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;

  const t0 = performance.now() + 300;
  const windowFrom = t0 + plan.windowFromMs;
  const windowTo = t0 + plan.windowToMs;
  let inWindow = false;
  let windowChunks = 0;
  /** Wall time inside the clients' `send` calls in the window: the per-chunk path, ws and kernel included. */
  let windowSendMs = 0;
  let chunksSent = 0;
  let keepAlivesSent = 0;
  let opened = 0;
  let closedCount = 0;
  let messages = 0;
  let results = 0;
  const closes: Record<string, number> = {};
  const errors: string[] = [];
  const setupMs: number[] = [];

  // How late each chunk went out against its schedule, in 1 ms buckets (allocated before t0, so
  // outside the heap measurement): shows when the harness itself fell behind real time.
  const lateness = new Uint32Array(60_001);
  const windowGc = emptyGc();
  const runGc = emptyGc();
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      countGc(runGc, kind, entry.duration);
      if (entry.startTime >= windowFrom && entry.startTime < windowTo)
        countGc(windowGc, kind, entry.duration);
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });

  let runCpu: NodeJS.CpuUsage | undefined;
  let windowCpu: NodeJS.CpuUsage | undefined;
  let windowCpuMs = 0;
  let windowSystemCpuMs = 0;
  let windowThreads: Record<string, number> = {};
  let windowThreadMs: Record<string, number> = {};
  let windowWallMs = 0;
  let windowStartedAt = 0;
  let heapAtWindowEnd = 0;
  let rssAtWindowEnd = 0;
  let eventLoopDelayP99Ms = NaN;
  let finished = false;

  setTimeout(() => {
    runCpu = process.cpuUsage();
  }, t0 - performance.now());
  setTimeout(() => {
    inWindow = true;
    mark('window start', performance.now() - t0);
    windowStartedAt = performance.now();
    windowCpu = process.cpuUsage();
    windowThreads = threadCpuMs();
    loopDelay.enable();
    const profileDir = flags.get('window-profile');
    if (typeof profileDir === 'string') startWindowProfile();
  }, windowFrom - performance.now());
  setTimeout(() => {
    const cpu = process.cpuUsage(windowCpu);
    windowThreadMs = subtract(threadCpuMs(), windowThreads);
    windowWallMs = performance.now() - windowStartedAt;
    inWindow = false;
    mark('window end', performance.now() - t0);
    windowCpuMs = (cpu.user + cpu.system) / 1000;
    windowSystemCpuMs = cpu.system / 1000;
    const profileDir = flags.get('window-profile');
    if (typeof profileDir === 'string') stopWindowProfile(profileDir, `${kind}-${sessions}`);
    loopDelay.disable();
    eventLoopDelayP99Ms = loopDelay.percentile(99) / 1e6;
    gc();
    const memory = process.memoryUsage();
    heapAtWindowEnd = memory.heapUsed;
    rssAtWindowEnd = memory.rss;
    // --heap-snapshot DIR: a heap snapshot at the end of the window, for memory per session.
    const snapshotDir = flags.get('heap-snapshot');
    if (typeof snapshotDir === 'string') {
      mkdirSync(snapshotDir, { recursive: true });
      writeHeapSnapshot(join(snapshotDir, `${kind}-${sessions}.heapsnapshot`));
    }
  }, windowTo - performance.now());

  const lastChunkAt = t0 + plan.staggerMs + plan.chunks * plan.chunkMs;
  const giveUp = setTimeout(() => finish(), lastChunkAt + plan.closeTimeoutMs - performance.now());

  function finish(): void {
    if (finished) return;
    finished = true;
    clearTimeout(giveUp);
    const cpu = process.cpuUsage(runCpu);
    const runWallMs = performance.now() - t0;
    gcObserver.disconnect();
    const latenessAt = (q: number): number => {
      const total = lateness.reduce((a, b) => a + b, 0);
      let seen = 0;
      for (let ms = 0; ms < lateness.length; ms++) {
        seen += lateness[ms]!;
        if (seen >= q * total) return ms;
      }
      return lateness.length - 1;
    };
    let latenessMax = 0;
    lateness.forEach((count, ms) => {
      if (count > 0) latenessMax = ms;
    });
    const report: ClientReport = {
      kind,
      sessions,
      opened,
      closes,
      errors: errors.slice(0, 20),
      messages,
      results,
      chunksSent,
      keepAlivesSent,
      bytesSent: chunksSent * plan.chunkBytes,
      windowCpuMs,
      windowThreadMs,
      windowSystemCpuMs,
      windowWallMs,
      windowAudioSeconds: (windowChunks * plan.chunkMs) / 1000,
      windowSendUsPerChunk: (windowSendMs * 1000) / windowChunks,
      runCpuMs: (cpu.user + cpu.system) / 1000,
      runAudioSeconds: (chunksSent * plan.chunkMs) / 1000,
      runWallMs,
      heapBefore,
      heapAtWindowEnd,
      rssBefore,
      rssAtWindowEnd,
      maxRssKb: process.resourceUsage().maxRSS,
      windowGc,
      runGc,
      setupMs: { p50: quantile(setupMs, 0.5), p99: quantile(setupMs, 0.99), max: Math.max(...setupMs) },
      eventLoopDelayP99Ms,
      chunkLatenessMs: { p50: latenessAt(0.5), p99: latenessAt(0.99), max: latenessMax },
      closeTimedOut: sessions - closedCount,
    };
    if (process.send) process.send({ type: 'report', report }, () => process.exit(0));
    else {
      console.log(JSON.stringify(report, null, 2));
      process.exit(0);
    }
  }

  function start(index: number): void {
    const startAt = t0 + (index * plan.staggerMs) / sessions;
    const connectStart = performance.now();
    let ended = false;
    const handle = startSession({
      opened: () => {
        opened++;
        setupMs.push(performance.now() - connectStart);
      },
      message: (isResults) => {
        messages++;
        if (isResults) results++;
      },
      closed: (code) => {
        if (ended) return;
        ended = true;
        closes[String(code)] = (closes[String(code)] ?? 0) + 1;
        if (++closedCount === sessions) finish();
      },
      keepAlive: () => {
        keepAlivesSent++;
      },
      error: (message) => {
        if (errors.length < 100) errors.push(message);
      },
    });
    let k = 0;
    const tick = (): void => {
      const late = Math.round(performance.now() - (startAt + k * plan.chunkMs));
      lateness[Math.min(Math.max(late, 0), lateness.length - 1)]!++;
      if (index === 0 && k === plan.pauseFrom) mark('pause start', performance.now() - t0);
      if (index === 0 && k === plan.pauseTo) mark('pause end', performance.now() - t0);
      if (index === 0 && k === plan.warmUpFrom && plan.warmUpTo > k)
        mark('warm-up pause start', performance.now() - t0);
      if (index === 0 && k === plan.warmUpTo && plan.warmUpFrom < k)
        mark('warm-up pause end', performance.now() - t0);
      if (isSpeech(plan, k)) {
        const chunk = chunkAt(k);
        if (inWindow) {
          const sendStart = performance.now();
          handle.send(chunk);
          windowSendMs += performance.now() - sendStart;
          windowChunks++;
        } else {
          handle.send(chunk);
        }
        chunksSent++;
      }
      k++;
      if (k === plan.chunks) {
        handle.end();
        return;
      }
      setTimeout(tick, startAt + k * plan.chunkMs - performance.now());
    };
    tick();
  }

  for (let i = 0; i < sessions; i++) {
    setTimeout(() => start(i), t0 + (i * plan.staggerMs) / sessions - performance.now());
  }
}

/** `--window-profile DIR`: the inspector session profiling the steady window, if asked for. */
let windowProfiler: InspectorSession | undefined;

function startWindowProfile(): void {
  windowProfiler = new InspectorSession();
  windowProfiler.connect();
  windowProfiler.post('Profiler.enable');
  windowProfiler.post('Profiler.start');
  // What the window allocates, sampled every 4 KB (a .heapprofile beside the .cpuprofile). With
  // BENCH_WINDOW_SURVIVORS set, only what outlived a young-generation GC: what the scavenger copies.
  windowProfiler.post('HeapProfiler.enable');
  windowProfiler.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: process.env.BENCH_WINDOW_SURVIVORS === undefined,
  });
}

function stopWindowProfile(dir: string, name: string): void {
  const profiler = windowProfiler;
  if (profiler === undefined) return;
  windowProfiler = undefined;
  mkdirSync(dir, { recursive: true });
  profiler.post('HeapProfiler.stopSampling', (heapError, heap) => {
    if (heapError === null) writeFileSync(join(dir, `${name}.heapprofile`), JSON.stringify(heap.profile));
    profiler.post('Profiler.stop', (error, result) => {
      if (error === null) writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(result.profile));
      profiler.disconnect();
    });
  });
}
