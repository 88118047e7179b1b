/**
 * Server timestamps on the original audio's timeline: unchanged for a plain session, moved past the
 * dropped silence when transcribe() gates it.
 */
import type { TestScheduler } from 'rxjs/testing';
import { from } from 'rxjs';
import { gateSilence, type GatedSpan } from '../../src/operators/gateSilence';
import { fakeDeepgram } from '../../src/testing/fakeDeepgram';
import { fakeResults } from '../../src/testing/fakeMessages';
import { chunk, loud, OPEN, testScheduler, transcribeOnFake } from './transcribeSupport';

let scheduler: TestScheduler;

beforeEach(() => {
  scheduler = testScheduler();
});

/** 100 ms chunks: speech 0–0.5 s, silence 0.5–3.0 s, speech 3.0–3.5 s. */
function speechPauseSpeech(): { marble: string; values: Record<string, Uint8Array> } {
  const marble = Array.from({ length: 35 }, (_, i) => (i < 5 || i >= 30 ? 'l' : 's')).join(' 99ms ');
  return { marble, values: { l: loud(100), s: chunk(100, 0) } };
}

function word(text: string, start: number, end: number): unknown {
  return expect.objectContaining({ word: text, start, end }) as unknown;
}

it('emits the server’s timestamps unchanged when every byte of the audio was sent', () => {
  const results = fakeResults({ transcript: 'hello world', start: 0.5, duration: 0.5 });
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({ scheduler, onConnection: (c) => c.emit(results, 4000) });
    const { marble, values } = speechPauseSpeech();
    const events = cold(marble, values).pipe(transcribeOnFake(server, scheduler, { keepAlive: false }));
    expectObservable(events, '^ 4100ms !').toBe('o 3999ms r', { o: OPEN, r: results });
  });
});

it('moves timestamps after a gated silence back onto the original audio', () => {
  const spans: GatedSpan[] = [];
  const results = fakeResults({ transcript: 'hello world', start: 0.5, duration: 0.5 });
  const speech = { type: 'SpeechStarted', channel: [0, 1], timestamp: 0.5 };
  const end = { type: 'UtteranceEnd', channel: [0, 1], last_word_end: 0.5 };
  let server = fakeDeepgram();
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({
      scheduler,
      onConnection: (c) => c.emit(end, 3990).emit(speech, 3995).emit(results, 4000),
    });
    const { marble, values } = speechPauseSpeech();
    const events = cold(marble, values).pipe(
      transcribeOnFake(server, scheduler, {
        keepAlive: false,
        gate: { prerollMs: 0, hangoverMs: 0, onGate: (span) => spans.push(span) },
      }),
    );
    expectObservable(events, '^ 4100ms !').toBe('o 3989ms u 4ms s 4ms r', {
      o: OPEN,
      u: { ...end, last_word_end: 0.5 },
      s: { ...speech, timestamp: 3 },
      r: expect.objectContaining({
        start: 3,
        duration: 0.5,
        channel: {
          alternatives: [
            expect.objectContaining({ words: [word('hello', 3, 3.25), word('world', 3.25, 3.5)] }),
          ],
        },
      }),
    });
  });
  expect(spans).toEqual([{ from: 0.5, to: 3, sentBefore: 0.5, totalGatedSeconds: 2.5 }]);
  expect(server.connections[0]?.audioBytes).toBe(32000);
});

it('does not emit a final result again when it repeats words that were already final', () => {
  const first = fakeResults({ transcript: 'hello world', start: 0, duration: 1 });
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({ scheduler, onConnection: (c) => c.emit(first, 10).emit(first, 20) });
    const events = cold('a', { a: chunk(1000) }).pipe(
      transcribeOnFake(server, scheduler, { keepAlive: false }),
    );
    expectObservable(events, '^ 30ms !').toBe('o 9ms r', { o: OPEN, r: first });
  });
});

it('reports a Results whose word end overflows a double as a DecodeFailure, and still drops repeats after it', () => {
  const first = fakeResults({ transcript: 'hello world', start: 0, duration: 1 });
  const overflow = JSON.stringify(fakeResults({ transcript: 'again', start: 1, duration: 1 })).replace(
    '"end":2,',
    '"end":1e999,',
  );
  expect(overflow).toContain('"end":1e999,');
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({
      scheduler,
      onConnection: (c) => c.emit(first, 10).emit(overflow, 15).emit(first, 20),
    });
    const events = cold('a', { a: chunk(2000) }).pipe(
      transcribeOnFake(server, scheduler, { keepAlive: false }),
    );
    expectObservable(events, '^ 30ms !').toBe('o 9ms r 4ms f', {
      o: OPEN,
      r: first,
      f: {
        type: 'DecodeFailure',
        failure: {
          raw: overflow,
          errors: ['channel.alternatives.0.words.0.end: expected a finite number, found number Infinity'],
        },
      },
    });
  });
});

it('keeps the socket open with KeepAlive while the gate holds back silence, and counts that pause as idle', () => {
  let server = fakeDeepgram();
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, closeStreamDelayMs: 10 });
    const { marble, values } = speechPauseSpeech();
    const events = cold(`${marble}|`, values).pipe(
      transcribeOnFake(server, scheduler, {
        keepAlive: { idleMs: 1000 },
        gate: { prerollMs: 0, hangoverMs: 0 },
      }),
    );
    expectObservable(events).toBe('o 1399ms k 999ms l 1010ms (mu|)', {
      o: OPEN,
      k: { type: 'KeepAlive', at: 1400 },
      l: { type: 'KeepAlive', at: 2400 },
      m: expect.objectContaining({ type: 'Metadata', duration: 1 }),
      u: expect.objectContaining({ type: 'Usage', audioSeconds: 1, keepAlives: 2, idleSeconds: 2.6 }),
    });
  });
  expect(server.connections[0]?.audioBytes).toBe(32000);
});

it.each([400, 450, 500, 550, 600, 650])(
  'maps timestamps after a gated silence onto the original audio when chunks split samples (speech for %i ms)',
  (speechMs) => {
    // Speech, silence until 3.0 s, speech 3.0–3.5 s, in 1001-byte chunks (half a sample left over
    // at every other chunk's end), gated with the default preroll and hangover.
    const audio = new Uint8Array(112000);
    audio.set(loud(speechMs), 0);
    audio.set(loud(500), 96000);
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < audio.length; at += 1001) chunks.push(audio.subarray(at, at + 1001));
    // Where the gate puts the pause: the audio after it starts at `sentBefore` on the wire.
    const spans: GatedSpan[] = [];
    from(chunks)
      .pipe(gateSilence({ encoding: 'linear16', sample_rate: 16000, onGate: (span) => spans.push(span) }))
      .subscribe();
    expect(spans).toHaveLength(1);
    const [{ sentBefore, to }] = spans as [GatedSpan];
    const values = Object.fromEntries(chunks.map((c, i) => [String.fromCharCode(0x100 + i), c]));
    const marble = Object.keys(values).join(' 30ms ');
    const results = fakeResults({ transcript: 'hello', start: sentBefore, duration: 0.25 });
    scheduler.run(({ cold, expectObservable }) => {
      const server = fakeDeepgram({ scheduler, onConnection: (c) => c.emit(results, 4000) });
      const events = cold(marble, values).pipe(
        transcribeOnFake(server, scheduler, { keepAlive: false, gate: true }),
      );
      expectObservable(events, '^ 4100ms !').toBe('o 3999ms r', {
        o: OPEN,
        // Within half a sample (31 µs) of where that audio lies in the original.
        r: expect.objectContaining({ start: expect.closeTo(to, 4) as number }),
      });
    });
  },
);
