/**
 * The one test at Deepgram's real 10 s inactivity window: a real 12 s pause in the audio with the
 * default KeepAlive (every 3 s) against the emulator's default idleTimeoutMs (10000). ~13 s.
 * With interim results, so the half-open watch (serverSilenceMs, default 10000) runs through the
 * pause too: a pause is not a dead connection.
 */
import { concat, map, of, timer } from 'rxjs';
import { transcribe } from '../../src/session/transcribe';
import { nodeWebSocket } from '../../src/socket/nodeWebSocket';
import { closeEmulators, emulator, KEY, outcome, PCM, silence } from '../session/emulatorSupport';

afterEach(closeEmulators);

it('stays connected through a real 12 s pause with the default KeepAlive against the real 10 s window', async () => {
  const server = await emulator();
  const audio$ = concat(of(silence(200)), timer(12_000).pipe(map(() => silence(200))));
  const result = await outcome(
    audio$.pipe(
      transcribe({
        url: server.url,
        apiKey: KEY,
        options: { ...PCM, interim_results: true },
        webSocket: nodeWebSocket(),
      }),
    ),
  );
  expect(result.error).toBeUndefined();
  expect(result.completed).toBe(true);
  expect(result.events.filter((event) => event.type === 'Reconnecting')).toEqual([]);
  expect(server.sessions()).toHaveLength(1);
  const session = await server.waitForClose();
  expect(session).toMatchObject({ closeCode: 1000, closedBy: 'server', audioBytes: 12_800 });
  expect(session.keepAlives).toBeGreaterThanOrEqual(3);
  expect(Math.max(...session.keepAliveGaps)).toBeLessThan(10_000);
  const usage = result.events.at(-1);
  expect(usage).toMatchObject({ type: 'Usage', keepAlives: session.keepAlives, closeTimedOut: false });
  expect(usage?.type === 'Usage' ? usage.idleSeconds : 0).toBeGreaterThan(11.9);
}, 20_000);
