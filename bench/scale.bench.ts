/**
 * Scale: N concurrent real-time sessions from one Node process against the emulator in another
 * process on loopback, for deepgram-rx (`transcribe`), a raw `ws` loop (the floor) and the official
 * `@deepgram/sdk`, each as its own install brings it and each of the last two also with `bufferutil`
 * (see WITHOUT_BUFFERUTIL in scale/plan.ts), plus the harness alone (timers, no sockets). Clients
 * rotate run by run; each figure is the median of the runs. Every process is fresh: one emulator and
 * one client process per run. The bundles are built by bench/run.mjs.
 *
 *   node bench/run.mjs scale [--quick] [--sessions 100,500] [--runs 3] [--clients rx,raw,sdk,raw-bu,sdk-bu] [--no-floor]
 *                            [--retries 2] [--profile DIR] [--heap-snapshot DIR]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { markdownTable, parseFlags, publish } from './lib/report';
import { fmt, median } from './lib/stats';
import {
  CLIENT_NAMES,
  EMULATOR_IDLE_TIMEOUT_MS,
  makePlan,
  type ClientKind,
  type ClientReport,
  type EmulatorReport,
  type EmulatorRequest,
  WITHOUT_BUFFERUTIL,
} from './scale/plan';

const flags = parseFlags(process.argv.slice(2));
const QUICK = flags.get('quick') === true;
const OUT_DIR = typeof flags.get('bundles') === 'string' ? (flags.get('bundles') as string) : __dirname;
const list = (name: string, fallback: string): string[] => {
  const value = flags.get(name);
  return (typeof value === 'string' ? value : fallback).split(',').filter((x) => x !== '');
};
const SESSIONS = list('sessions', QUICK ? '20,100' : '100,500,1000,2000').map(Number);
const RUNS = Number(flags.get('runs') ?? (QUICK ? 1 : 3));
const CLIENTS = list('clients', 'rx,raw,sdk,raw-bu,sdk-bu') as ClientKind[];
const WITH_FLOOR = flags.get('no-floor') !== true;
const CLIENT_FLAGS = ['--max-semi-space-size=1', '--expose-gc'];
/** `--profile DIR`: also write a V8 CPU profile of every client process into DIR (not for timing runs). */
const PROFILE = flags.get('profile');
const PROFILE_FLAGS = typeof PROFILE === 'string' ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [];
/**
 * `BENCH_CLIENT_FLAGS="--trace-gc-nvp ..."`: more Node/V8 flags for every client process, for
 * diagnostics (GC traces, `--perf-basic-prof`); not for timing runs.
 */
