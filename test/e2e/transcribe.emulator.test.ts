/**
 * transcribe() end to end against the emulator on loopback: real `ws` sockets (nodeWebSocket), real
 * time, the sample and its script.
 */
import { createHash } from 'node:crypto';
import { concat, from, map, mergeMap, of, tap, timer } from 'rxjs';
import type { Metadata, Results, Word } from '../../src/protocol/messages';
import { readWav } from '../../src/audio/readWav';
import { loadScript, scriptRecognizer } from '../../src/server/engine';
import type { LiveEvent, UsageEvent } from '../../src/session/liveEvent';
import { transcribe } from '../../src/session/transcribe';
import { nodeWebSocket } from '../../src/socket/nodeWebSocket';
import {
  closeEmulators,
  emulator,
  KEY,
  outcome,
  PCM,
  SAMPLE_WAV,
  SAMPLE_WORDS,
  sampleChunks,
  silence,
  types,
} from '../session/emulatorSupport';

afterEach(closeEmulators);

const script = loadScript(SAMPLE_WORDS);
const recognizer = scriptRecognizer(script.words);

function finals(events: readonly LiveEvent[]): Results[] {
  return events.filter((event): event is Results => event.type === 'Results' && event.is_final === true);
}

function usageOf(events: readonly LiveEvent[]): UsageEvent {
  const usage = events.at(-1);
  if (usage?.type !== 'Usage') throw new Error(`the last event is ${usage?.type}, not Usage`);
  return usage;
}

it('transcribes the sample end to end: the script’s words in order, with the script’s timestamps', async () => {
  const server = await emulator({ recognizer });
  const { format, audio$ } = readWav(SAMPLE_WAV, { pace: 'fast' });
  const result = await outcome(
    audio$.pipe(
      transcribe({
        url: server.url,
        apiKey: KEY,
        options: { ...format, punctuate: true },
        webSocket: nodeWebSocket(),
      }),
    ),
  );
  expect(result.completed).toBe(true);
  const words: Word[] = finals(result.events).flatMap((r) => r.channel.alternatives[0]?.words ?? []);
  expect(words.map((w) => w.punctuated_word)).toEqual(script.words.map((w) => w.punctuated_word));
  words.forEach((word, i) => {
    const expected = script.words[i]!;
    expect(word.start).toBeCloseTo(expected.start, 3);
    expect(word.end).toBeCloseTo(expected.end, 3);
  });
  expect(types(result.events).slice(-2)).toEqual(['Metadata', 'Usage']);
});

it('stays connected through a pause 5× the server’s inactivity window, KeepAlive every idleMs', async () => {
  const server = await emulator({ idleTimeoutMs: 500 });
  const audio$ = concat(of(silence(100)), timer(2500).pipe(map(() => silence(100))));
  const result = await outcome(
    audio$.pipe(
      transcribe({
        url: server.url,
        apiKey: KEY,
        options: PCM,
        webSocket: nodeWebSocket(),
        keepAlive: { idleMs: 200 },
      }),
    ),
  );
  expect(result.error).toBeUndefined();
  const session = await server.waitForClose();
  expect(session.closeCode).toBe(1000);
  expect(session.closedBy).toBe('server');
  expect(session.keepAlives).toBeGreaterThanOrEqual(10);
  expect(session.keepAliveGaps.every((gap) => gap < 500)).toBe(true);
  const usage = usageOf(result.events);
  expect(usage.keepAlives).toBe(session.keepAlives);
  expect(types(result.events).filter((type) => type === 'KeepAlive')).toHaveLength(session.keepAlives);
  expect(usage.idleSeconds).toBeGreaterThan(2.4);
  expect(usage.idleSeconds).toBeLessThan(3.5);
  expect(usage.audioSeconds).toBeCloseTo(0.2, 6);
});

it('sends the audio that arrived before the socket opened, complete and in order', async () => {
  const server = await emulator({ recognizer });
  const { format, audio$ } = readWav(SAMPLE_WAV, { pace: 'fast' });
  const hash = createHash('sha256');
  let produced = 0;
  let chunksBeforeOpen = -1;
  let chunks = 0;
  const slowKey = () => new Promise<string>((resolve) => setTimeout(() => resolve(KEY), 150));
  const result = await outcome(
    audio$.pipe(
      tap((chunk) => {
        hash.update(chunk);
        produced += chunk.byteLength;
        chunks++;
      }),
      transcribe({ url: server.url, apiKey: slowKey, options: format, webSocket: nodeWebSocket() }),
      tap((event) => {
        if (event.type === 'Open') chunksBeforeOpen = chunks;
      }),
    ),
  );
  expect(result.completed).toBe(true);
  expect(chunksBeforeOpen).toBe(chunks);
  const session = await server.waitForClose();
  expect(session.audioBytes).toBe(produced);
  const metadata = result.events.find((event): event is Metadata => event.type === 'Metadata');
  expect(metadata?.sha256).toBe(hash.digest('hex'));
  expect(usageOf(result.events).audioBytes).toBe(produced);
});

