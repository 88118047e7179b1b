/**
 * transcribe() in virtual time against the fake Deepgram: what goes out, in which order, and how a
 * session ends.
 */
import { NEVER } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { CLOSE_STREAM, KEEP_ALIVE } from '../../src/protocol/frames';
import { transcribe } from '../../src/session/transcribe';
import { fakeDeepgram } from '../../src/testing/fakeDeepgram';
import { fakeResults } from '../../src/testing/fakeMessages';
import { chunk, OPEN, OPTIONS, RID, testScheduler, URL, transcribeOnFake } from './transcribeSupport';

let scheduler: TestScheduler;
let server = fakeDeepgram();

beforeEach(() => {
  scheduler = testScheduler();
});

const A = chunk(10, 1);
const B = chunk(10, 2);
const C = chunk(10, 3);
const D = chunk(10, 4);

it('sends audio that arrived before the socket opened, in order, when it opens, and later audio at once', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, openDelayMs: 10 });
    const audio = cold('a-b-c 20ms d', { a: A, b: B, c: C, d: D });
    const events = audio.pipe(transcribeOnFake(server, scheduler, { keepAlive: false }));
    expectObservable(events).toBe('10ms o', { o: OPEN });
  });
  expect(server.connections[0]?.sent).toEqual([
    { time: 10, type: 'binary', data: A },
    { time: 10, type: 'binary', data: B },
    { time: 10, type: 'binary', data: C },
    { time: 25, type: 'binary', data: D },
  ]);
});

it('connects to the listen URL built from the options', () => {
  scheduler.run(({ expectObservable }) => {
    server = fakeDeepgram({ scheduler });
    const events = NEVER.pipe(
      transcribe({
        url: URL,
        options: { ...OPTIONS, interim_results: true },
        webSocket: server.factory,
        scheduler,
        keepAlive: false,
      }),
    );
    expectObservable(events).toBe('o', { o: OPEN });
  });
  expect(server.connections[0]?.url).toBe(`${URL}?encoding=linear16&sample_rate=16000&interim_results=true`);
});

it('sends KeepAlive during a pause in the audio, never while audio flows, and emits a KeepAlive event for each', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler });
    const audio = cold('a 49ms a 49ms a 349ms a 9ms |', { a: A });
    const events = audio.pipe(
      transcribeOnFake(server, scheduler, {
        keepAlive: { idleMs: 100 },
      }),
    );
    expectObservable(events).toBe('o 199ms k 99ms l 99ms m 59ms (xu|)', {
      o: OPEN,
      k: { type: 'KeepAlive', at: 200 },
      l: { type: 'KeepAlive', at: 300 },
      m: { type: 'KeepAlive', at: 400 },
      x: expect.objectContaining({ type: 'Metadata', duration: 0.04 }),
      u: expect.objectContaining({ type: 'Usage', keepAlives: 3, idleSeconds: 0.35 }),
    });
  });
  const sent = server.connections[0]!.sent.map((frame) => [
    frame.time,
    frame.type === 'text' ? frame.data : 'audio',
  ]);
  expect(sent).toEqual([
    [0, 'audio'],
    [50, 'audio'],
    [100, 'audio'],
    [200, KEEP_ALIVE],
    [300, KEEP_ALIVE],
    [400, KEEP_ALIVE],
    [450, 'audio'],
    [460, CLOSE_STREAM],
  ]);
});

it('does not send the KeepAlives that fall before the socket opened', () => {
  scheduler.run(({ expectObservable }) => {
    server = fakeDeepgram({ scheduler, openDelayMs: 250 });
    const events = NEVER.pipe(
      transcribeOnFake(server, scheduler, {
        keepAlive: { idleMs: 100 },
      }),
    );
    expectObservable(events, '^ 399ms !').toBe('250ms o 49ms k', {
      o: OPEN,
      k: { type: 'KeepAlive', at: 300 },
    });
  });
  expect(server.connections[0]?.textFrames).toEqual([KEEP_ALIVE]);
});

it('sends a Finalize from finalize$ after the audio queued before it', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, openDelayMs: 10 });
    const audio = cold('a b 20ms c', { a: A, b: B, c: C });
    const finalize$ = cold('--x 20ms y', { x: undefined, y: 1 });
    const events = audio.pipe(
      transcribeOnFake(server, scheduler, {
        finalize$,
        keepAlive: false,
      }),
    );
    expectObservable(events).toBe('10ms o', { o: OPEN });
  });
  const sent = server.connections[0]!.sent.map((frame) => [frame.time, frame.data]);
  expect(sent).toEqual([
    [10, A],
    [10, B],
    [10, '{"type":"Finalize"}'],
    [22, C],
    [23, '{"type":"Finalize","channel":1}'],
  ]);
});

