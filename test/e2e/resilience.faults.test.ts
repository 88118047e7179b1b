/**
 * The resilience fault matrix: transcribe() with `reconnect` against the emulator's fault
 * injection on loopback. For every retried fault: every audio byte reached some connection (the
 * emulator's sessions() count what each connection received), the final words equal the sample's
 * undisturbed transcript, and their timestamps are on the original audio's timeline, strictly
 * monotonic. Faults that must not be retried end the session after one connection.
 */
import { concat, delay, from, mergeMap, of } from 'rxjs';
import { transcribe } from '../../src/session/transcribe';
import type { TranscribeConfig } from '../../src/session/transcribeConfig';
import { nodeWebSocket, type NodeWebSocketOptions } from '../../src/socket/nodeWebSocket';
import { loadScriptRecognizer } from '../../src/server/engine';
import { NET0000_REASON, startEmulator, type Emulator, type EmulatorConfig } from '../../src/server';
import {
  closeEmulators,
  emulator,
  KEY,
  outcome,
  SAMPLE_WORDS,
  type Outcome,
} from '../session/emulatorSupport';
import {
  FAST_RECONNECT,
  finalWords,
  midWordBytes,
  ofKind,
  receivedSpans,
  recordingWebSocket,
  sampleAudio,
  script,
  strictlyMonotonic,
  uncovered,
  type RecordedSocket,
  type SampleAudio,
} from './resilienceSupport';

jest.setTimeout(30000);

afterEach(closeEmulators);

const recognizer = loadScriptRecognizer(SAMPLE_WORDS);
let sample: SampleAudio;

beforeAll(async () => {
  sample = await sampleAudio();
});

interface Run {
  readonly result: Outcome;
  readonly sockets: RecordedSocket[];
}

async function run(
  server: Emulator,
  extra: Partial<TranscribeConfig> = {},
  audio$ = sample.audio$,
  socketOptions: NodeWebSocketOptions = {},
): Promise<Run> {
  const { factory, sockets } = recordingWebSocket(sample.offsets, socketOptions);
  const result = await outcome(
    audio$.pipe(
      transcribe({
        url: server.url,
        apiKey: KEY,
        options: { encoding: 'linear16', sample_rate: 16000, punctuate: true },
        webSocket: factory,
        reconnect: FAST_RECONNECT,
        closeTimeoutMs: 5000,
        ...extra,
      }),
    ),
  );
  return { result, sockets };
}

/** The three invariants of a retried fault. */
function expectResilient(runResult: Run, sessions: Parameters<typeof receivedSpans>[1]): void {
  const { result, sockets } = runResult;
  expect(result.error).toBeUndefined();
  expect(result.completed).toBe(true);
  expect(uncovered(receivedSpans(sockets, sessions), sample.totalBytes)).toEqual([]);
  const words = finalWords(result.events);
  expect(words.map((w) => w.punctuated_word)).toEqual(script.words.map((w) => w.punctuated_word));
  words.forEach((word, i) => {
    expect(word.start).toBeCloseTo(script.words[i]!.start, 2);
    expect(word.end).toBeCloseTo(script.words[i]!.end, 2);
  });
  expect(strictlyMonotonic(words)).toBe(true);
}

async function faultyEmulator(config: EmulatorConfig): Promise<Emulator> {
  return emulator({ recognizer, ...config });
}

it('recovers from a 1011 NET-0000 close in the middle of an utterance', async () => {
  const server = await faultyEmulator({
    faults: ({ index }) =>
      index === 0
        ? {
            kind: 'close',
            code: 1011,
            reason: NET0000_REASON,
            metadata: true,
            afterAudioBytes: midWordBytes(4),
          }
        : undefined,
  });
  const outcome = await run(server);
  expectResilient(outcome, server.sessions());
  expect(ofKind(outcome.result, 'Reconnecting').map((r) => [r.attempt, r.error.code])).toEqual([
    [1, 'NET-0000'],
  ]);
  expect(server.sessions()).toHaveLength(2);
});

it('recovers from a TCP drop without a close frame', async () => {
  const server = await faultyEmulator({
    faults: ({ index }) => (index === 0 ? { kind: 'drop', afterAudioBytes: midWordBytes(10) } : undefined),
  });
  const outcome = await run(server);
  expectResilient(outcome, server.sessions());
  expect(ofKind(outcome.result, 'Reconnecting').map((r) => r.error.closeCode)).toEqual([1006]);
});

it('waits out a server that is unreachable for longer than one backoff step, then resumes', async () => {
  const first = await startEmulator({
    apiKey: KEY,
    recognizer,
    faults: { kind: 'drop', afterAudioBytes: midWordBytes(6) },
  });
  const port = first.port;
  let second: Emulator | undefined;
  const restarted = new Promise<void>((resolve) => {
    first.events.once('close', () => {
      void first
        .close()
        .then(() => new Promise((wait) => setTimeout(wait, 300)))
        .then(() => startEmulator({ apiKey: KEY, recognizer, port }))
        .then((started) => {
          second = started;
          resolve();
        });
    });
  });
  try {
    const outcome = await run(first);
    await restarted;
    const sessions = [...first.sessions(), ...second!.sessions()];
    expectResilient(outcome, sessions);
    const refused = ofKind(outcome.result, 'Reconnecting').filter((r) => r.attempt > 1);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.every((r) => r.error.kind === 'network')).toBe(true);
  } finally {
    await first.close();
    await second?.close();
  }
});