it('sends a Finalize after the audio queued before it: the flushed result ends where that audio ends', async () => {
  const server = await emulator({ recognizer });
  const chunks = await sampleChunks();
  // 4 s of audio queued at once (before the socket opens), then Finalize, then 2 s more later.
  const audio$ = concat(
    from(chunks.slice(0, 40)),
    timer(300).pipe(mergeMap(() => from(chunks.slice(40, 60)))),
  );
  const result = await outcome(
    audio$.pipe(
      transcribe({
        url: server.url,
        apiKey: KEY,
        options: PCM,
        webSocket: nodeWebSocket(),
        finalize$: of(undefined),
      }),
    ),
  );
  expect(result.completed).toBe(true);
  const session = await server.waitForClose();
  expect(session.finalizes).toBe(1);
  const flushed = finals(result.events).filter((r) => r.from_finalize === true);
  expect(flushed).toHaveLength(1);
  expect(flushed[0]!.start + flushed[0]!.duration).toBeCloseTo(4, 6);
  expect(usageOf(result.events).audioSeconds).toBeCloseTo(6, 6);
});

it('ends after CloseStream with the last results, then Metadata, then Usage, then completes', async () => {
  const server = await emulator({ recognizer });
  const chunks = await sampleChunks();
  const result = await outcome(
    from(chunks.slice(0, 36)).pipe(
      transcribe({
        url: server.url,
        apiKey: KEY,
        options: { ...PCM, punctuate: true },
        webSocket: nodeWebSocket(),
      }),
    ),
  );
  expect(result.completed).toBe(true);
  expect(types(result.events).slice(-3)).toEqual(['Results', 'Metadata', 'Usage']);
  const metadata = result.events.at(-2) as Metadata;
  const usage = usageOf(result.events);
  expect(metadata.duration).toBeCloseTo(3.6, 6);
  expect(usage).toMatchObject({
    connections: 1,
    keepAlives: 0,
    audioBytes: 3.6 * 32000,
    closeTimedOut: false,
  });
  expect(usage.audioSeconds).toBeCloseTo(3.6, 6);
  expect(usage.billedSeconds).toBeCloseTo(3.6, 6);
  const text = finals(result.events)
    .map((r) => r.channel.alternatives[0]?.transcript ?? '')
    .filter((t) => t !== '')
    .join(' ');
  expect(text).toBe('Hello from Deepgram RX.');
  const session = await server.waitForClose();
  expect(session).toMatchObject({ closeStreams: 1, closeCode: 1000, closedBy: 'server' });
});

it('closes the socket when unsubscribed mid-stream', async () => {
  const server = await emulator({ recognizer });
  const opened = server.nextSession();
  const { format, audio$ } = readWav(SAMPLE_WAV, { chunkMs: 50 });
  const subscription = audio$
    .pipe(transcribe({ url: server.url, apiKey: KEY, options: format, webSocket: nodeWebSocket() }))
    .subscribe();
  const { requestId } = await opened;
  await new Promise((resolve) => setTimeout(resolve, 300));
  subscription.unsubscribe();
  const session = await server.waitForClose({ requestId, timeoutMs: 2000 });
  expect(session).toMatchObject({ closedBy: 'client', closeCode: 1000, closeStreams: 0 });
  expect(session.audioBytes).toBeGreaterThan(0);
});

it('completes with Usage marked closeTimedOut when a stalled server never answers CloseStream', async () => {
  const server = await emulator({ faults: { kind: 'stall', afterAudioBytes: 3200 } });
  const audio$ = concat(of(silence(100)), timer(100).pipe(map(() => silence(100))));
  const result = await outcome(
    audio$.pipe(
      transcribe({
        url: server.url,
        apiKey: KEY,
        options: PCM,
        webSocket: nodeWebSocket(),
        closeTimeoutMs: 300,
      }),
    ),
  );
  expect(result.completed).toBe(true);
  expect(types(result.events)).toEqual(['Open', 'Usage']);
  expect(usageOf(result.events)).toMatchObject({ closeTimedOut: true, audioBytes: 6400 });
  expect(server.sessions()[0]?.faultsFired).toEqual(['stall']);
});
