/**
 * Every hand-written operator stops a synchronous source as soon as its consumer unsubscribes or
 * the stream ends, in the middle of the source's emission (as rxjs's own operators do), rather
 * than letting it run to its end, or forever.
 */
import { first, from, Observable, Subscription, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { gateSilence } from '../../src/operators/gateSilence';
import { withKeepAlive } from '../../src/operators/withKeepAlive';
import type { Frame } from '../../src/protocol/frames';
import { subscribeLinked } from '../../src/protocol/subscribeLinked';
import { transcribe } from '../../src/session/transcribe';
import { liveSocket } from '../../src/socket/liveSocket';
import { fakeDeepgram } from '../../src/testing/fakeDeepgram';

/** 1000 loud 10 ms chunks (linear16, 16 kHz), and how many of them were pulled. */
function loudChunks(): { source: Observable<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const chunks = Array.from({ length: 1000 }, () => new Uint8Array(320).fill(0x40));
  return { source: from(chunks).pipe(tap(() => pulled++)), pulled: () => pulled };
}

it('subscribeLinked unsubscribes the source when its owner closes during a synchronous emission', () => {
  const { source, pulled } = loudChunks();
  const seen: Uint8Array[] = [];
  new Observable<never>((owner) => {
    subscribeLinked(source, owner, {
      next: (chunk) => (seen.push(chunk), seen.length === 3 && owner.complete()),
    });
  }).subscribe();
  expect([pulled(), seen.length]).toEqual([3, 3]);
});

it('withKeepAlive stops a synchronous source when its consumer takes the first chunk', () => {
  const { source, pulled } = loudChunks();
  source.pipe(withKeepAlive(), first()).subscribe();
  expect(pulled()).toBe(1);
});

it('gateSilence stops a synchronous source when its consumer takes the first chunk', () => {
  const { source, pulled } = loudChunks();
  source.pipe(gateSilence({ encoding: 'linear16', sample_rate: 16000 }), first()).subscribe();
  expect(pulled()).toBe(1);
});

it('transcribe stops a synchronous source once the session has errored (its buffer overflowed)', () => {
  const { source, pulled } = loudChunks();
  const server = fakeDeepgram({ openDelayMs: false });
  let error: unknown;
  source
    .pipe(transcribe({ apiKey: 'test-key', webSocket: server.factory, maxBufferBytes: 320 * 5 }))
    .subscribe({ error: (e: unknown) => (error = e) });
  expect([pulled(), (error as Error).name]).toEqual([6, 'AudioBufferOverflowError']);
});

it('liveSocket stops a synchronous frames source when its consumer unsubscribes during it', () => {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(({ flush }) => {
    const server = fakeDeepgram({ scheduler });
    let pulled = 0;
    const subscription = new Subscription();
    const frames = from(Array.from({ length: 1000 }, (): Frame => new Uint8Array(4))).pipe(
      tap(() => {
        if (++pulled === 2) subscription.unsubscribe();
      }),
    );
    subscription.add(
      liveSocket({ url: 'wss://fake.test/v1/listen', webSocket: server.factory, frames }).subscribe(),
    );
    flush();
    expect([pulled, server.last?.sent.length]).toEqual([2, 1]);
  });
});
