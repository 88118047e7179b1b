/**
 * The emulator in its own process for the scale bench: started by bench/scale.bench.ts with
 * `fork()`, it reports `{ type: 'ready', url }`, then answers `stats` (a summary of every session:
 * close codes, NET-0001 closes, bytes, KeepAlive lateness against the client's schedule) and
 * `close` over the IPC channel. SHA-256 of the audio is off ('incomplete') to save server CPU.
 */
import { NET0001_REASON, startEmulator, type EmulatorSession } from '../../src/server';
import { quantile } from '../lib/stats';
import { EMULATOR_IDLE_TIMEOUT_MS, type EmulatorReport, type EmulatorRequest } from './plan';

function lateness(sessions: EmulatorSession[], schedule: 'idle' | 'fixed', intervalMs: number): number[] {
  const out: number[] = [];
  for (const s of sessions) {
    if (schedule === 'idle') {
      // Each KeepAlive is due intervalMs after the previous client frame (audio or KeepAlive).
      for (const gap of s.keepAliveGaps) out.push(gap - intervalMs);
    } else {
      // A fixed timer: each KeepAlive is due intervalMs after the previous one.
      for (let i = 1; i < s.keepAliveTimes.length; i++) {
        out.push(s.keepAliveTimes[i]! - s.keepAliveTimes[i - 1]! - intervalMs);
      }
    }
  }
  return out;
}

async function main(): Promise<void> {
  const send = (message: unknown): void => {
    process.send?.(message);
  };
  const emulator = await startEmulator({ sha256: 'incomplete', idleTimeoutMs: EMULATOR_IDLE_TIMEOUT_MS });
  const cpuAtStart = process.cpuUsage();
  process.on('message', (request: EmulatorRequest) => {
    if (request.type === 'close') {
      void emulator.close().then(() => process.exit(0));
      return;
    }
    const sessions = emulator.sessions();
    const closeCodes: Record<string, number> = {};
    let net0001 = 0;
    for (const s of sessions) {
      const code = s.closeCode === undefined ? s.state : String(s.closeCode);
      closeCodes[code] = (closeCodes[code] ?? 0) + 1;
      if (s.closeCode === 1011 && s.closeReason === NET0001_REASON) net0001++;
    }
    const late = lateness(sessions, request.schedule, request.intervalMs);
    const cpu = process.cpuUsage(cpuAtStart);
    const report: EmulatorReport = {
      sessions: sessions.length,
      closeCodes,
      net0001,
      audioBytes: sessions.reduce((n, s) => n + s.audioBytes, 0),
      keepAlives: sessions.reduce((n, s) => n + s.keepAlives, 0),
      binaryControlFrames: sessions.reduce((n, s) => n + s.binaryControlFrames, 0),
      schemaErrors: sessions.reduce((n, s) => n + s.schemaErrors, 0),
      messagesSent: sessions.reduce((n, s) => n + s.messagesSent, 0),
      lateness: {
        count: late.length,
        p50: quantile(late, 0.5),
        p99: quantile(late, 0.99),
        max: late.length === 0 ? NaN : Math.max(...late),
      },
      sampleKeepAliveTimes: sessions.slice(0, 5).map((s) => s.keepAliveTimes),
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
    send({ type: 'stats', report });
  });
  send({ type: 'ready', url: emulator.url });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
