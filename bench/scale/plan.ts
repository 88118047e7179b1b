/**
 * The load of one scale run, shared by the orchestrator (bench/scale.bench.ts), the measured
 * client process and the emulator process. All times in ms.
 */

export type ClientKind = 'rx' | 'raw' | 'sdk' | 'floor';

export const CLIENT_NAMES: Record<ClientKind, string> = {
  rx: 'deepgram-rx transcribe',
  raw: 'raw ws loop (floor)',
  sdk: '@deepgram/sdk 5.13',
  floor: 'harness only (no sockets)',
};

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
  /** Chunk indexes [pauseFrom, pauseTo) are not sent: a pause held by KeepAlive. */
  pauseFrom: number;
  pauseTo: number;
  /** KeepAlive idle time (deepgram-rx) and fixed interval (raw loop, SDK). */
  keepAliveMs: number;
  /** The steady window, from t0: no connect and no close inside. */
  windowFromMs: number;
  windowToMs: number;
  /** Give up waiting for closes this long after the last chunk. */
  closeTimeoutMs: number;
}

export function makePlan(sessions: number, quick: boolean): LoadPlan {
  // 20 s of audio: 6.5 s of speech, a 7 s pause (longer than the emulator's 5 s inactivity window,
  // so only KeepAlive holds it), 6.5 s of speech. Quick: 10 s with a 4 s pause.
  return quick
    ? {
        sessions,
        staggerMs: 1000,
        chunkMs: 100,
        chunkBytes: 3200,
        chunks: 100,
        pauseFrom: 30,
        pauseTo: 70,
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
        chunks: 200,
        pauseFrom: 65,
        pauseTo: 135,
        keepAliveMs: 3000,
        windowFromMs: 3000,
        windowToMs: 18000,
        closeTimeoutMs: 15000,
      };
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