it('honours the Retry-After of a 429 before connecting again', async () => {
  const server = await faultyEmulator({ refuseHandshakes: { status: 429, count: 1, retryAfter: 1 } });
  const outcome = await run(server);
  expectResilient(outcome, server.sessions());
  const [reconnecting] = ofKind(outcome.result, 'Reconnecting');
  expect(reconnecting).toMatchObject({
    attempt: 1,
    delayMs: 1000,
    error: { kind: 'rate-limit', status: 429 },
  });
  const [refusal, accepted] = server.handshakes();
  expect(accepted!.at - refusal!.at).toBeGreaterThanOrEqual(950);
});

it('retries handshakes refused with 503', async () => {
  const server = await faultyEmulator({ refuseHandshakes: { status: 503, count: 2 } });
  const outcome = await run(server);
  expectResilient(outcome, server.sessions());
  expect(ofKind(outcome.result, 'Reconnecting').map((r) => [r.attempt, r.delayMs, r.error.status])).toEqual([
    [1, 50, 503],
    [2, 100, 503],
  ]);
  expect(server.handshakes().map((h) => h.status)).toEqual([503, 503, 101]);
});

it('replaces a half-open connection (the server stops answering) after serverSilenceMs', async () => {
  const server = await faultyEmulator({
    faults: ({ index }) => (index === 0 ? { kind: 'stall', afterAudioBytes: midWordBytes(8) } : undefined),
  });
  const outcome = await run(server, {
    options: { encoding: 'linear16', sample_rate: 16000, punctuate: true, interim_results: true },
    reconnect: { ...FAST_RECONNECT, serverSilenceMs: 500 },
  });
  expectResilient(outcome, server.sessions());
  const [reconnecting] = ofKind(outcome.result, 'Reconnecting');
  expect(reconnecting?.error.message).toMatch(/half-open/);
});

it('replaces a half-open connection whose pings go unanswered (Node heartbeat), without interim results', async () => {
  const server = await faultyEmulator({
    faults: ({ index }) => (index === 0 ? { kind: 'stall', afterAudioBytes: midWordBytes(8) } : undefined),
  });
  const outcome = await run(server, {}, sample.audio$, { heartbeatMs: 150 });
  expectResilient(outcome, server.sessions());
  expect(ofKind(outcome.result, 'Reconnecting').map((r) => r.error.closeCode)).toEqual([1006]);
});

it('rejects a heartbeat interval that is not a positive number', () => {
  expect(() => nodeWebSocket({ heartbeatMs: 0 })).toThrow(RangeError);
});

it('reconnects once after NET-0001 (KeepAlive starved during a pause) and reports it', async () => {
  const server = await faultyEmulator({ idleTimeoutMs: 400 });
  // The audio pauses 2 s after word 2 (the first part is small enough to go out at once). The first KeepAlive (idleMs 900) comes after the server's
  // 400 ms window: NET-0001. The new connection opens 200 ms later and gets its replay; from then on
  // KeepAlives every 200 ms hold it open until the audio resumes.
  const split = sample.chunks.findIndex((chunk) => sample.offsets.get(chunk)! >= midWordBytes(2) + 32000);
  // The audio starts once the connection is open, so the pause is timed from there.
  const opened = server.nextSession();
  const audio$ = concat(
    from(opened).pipe(mergeMap(() => sample.chunks.slice(0, split))),
    of(...sample.chunks.slice(split)).pipe(delay(2000)),
  );
  const outcome = await run(
    server,
    { keepAlive: { idleMs: 900, intervalMs: 200 }, reconnect: { ...FAST_RECONNECT, initialDelayMs: 200 } },
    audio$,
  );
  expectResilient(outcome, server.sessions());
  const reconnects = ofKind(outcome.result, 'Reconnecting');
  expect(reconnects.map((r) => r.error.code)).toEqual(['NET-0001']);
  expect(reconnects[0]?.error.message).toMatch(/KeepAlive was starved/);
});

it('does not retry a 401', async () => {
  const server = await faultyEmulator({});
  const outcome = await run(server, { apiKey: 'dg-wrong-key-0000' });
  expect(outcome.result.error).toMatchObject({ name: 'LiveError', kind: 'auth', status: 401 });
  expect(ofKind(outcome.result, 'Reconnecting')).toEqual([]);
  expect(server.handshakes()).toHaveLength(1);
});

it('does not retry a DATA-0000 close', async () => {
  const server = await faultyEmulator({});
  // PCM declared as Opus: the emulator cannot decode it (it closes 1008 at the first byte).
  const outcome = await run(server, { options: { encoding: 'opus', sample_rate: 48000 } });
  expect(outcome.result.error).toMatchObject({ name: 'LiveError', kind: 'bad-audio', closeCode: 1008 });
  expect(ofKind(outcome.result, 'Reconnecting')).toEqual([]);
  expect(server.sessions()).toHaveLength(1);
});