it('ignores finalize$ once the audio has completed (CloseStream flushes everything)', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, closeStream: 'ignore' });
    const finalize$ = cold('5ms x', { x: undefined });
    const events = cold('a|', { a: A }).pipe(transcribeOnFake(server, scheduler, { finalize$ }));
    expectObservable(events, '^ 20ms !').toBe('o', { o: OPEN });
  });
  expect(server.connections[0]?.textFrames).toEqual([CLOSE_STREAM]);
});

it('errors with a RangeError when finalize$ emits a channel that is not a non-negative integer', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler });
    const finalize$ = cold('5ms x', { x: -1 });
    const events = NEVER.pipe(transcribeOnFake(server, scheduler, { finalize$ }));
    expectObservable(events).toBe('o 4ms #', { o: OPEN }, expect.any(RangeError));
  });
});

it('after the audio completes sends CloseStream, emits the remaining Results, the Metadata, then Usage, then completes', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({
      scheduler,
      closeStreamDelayMs: 30,
      onConnection: (c) => c.emit(fakeResults({ transcript: 'hello world', start: 0, duration: 0.02 }), 20),
    });
    const events = cold('a 9ms b|', { a: A, b: B }).pipe(transcribeOnFake(server, scheduler));
    expectObservable(events).toBe('o 19ms r 20ms (mu|)', {
      o: OPEN,
      r: expect.objectContaining({ type: 'Results', channel: expect.objectContaining({}) }),
      m: expect.objectContaining({ type: 'Metadata', request_id: RID, duration: 0.02 }),
      u: {
        type: 'Usage',
        audioSeconds: 0.02,
        keepAlives: 0,
        idleSeconds: 0,
        connections: 1,
        audioBytes: 640,
        gatedSeconds: 0,
        billedSeconds: 0.02,
        wallSeconds: 0.041,
        final: true,
        closeTimedOut: false,
        mismatchSeconds: 0,
        reconciled: true,
      },
    });
  });
  expect(server.connections[0]?.textFrames).toEqual([CLOSE_STREAM]);
  expect(server.connections[0]?.sent.at(-1)?.time).toBe(11);
});

it('completes with Usage marked closeTimedOut and closes the socket when the server does not close within closeTimeoutMs', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, closeStream: 'ignore' });
    const events = cold('a|', { a: A }).pipe(transcribeOnFake(server, scheduler, { closeTimeoutMs: 500 }));
    expectObservable(events).toBe('o 500ms (u|)', {
      o: OPEN,
      u: expect.objectContaining({ type: 'Usage', closeTimedOut: true, audioBytes: 320 }),
    });
  });
  expect(server.connections[0]?.closed).toEqual({ by: 'client', code: 1000, reason: '', time: 501 });
});

it('counts closeTimeoutMs from when CloseStream goes out, not from when the audio completed', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, closeStream: 'ignore', openDelayMs: 100 });
    const events = cold('a|', { a: A }).pipe(transcribeOnFake(server, scheduler, { closeTimeoutMs: 500 }));
    expectObservable(events).toBe('100ms o 499ms (u|)', {
      o: OPEN,
      u: expect.objectContaining({ type: 'Usage', closeTimedOut: true }),
    });
  });
});

it('ends closeTimeoutMs after the audio completed when CloseStream cannot go out (a send buffer that never drains)', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({
      scheduler,
      closeStream: 'ignore',
      onConnection: (c) => scheduler.schedule(() => (c.bufferedAmount = 5000), 5),
    });
    const events = cold('a 9ms b 9ms |', { a: A, b: B }).pipe(
      transcribeOnFake(server, scheduler, {
        closeTimeoutMs: 100,
        reconnect: false,
        backpressure: { highWaterBytes: 1000, pollMs: 10 },
      }),
    );
    // a goes out at 0; b and CloseStream wait behind the full buffer from 10 on; the audio completes at 20.
    expectObservable(events).toBe('o 119ms (u|)', {
      o: OPEN,
      u: expect.objectContaining({ type: 'Usage', final: true, closeTimedOut: true, audioBytes: 320 }),
    });
  });
  expect(server.connections[0]?.textFrames).toEqual([]);
});

