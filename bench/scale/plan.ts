/**
 * The load of one scale run, shared by the orchestrator (bench/scale.bench.ts), the measured
 * client process and the emulator process. All times in ms.
 */

/**
 * The measured clients. Each runs with what installing it brings: deepgram-rx has `bufferutil` (its
 * optional dependency; `ws` then masks frames natively), while `npm install ws` and
 * `npm install @deepgram/sdk` bring no `bufferutil`, so `raw` and `sdk` run with `ws`'s JavaScript
 * masking (WS_NO_BUFFER_UTIL=1). `raw-bu` and `sdk-bu` are the same two clients with `bufferutil`
 * installed beside them: the like-for-like comparison.
 */
export type ClientKind = 'rx' | 'raw' | 'sdk' | 'raw-bu' | 'sdk-bu' | 'floor';

export const CLIENT_NAMES: Record<ClientKind, string> = {
  rx: 'deepgram-rx transcribe',
  raw: 'raw ws loop (floor)',
  sdk: '@deepgram/sdk 5.13',
  'raw-bu': 'raw ws loop + bufferutil',
  'sdk-bu': '@deepgram/sdk 5.13 + bufferutil',
  floor: 'harness only (no sockets)',
};

/** The clients whose own install has no `bufferutil`: their processes run with WS_NO_BUFFER_UTIL=1. */
export const WITHOUT_BUFFERUTIL: ReadonlySet<ClientKind> = new Set<ClientKind>(['raw', 'sdk']);

export interface LoadPlan {
  /** Concurrent sessions. */
  sessions: number;
  /** Session starts are spread evenly over this window from t0. */
  staggerMs: number;
  /** Chunk length; 16 kHz linear16 mono. */
  chunkMs: number;
  chunkBytes: number;
  /** Chunks per session (audio length ÷ chunkMs), pause included. */
  chunks: number;
  /** Chunk indexes [pauseFrom, pauseTo) are not sent: a pause held by KeepAlive, inside the window. */
  pauseFrom: number;
  pauseTo: number;
  /**
   * Chunk indexes [warmUpFrom, warmUpTo) are not sent either: a shorter pause before the window, so
   * that every client has sent text frames (KeepAlive) and received messages before it is measured
   * (empty when both are equal).
   */
  warmUpFrom: number;
  warmUpTo: number;
  /** KeepAlive idle time (deepgram-rx) and fixed interval (raw loop, SDK). */
  keepAliveMs: number;
  /** The steady window, from t0: no connect and no close inside. */
  windowFromMs: number;
  windowToMs: number;
  /** Give up waiting for closes this long after the last chunk. */
  closeTimeoutMs: number;
}

export function makePlan(sessions: number, quick: boolean): LoadPlan {
  // 27 s of audio: 3 s of speech, a 4 s warm-up pause (one KeepAlive from deepgram-rx's 3 s idle
  // clock; shorter than the emulator's 5 s inactivity window), 6.5 s of speech, a 7 s pause (longer
  // than that window, so only KeepAlive holds it), 6.5 s of speech. The window (10–25 s) holds the
  // second pause with the same speech around it as the 20 s plan without warm-up had (3–18 s).
  // Quick: 10 s with a 4 s pause and no warm-up.
  return quick
    ? {
        sessions,
        staggerMs: 1000,
        chunkMs: 100,
        chunkBytes: 3200,
        chunks: 100,
        pauseFrom: 30,
        pauseTo: 70,
        warmUpFrom: 0,
        warmUpTo: 0,
        keepAliveMs: 3000,
        windowFromMs: 2500,
        windowToMs: 8500,
        closeTimeoutMs: 10000,
      }
    : {
        sessions,
        staggerMs: 1000,
        chunkMs: 100,
        chunkBytes: 3200,
        chunks: 270,
        pauseFrom: 135,
        pauseTo: 205,
        warmUpFrom: 30,
        warmUpTo: 70,
        keepAliveMs: 3000,
        windowFromMs: 10000,
        windowToMs: 25000,
        closeTimeoutMs: 15000,
      };
}

/** Whether chunk index `k` of the plan is sent (it is not in a pause). */
export function isSpeech(plan: LoadPlan, k: number): boolean {
  return (k < plan.pauseFrom || k >= plan.pauseTo) && (k < plan.warmUpFrom || k >= plan.warmUpTo);
}

/** The emulator's inactivity window in the scale runs (Deepgram's is 10 s; shorter so the pause needs KeepAlive). */
export const EMULATOR_IDLE_TIMEOUT_MS = 5000;

/** The query every client sends (the rx client builds the same one from LiveOptions). */
export const LIVE_QUERY = {
  model: 'nova-3',
  encoding: 'linear16',
  sample_rate: 16000,
  channels: 1,
  interim_results: true,
} as const;

export const API_KEY = 'bench-key';

export interface GcStats {
  minor: number;
  major: number;
  incremental: number;
  weak: number;
  /** Total pause time of all GCs (ms). */
  ms: number;
}

/** What the client process reports. */
export interface ClientReport {
  kind: ClientKind;
  sessions: number;
  opened: number;
  /** Close codes seen by the client, by code ('error' for a stream error without close code). */
  closes: Record<string, number>;
  errors: string[];
  messages: number;
  results: number;
  chunksSent: number;
  keepAlivesSent: number;
  bytesSent: number;
  /** CPU of the steady window and of the whole run (user + system, ms). */
  windowCpuMs: number;
  /** Of `windowCpuMs`, the time spent in the kernel (system time: the socket writes and reads, timers). */
  windowSystemCpuMs: number;
  /** The window's CPU by thread (/proc, 10 ms ticks): 'main', 'helpers' (V8's JIT and GC threads, libuv's pool). */
  windowThreadMs: Record<string, number>;
  windowWallMs: number;
  windowAudioSeconds: number;
  /** Wall time (µs) of the average `send` call in the window: the client's chunk path, `ws` and the write. */
  windowSendUsPerChunk: number;
  runCpuMs: number;
  runAudioSeconds: number;
  runWallMs: number;
  /** Memory at the end of the window after a forced GC, and before connecting (bytes). */
  heapBefore: number;
  heapAtWindowEnd: number;
  rssBefore: number;
  rssAtWindowEnd: number;
  maxRssKb: number;
  windowGc: GcStats;
  runGc: GcStats;
  setupMs: { p50: number; p99: number; max: number };
  eventLoopDelayP99Ms: number;
  /** How late the harness handed chunks to the client against their schedule, whole run (ms). */
  chunkLatenessMs: { p50: number; p99: number; max: number };
  closeTimedOut: number;
}

/** What the emulator process reports for one run. */
export interface EmulatorReport {
  sessions: number;
  closeCodes: Record<string, number>;
  net0001: number;
  audioBytes: number;
  keepAlives: number;
  binaryControlFrames: number;
  schemaErrors: number;
  messagesSent: number;
  /** KeepAlive lateness against the client's schedule (ms). */
  lateness: { count: number; p50: number; p99: number; max: number };
  /** KeepAlive arrival times (ms since open) of the first sessions, for inspection. */
  sampleKeepAliveTimes: number[][];
  cpuMs: number;
}

export type EmulatorRequest =
  { type: 'stats'; schedule: 'idle' | 'fixed'; intervalMs: number } | { type: 'close' };
