/**
 * The complete example test of docs/testing.md, verbatim except for the imports (the docs import
 * from 'deepgram-rx' and 'deepgram-rx/testing'). test/docs.testing.test.ts checks that the two agree.
 */
import { filter, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { CLOSE_STREAM, KEEP_ALIVE } from '../../src/protocol/frames';
import { ofType } from '../../src/session/ofType';
import { transcribe, type TranscribeConfig } from '../../src/session/transcribe';
import { fakeDeepgram, type FakeDeepgram } from '../../src/testing/fakeDeepgram';
import { fakeResults } from '../../src/testing/fakeMessages';

// The code under test: the final transcripts of a live session, one string per final result.
function finalTranscripts(audio$: Observable<Uint8Array>, config: TranscribeConfig): Observable<string> {
  return audio$.pipe(
    transcribe(config),
    ofType('Results'),
    filter((results) => results.is_final === true),
    map((results) => results.channel.alternatives[0]?.transcript ?? ''),
    filter((text) => text !== ''),
  );
}

const options = { model: 'nova-3', encoding: 'linear16', sample_rate: 16000 } as const;
const chunk = new Uint8Array(3200); // 100 ms of linear16 16 kHz mono

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

it('emits the final transcripts and completes after CloseStream', () => {
  let server: FakeDeepgram | undefined;
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({
      scheduler,
      openDelayMs: 20, // the handshake takes 20 ms
      closeStreamDelayMs: 50, // Metadata and the 1000 close 50 ms after CloseStream
      onConnection: (connection) =>
        connection
          .emit(fakeResults({ transcript: 'hello', is_final: false }), 150)
          .emit(fakeResults({ transcript: 'hello world', start: 0, duration: 1 }), 250),
    });
    const audio$ = cold('a 99ms a 99ms a 3999ms a|', { a: chunk });
    const transcripts$ = finalTranscripts(audio$, {
      url: 'wss://fake.test/v1/listen',
      options,
      webSocket: server.factory, // the fake transport
      scheduler, // the same scheduler everywhere: virtual time
      keepAlive: { idleMs: 3000 },
    });
    expectObservable(transcripts$).toBe('250ms w 4000ms |', { w: 'hello world' });
  });
  const connection = server!.connections[0]!;
  expect(connection.audioBytes).toBe(4 * 3200);
  expect(connection.textFrames).toEqual([KEEP_ALIVE, CLOSE_STREAM]); // KeepAlive at 3200 ms, in the pause
  expect(connection.closed).toMatchObject({ by: 'server', code: 1000 });
});

it('errors with an auth LiveError when the key is refused', () => {
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({ scheduler, onConnection: (c) => c.failHandshake(401, { delayMs: 30 }) });
    const transcripts$ = finalTranscripts(cold('a', { a: chunk }), {
      options,
      apiKey: 'a-wrong-key',
      webSocket: server.factory,
      scheduler,
    });
    expectObservable(transcripts$).toBe(
      '30ms #',
      undefined,
      expect.objectContaining({ name: 'LiveError', kind: 'auth', status: 401 }),
    );
  });
});