it('ends closeTimeoutMs after the audio completed when the socket never opens', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, openDelayMs: false });
    const events = cold('a 9ms |', { a: A }).pipe(
      transcribeOnFake(server, scheduler, { closeTimeoutMs: 100, reconnect: false }),
    );
    expectObservable(events).toBe('110ms (u|)', {
      u: expect.objectContaining({ type: 'Usage', final: true, closeTimedOut: true, audioBytes: 0 }),
    });
  });
});

it('emits an undecodable server frame as a DecodeFailure event and goes on', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({
      scheduler,
      onConnection: (c) =>
        c.emit('{"type":"Results",', 5).emit(fakeResults({ transcript: 'still here' }), 10),
    });
    const events = cold('a', { a: A }).pipe(transcribeOnFake(server, scheduler, { keepAlive: false }));
    expectObservable(events).toBe('o 4ms f 4ms r', {
      o: OPEN,
      f: {
        type: 'DecodeFailure',
        failure: { raw: '{"type":"Results",', errors: [expect.stringContaining('invalid JSON')] },
      },
      r: expect.objectContaining({ type: 'Results' }),
    });
  });
});

it('emits server messages as events: Results, SpeechStarted, UtteranceEnd, Error and unknown types', () => {
  const speech = { type: 'SpeechStarted', channel: [0, 1], timestamp: 0.25 };
  const end = { type: 'UtteranceEnd', channel: [0, 1], last_word_end: 0.5 };
  const error = { type: 'Error', variant: 'SchemaError', description: 'bad' };
  const other = { type: 'ConfigureSuccess', request_id: RID };
  scheduler.run(({ expectObservable }) => {
    server = fakeDeepgram({
      scheduler,
      onConnection: (c) => c.emit(speech, 1).emit(end, 2).emit(error, 3).emit(other, 4),
    });
    const events = NEVER.pipe(transcribeOnFake(server, scheduler, { keepAlive: false }));
    expectObservable(events).toBe('o a b c d', {
      o: OPEN,
      a: speech,
      b: end,
      c: error,
      d: { type: 'Unknown', raw: other },
    });
  });
});

it('skips empty audio chunks (an empty binary frame would end the stream on Deepgram)', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler });
    const events = cold('a b c', { a: A, b: new Uint8Array(0), c: C }).pipe(
      transcribeOnFake(server, scheduler, { keepAlive: false }),
    );
    expectObservable(events).toBe('o', { o: OPEN });
  });
  expect(server.connections[0]?.sent.map((frame) => frame.data)).toEqual([A, C]);
});

it('keeps the socket alive through a pause of empty chunks: they are not audio', () => {
  scheduler.run(({ cold }) => {
    server = fakeDeepgram({ scheduler });
    const E = new Uint8Array(0);
    const events = cold('a 49ms e 49ms e 49ms e 49ms e 49ms b|', { a: A, b: B, e: E }).pipe(
      transcribeOnFake(server, scheduler, { keepAlive: { idleMs: 100 } }),
    );
    events.subscribe();
  });
  expect(server.connections[0]?.sent).toEqual([
    { time: 0, type: 'binary', data: A },
    { time: 100, type: 'text', data: KEEP_ALIVE },
    { time: 200, type: 'text', data: KEEP_ALIVE },
    { time: 250, type: 'binary', data: B },
    { time: 251, type: 'text', data: CLOSE_STREAM },
  ]);
});

it('errors with a TypeError when an audio chunk is not a Uint8Array', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler });
    const events = cold('a 4ms b', { a: A, b: [1, 2, 3] as unknown as Uint8Array }).pipe(
      transcribeOnFake(server, scheduler),
    );
    expectObservable(events).toBe('o 4ms #', { o: OPEN }, expect.any(TypeError));
  });
});

it('passes an error of the audio on unchanged and closes the socket', () => {
  const failure = new Error('microphone unplugged');
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler });
    const events = cold('a 9ms #', { a: A }, failure).pipe(transcribeOnFake(server, scheduler));
    expectObservable(events).toBe('o 9ms #', { o: OPEN }, failure);
  });
  expect(server.connections[0]?.closed).toMatchObject({ by: 'client', code: 1000, time: 10 });
});

it('emits Open without a request id when the transport cannot see the handshake (browsers)', () => {
  scheduler.run(({ expectObservable }) => {
    server = fakeDeepgram({ scheduler, browserLike: true });
    const events = NEVER.pipe(transcribeOnFake(server, scheduler, { keepAlive: false }));
    expectObservable(events).toBe('o', { o: { type: 'Open', attempt: 1 } });
  });
});