const EXTRA_CLIENT_FLAGS = (process.env.BENCH_CLIENT_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
/** `--heap-snapshot DIR`: a heap snapshot of every client at the end of its window (not for timing runs). */
const SNAPSHOT = flags.get('heap-snapshot');
/** `--window-profile DIR`: a V8 CPU profile of every client over its steady window only (not for timing runs). */
const WINDOW_PROFILE = flags.get('window-profile');

const MAIN: Record<ClientKind, string> = {
  rx: 'mainRx.cjs',
  raw: 'mainRaw.cjs',
  sdk: 'mainSdk.cjs',
  'raw-bu': 'mainRaw.cjs',
  'sdk-bu': 'mainSdk.cjs',
  floor: 'mainFloor.cjs',
};

function waitFor<T>(child: ChildProcess, type: string, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: no '${type}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: { type?: string } & Record<string, unknown>): void => {
      if (message.type !== type) return;
      cleanup();
      resolve(message as T);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`${what} exited (${code}) before '${type}'`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

function exited(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

interface RunResult {
  kind: ClientKind;
  sessions: number;
  run: number;
  client: ClientReport;
  emulator: EmulatorReport;
  cpuMsPerAudioS: number;
  runCpuMsPerAudioS: number;
  heapKbPerSession: number;
  rssKbPerSession: number;
  lostBytes: number;
  /** 1-minute load average before and after the run (the client and the emulator count in it). */
  loadBefore: number;
  loadAfter: number;
}

/**
 * The machine is shared: a run whose harness could not keep real time (event-loop delay p99 above
 * this) measured the neighbours, not the client. Such a run is set aside (kept in the JSON with the
 * reason) and repeated after a pause, at most MAX_RETRIES times; the last attempt counts regardless.
 */
const OVERLOAD_LOOP_DELAY_MS = 250;
const MAX_RETRIES = Number(flags.get('retries') ?? 2);
const RETRY_PAUSE_MS = 60_000;

interface Discarded {
  kind: ClientKind;
  sessions: number;
  run: number;
  reason: string;
  result: RunResult;
}

async function runOnce(kind: ClientKind, sessions: number, run: number): Promise<RunResult> {
  const plan = makePlan(sessions, QUICK);
  const loadBefore = loadavg()[0]!;
  const emulator = fork(join(OUT_DIR, 'emulatorProcess.cjs'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { url } = await waitFor<{ url: string }>(emulator, 'ready', 10000, 'emulator');
    const args = [
      '--url',
      url,
      '--sessions',
      String(sessions),
      ...(QUICK ? ['--quick'] : []),
      ...(typeof SNAPSHOT === 'string' ? ['--heap-snapshot', SNAPSHOT] : []),
      ...(typeof WINDOW_PROFILE === 'string' ? ['--window-profile', WINDOW_PROFILE] : []),
    ];
    const client = fork(join(OUT_DIR, MAIN[kind]), args, {
      execArgv: [...CLIENT_FLAGS, ...PROFILE_FLAGS, ...EXTRA_CLIENT_FLAGS],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: WITHOUT_BUFFERUTIL.has(kind) ? { ...process.env, WS_NO_BUFFER_UTIL: '1' } : process.env,
    });
    const budget = plan.staggerMs + plan.chunks * plan.chunkMs + plan.closeTimeoutMs + 30000;
    let report: ClientReport;
    try {
      ({ report } = await waitFor<{ report: ClientReport }>(client, 'report', budget, `${kind} client`));
    } finally {
      await exited(client, 5000);
    }
    const loadAfter = loadavg()[0]!;
    const request: EmulatorRequest = {
      type: 'stats',
      schedule: kind === 'rx' ? 'idle' : 'fixed',
      intervalMs: plan.keepAliveMs,
    };
    emulator.send(request);
    const { report: server } = await waitFor<{ report: EmulatorReport }>(
      emulator,
      'stats',
      30000,
      'emulator',
    );
    return {
      kind,
      sessions,
      run,
      client: report,
      emulator: server,
      cpuMsPerAudioS: report.windowCpuMs / report.windowAudioSeconds,
      runCpuMsPerAudioS: report.runCpuMs / report.runAudioSeconds,
      heapKbPerSession: (report.heapAtWindowEnd - report.heapBefore) / sessions / 1024,
      rssKbPerSession: (report.rssAtWindowEnd - report.rssBefore) / sessions / 1024,
      lostBytes: kind === 'floor' ? 0 : report.bytesSent - server.audioBytes,
      loadBefore,
      loadAfter,
    };
  } finally {
    if (emulator.connected) emulator.send({ type: 'close' } satisfies EmulatorRequest);
    await exited(emulator, 10000);
  }
}

function summary(r: RunResult): string {
  return (
    `N=${r.sessions} ${r.kind.padEnd(5)} run ${r.run + 1}: ${fmt(r.cpuMsPerAudioS, 3)} ms CPU / audio s, ` +
    `heap ${fmt(r.heapKbPerSession, 1)} KB/session, KeepAlives ${r.client.keepAlivesSent} sent / ` +
    `${r.emulator.keepAlives} received, p99 late ${fmt(r.emulator.lateness.p99, 1)} ms, ` +
    `NET-0001 ${r.emulator.net0001}, closes ${JSON.stringify(r.client.closes)}, lost ${r.lostBytes} B, ` +
    `major GCs ${r.client.windowGc.major}, chunks late p99/max ${r.client.chunkLatenessMs?.p99}/` +
    `${r.client.chunkLatenessMs?.max} ms, emulator CPU ${fmt((r.emulator.cpuMs / r.client.runWallMs) * 100, 0)} %`
  );
}

interface Aggregate {
  kind: ClientKind;
  sessions: number;
  runs: RunResult[];
  cpu: number;
  cpuMin: number;
  cpuMax: number;
  runCpu: number;
  /** Of the window's CPU per audio second: the main thread, and the helper threads (V8's JIT and GC). */
  mainCpu: number;
  helperCpu: number;
  /** Of the window's CPU per audio second: user space and the kernel (system time). */
  userCpu: number;
  systemCpu: number;
  /** Wall µs per `send` call in the window (the chunk path with ws and the write). */
  sendUs: number;
  heapKb: number;
  rssKb: number;
  maxRssMb: number;
  minorGcs: number;
  majorGcs: number;
  loopP99: number;
  setupP50: number;
  setupP99: number;
  lateP50: number;
  lateP99: number;
  keepAlivesSent: number;
  keepAlivesReceived: number;
  net0001: number;
  otherCloses: number;
  lostBytes: number;
  emulatorCpuPercent: number;
}

function aggregate(runs: RunResult[]): Aggregate {
  const m = (f: (r: RunResult) => number): number => median(runs.map(f));
  const first = runs[0]!;
  return {
    kind: first.kind,
    sessions: first.sessions,
    runs,
    cpu: m((r) => r.cpuMsPerAudioS),
    cpuMin: Math.min(...runs.map((r) => r.cpuMsPerAudioS)),
    cpuMax: Math.max(...runs.map((r) => r.cpuMsPerAudioS)),
    runCpu: m((r) => r.runCpuMsPerAudioS),
    mainCpu: m((r) => (r.client.windowThreadMs?.['main'] ?? NaN) / r.client.windowAudioSeconds),
    helperCpu: m((r) => (r.client.windowThreadMs?.['helpers'] ?? NaN) / r.client.windowAudioSeconds),
    userCpu: m(
      (r) => (r.client.windowCpuMs - (r.client.windowSystemCpuMs ?? NaN)) / r.client.windowAudioSeconds,
    ),
    systemCpu: m((r) => (r.client.windowSystemCpuMs ?? NaN) / r.client.windowAudioSeconds),
    sendUs: m((r) => r.client.windowSendUsPerChunk ?? NaN),
    heapKb: m((r) => r.heapKbPerSession),
    rssKb: m((r) => r.rssKbPerSession),
    maxRssMb: m((r) => r.client.maxRssKb / 1024),
    minorGcs: m((r) => r.client.windowGc.minor),
    majorGcs: m((r) => r.client.windowGc.major),
    loopP99: m((r) => r.client.eventLoopDelayP99Ms),
    setupP50: m((r) => r.client.setupMs.p50),
    setupP99: m((r) => r.client.setupMs.p99),
    lateP50: m((r) => r.emulator.lateness.p50),
    lateP99: m((r) => r.emulator.lateness.p99),
    keepAlivesSent: m((r) => r.client.keepAlivesSent),
    keepAlivesReceived: m((r) => r.emulator.keepAlives),
    // Totals over all runs: any failure counts.
    net0001: runs.reduce((n, r) => n + r.emulator.net0001, 0),
    // Closes other than 1000, and sessions that had not closed when the client gave up waiting.
    otherCloses: runs.reduce(
      (n, r) =>
        n +
        r.client.closeTimedOut +
        Object.entries(r.client.closes).reduce((k, [code, count]) => k + (code === '1000' ? 0 : count), 0),
      0,
    ),
    lostBytes: runs.reduce((n, r) => n + r.lostBytes, 0),
    emulatorCpuPercent: m((r) => (r.emulator.cpuMs / r.client.runWallMs) * 100),
  };
}

function tables(aggregates: Aggregate[]): Record<string, string> {
  const find = (kind: ClientKind, sessions: number): Aggregate | undefined =>
    aggregates.find((a) => a.kind === kind && a.sessions === sessions);
  const x = (value: number, floor: number | undefined): string =>
    floor === undefined || !(floor > 0) ? '–' : `${fmt(value / floor, 2)}×`;
  const clientRows = aggregates.filter((a) => a.kind !== 'floor');

  const cpu = markdownTable(
    [
      'N',
      'client',
      'CPU ms / audio s (steady, median)',
      'min–max',
      '× raw',
      '× raw, harness subtracted',
      'of which main thread / helper threads',
      'of which user / kernel',
      'send call µs / chunk',
      'whole run ms / audio s',
      'GCs in window minor / major',
      'event-loop delay p99 ms',
    ],
    aggregates.map((a) => {
      const raw = find('raw', a.sessions);
      const floor = find('floor', a.sessions);
      const net = (v: number): number => v - (floor?.cpu ?? NaN);
      return [
        String(a.sessions),
        CLIENT_NAMES[a.kind],
        fmt(a.cpu, 3),
        `${fmt(a.cpuMin, 3)}–${fmt(a.cpuMax, 3)}`,
        a.kind === 'floor' ? '–' : x(a.cpu, raw?.cpu),
        a.kind === 'floor' || raw === undefined ? '–' : x(net(a.cpu), net(raw.cpu)),
        `${fmt(a.mainCpu, 3)} / ${fmt(a.helperCpu, 3)}`,
        `${fmt(a.userCpu, 3)} / ${fmt(a.systemCpu, 3)}`,
        fmt(a.sendUs, 1),
        fmt(a.runCpu, 3),
        `${fmt(a.minorGcs, 0)} / ${fmt(a.majorGcs, 0)}`,
        fmt(a.loopP99, 1),
      ];
    }),
  );
  // Marginal heap per session: the slope of total heap between this N and the previous one, free of
  // the fixed costs (code compiled on first use, module state) that total ÷ N spreads over N.
  const marginal = (a: Aggregate): number => {
    const previous = aggregates
      .filter((b) => b.kind === a.kind && b.sessions < a.sessions)
      .sort((p, q) => q.sessions - p.sessions)[0];
    if (previous === undefined) return NaN;
    return (a.heapKb * a.sessions - previous.heapKb * previous.sessions) / (a.sessions - previous.sessions);
  };
  const memory = markdownTable(
    [
      'N',
      'client',
      'heap KB / session',
      '× raw',
      'marginal heap KB / session',
      '× raw',
      'RSS KB / session',
      '× raw',
      'max RSS MB',
    ],
    clientRows.map((a) => {
      const raw = find('raw', a.sessions);
      return [
        String(a.sessions),
        CLIENT_NAMES[a.kind],
        fmt(a.heapKb, 1),
        x(a.heapKb, raw?.heapKb),
        fmt(marginal(a), 1),
        raw === undefined ? '–' : x(marginal(a), marginal(raw)),
        fmt(a.rssKb, 1),
        x(a.rssKb, raw?.rssKb),
        fmt(a.maxRssMb, 0),
      ];
    }),
  );
  const keepAlive = markdownTable(
    [
      'N',
      'client',
      'setup p50 / p99 ms',
      'KeepAlives sent / received',
      'KeepAlive lateness p50 / p99 ms',
      'NET-0001 closes',
      'other closes (not 1000, or none)',
      'bytes lost',
      'emulator CPU % of a core',
    ],
    clientRows.map((a) => [
      String(a.sessions),
      CLIENT_NAMES[a.kind],
      `${fmt(a.setupP50, 1)} / ${fmt(a.setupP99, 1)}`,
      `${fmt(a.keepAlivesSent, 0)} / ${fmt(a.keepAlivesReceived, 0)}`,
      `${fmt(a.lateP50, 1)} / ${fmt(a.lateP99, 1)}`,
      String(a.net0001),
      String(a.otherCloses),
      String(a.lostBytes),
      fmt(a.emulatorCpuPercent, 0),
    ]),
  );
  const sessionsList = [...new Set(aggregates.map((a) => a.sessions))];
  // Noise on this machine comes in bursts that slow every process for a while: a round (one run
  // of each client, back to back) shares it, so the ratio within each round is steadier than the
  // ratio of medians taken over different rounds.
  const perRound = (a: Aggregate | undefined, b: Aggregate | undefined): string => {
    if (a === undefined || b === undefined) return '–';
    const ratios = a.runs.flatMap((ra) => {
      const rb = b.runs.find((r) => r.run === ra.run);
      return rb === undefined ? [] : [ra.cpuMsPerAudioS / rb.cpuMsPerAudioS];
    });
    if (ratios.length === 0) return '–';
    return `${fmt(median(ratios), 2)} (${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)})`;
  };
  // deepgram-rx against each alternative twice: as each one's install brings it (deepgram-rx with its
  // optional `bufferutil`, the others without), and like for like (the others with `bufferutil` too).
  const goals = markdownTable(
    [
      'N',
      'CPU rx ÷ raw (goal ≤ 1.2)',
      'per round: median (min–max)',
      'CPU rx ÷ raw + bufferutil',
      'per round',
      'CPU rx ÷ SDK (goal < 1)',
      'per round',
      'CPU rx ÷ SDK + bufferutil',
      'per round',
      'heap rx ÷ raw (goal ≤ 1.5)',
      'NET-0001 (goal 0)',
    ],
    sessionsList.map((n) => {
      const rx = find('rx', n);
      const raw = find('raw', n);
      const rawBu = find('raw-bu', n);
      const sdk = find('sdk', n);
      const sdkBu = find('sdk-bu', n);
      const check = (value: number, ok: boolean): string =>
        Number.isFinite(value) ? `${fmt(value, 2)} ${ok ? '✓' : '✗'}` : '–';
      const ratio = (a: Aggregate | undefined, b: Aggregate | undefined): number =>
        a && b ? a.cpu / b.cpu : NaN;
      const plain = (value: number): string => (Number.isFinite(value) ? fmt(value, 2) : '–');
      const heap = rx && raw ? rx.heapKb / raw.heapKb : NaN;
      const net = clientRows.filter((a) => a.sessions === n).reduce((k, a) => k + a.net0001, 0);
      return [
        String(n),
        check(ratio(rx, raw), ratio(rx, raw) <= 1.2),
        perRound(rx, raw),
        plain(ratio(rx, rawBu)),
        perRound(rx, rawBu),
        check(ratio(rx, sdk), ratio(rx, sdk) < 1),
        perRound(rx, sdk),
        plain(ratio(rx, sdkBu)),
        perRound(rx, sdkBu),
        check(heap, heap <= 1.5),
        `${net} ${net === 0 ? '✓' : '✗'}`,
      ];
    }),
  );
  return { 'scale-cpu': cpu, 'scale-memory': memory, 'scale-keepalive': keepAlive, 'scale-goals': goals };
}

async function main(): Promise<void> {
  const plan = makePlan(SESSIONS[0]!, QUICK);
  console.log(
    `scale: N = ${SESSIONS.join(', ')}; clients ${CLIENTS.join(', ')}${WITH_FLOOR ? ' + harness floor' : ''}; ` +
      `${RUNS} run(s) each; ${(plan.chunks * plan.chunkMs) / 1000} s of audio per session`,
  );
  const results: RunResult[] = [];
  const discarded: Discarded[] = [];
  const measure = async (kind: ClientKind, sessions: number, run: number): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      const r = await runOnce(kind, sessions, run);
      const delay = r.client.eventLoopDelayP99Ms;
      if (delay <= OVERLOAD_LOOP_DELAY_MS || attempt >= MAX_RETRIES) {
        console.log(summary(r));
        results.push(r);
        return;
      }
      const reason =
        `harness overloaded: event-loop delay p99 ${fmt(delay, 0)} ms > ${OVERLOAD_LOOP_DELAY_MS} ms ` +
        `(load average ${fmt(r.loadBefore, 2)} → ${fmt(r.loadAfter, 2)})`;
      console.log(`${summary(r)}\n  set aside, ${reason}; retrying in ${RETRY_PAUSE_MS / 1000} s`);
      discarded.push({ kind, sessions, run, reason, result: r });
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
    }
  };
  for (const sessions of SESSIONS) {
    if (WITH_FLOOR) await measure('floor', sessions, 0);
    for (let run = 0; run < RUNS; run++) {
      const order = CLIENTS.map((_, i) => CLIENTS[(i + run) % CLIENTS.length]!);
      for (const kind of order) await measure(kind, sessions, run);
    }
  }
  const aggregates: Aggregate[] = [];
  for (const sessions of SESSIONS) {
    for (const kind of [...(WITH_FLOOR ? (['floor'] as const) : []), ...CLIENTS]) {
      const runs = results.filter((r) => r.kind === kind && r.sessions === sessions);
      if (runs.length > 0) aggregates.push(aggregate(runs));
    }
  }
  const seconds = (chunks: number): number => (chunks * plan.chunkMs) / 1000;
  const warmUp =
    plan.warmUpTo > plan.warmUpFrom
      ? `a ${seconds(plan.warmUpTo - plan.warmUpFrom)} s warm-up pause from ${seconds(plan.warmUpFrom)} s (so that ` +
        `every client has sent KeepAlive text frames and handled messages before the window) and `
      : '';
  const note =
    `Each session: ${seconds(plan.chunks)} s of 16 kHz linear16 mono in ${plan.chunkMs} ms chunks (${plan.chunkBytes} B), ` +
    `real time, with ${warmUp}a ${seconds(plan.pauseTo - plan.pauseFrom)} s pause from ${seconds(plan.pauseFrom)} s ` +
    `(the emulator's inactivity window is ${EMULATOR_IDLE_TIMEOUT_MS / 1000} s, so only KeepAlive holds it); starts spread over ` +
    `${plan.staggerMs / 1000} s. Steady window ${plan.windowFromMs / 1000}–${plan.windowToMs / 1000} s after the first ` +
    `start (no connect, no close). Client run with ${CLIENT_FLAGS.join(' ')}; median of ${RUNS} run(s) per client, ` +
    `clients alternating; the harness floor is ${WITH_FLOOR ? 'one run per N' : 'not measured'}. ` +
    `1-minute load average at the start of the runs: ${fmt(Math.min(...results.map((r) => r.loadBefore)), 2)}–` +
    `${fmt(Math.max(...results.map((r) => r.loadBefore)), 2)} (the client and the emulator add up to ~1 at N = 2000). ` +
    `Runs whose harness fell behind real time (event-loop delay p99 > ${OVERLOAD_LOOP_DELAY_MS} ms, the machine ` +
    `being shared) were set aside and repeated after ${RETRY_PAUSE_MS / 1000} s, at most ${MAX_RETRIES} times: ` +
    `${discarded.length} set aside` +
    (discarded.length === 0
      ? '.'
      : ` (${discarded.map((d) => `N=${d.sessions} ${d.kind} run ${d.run + 1}`).join(', ')}; kept in bench/results/scale.json).`);
  const t = { ...tables(aggregates), 'scale-setup': note };
  publish('scale', flags, {
    config: {
      sessions: SESSIONS,
      runs: RUNS,
      clients: CLIENTS,
      floor: WITH_FLOOR,
      plan,
      clientFlags: CLIENT_FLAGS,
    },
    tables: t,
    rows: {
      aggregates: aggregates.map(({ runs, ...rest }) => ({ ...rest, runs: runs.length })),
      runs: results,
      discarded,
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
