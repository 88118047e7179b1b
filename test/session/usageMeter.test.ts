/**
 * The session's meter (pure) and the Usage event transcribe() builds from it.
 */
import { OPEN, RID, testScheduler, URL } from './transcribeSupport';
import { transcribe } from '../../src/session/transcribe';
import { UsageMeter } from '../../src/session/usageMeter';
import { fakeDeepgram } from '../../src/testing/fakeDeepgram';

it('computes audioSeconds from the bytes sent and the format', () => {
  const meter = new UsageMeter(0, 32000);
  meter.connectionOpened();
  meter.audioSent(16000);
  meter.audioSent(8000);
  expect(meter.usage(2000, false)).toEqual({
    type: 'Usage',
    audioSeconds: 0.75,
    keepAlives: 0,
    idleSeconds: 0,
    connections: 1,
    audioBytes: 24000,
    gatedSeconds: 0,
    wallSeconds: 2,
    final: true,
    closeTimedOut: false,
    mismatchSeconds: -0.75,
    reconciled: false,
  });
});

it('counts a pause in full in idleSeconds when it reached a KeepAlive deadline, and not otherwise', () => {
  const meter = new UsageMeter(1000, 32000);
  meter.audioArrived(1000);
  meter.audioArrived(3000); // 2 s pause without KeepAlive: not idle
  meter.pauseKeptAlive(3000);
  meter.keepAliveSent();
  meter.keepAliveSent();
  meter.audioArrived(8000); // 5 s pause with KeepAlives: idle
  meter.pauseKeptAlive(8000);
  meter.keepAliveSent();
  meter.audioCompleted(9500); // 1.5 s trailing pause with a KeepAlive: idle
  const usage = meter.usage(12000, false);
  expect(usage.idleSeconds).toBe(6.5);
  expect(usage.keepAlives).toBe(3);
  expect(usage.wallSeconds).toBe(11);
});

it('dates a pause from the start it is given when arrivals are reported only while inPause', () => {
  // What transcribe() does to avoid a clock read per chunk: chunks at 1000 and 1100 (not reported,
  // inPause is false), the pause's deadline with its start (1100, from the KeepAlive clock), the
  // next chunk reported because inPause is true.
  const meter = new UsageMeter(0, 32000);
  expect(meter.inPause).toBe(false);
  meter.pauseKeptAlive(1100);
  meter.keepAliveSent(1100);
  expect(meter.inPause).toBe(true);
  meter.pauseKeptAlive(1100); // the pause's next deadline
  meter.keepAliveSent(1100);
  meter.audioArrived(8000);
  expect(meter.inPause).toBe(false);
  expect(meter.usage(8000, false).idleSeconds).toBe(6.9);
});

it('ends a pause at the chunk that arrived before its KeepAlive was written', () => {
  const meter = new UsageMeter(0, 32000);
  meter.pauseKeptAlive(1000); // due at 4000, waiting behind backpressure
  meter.audioArrived(4500); // the pause ends here
  expect(meter.usage(4800, false).idleSeconds).toBe(0); // not counted before its KeepAlive is written
  meter.keepAliveSent(1000); // written at 5000
  meter.audioCompleted(6000);
  expect(meter.usage(6000, false)).toMatchObject({ idleSeconds: 3.5, keepAlives: 1 });
});

it('does not count a pause whose KeepAlive was never written', () => {
  const meter = new UsageMeter(0, 32000);
  meter.pauseKeptAlive(0); // due at 3000, never leaves the queue
  expect(meter.usage(4000, false).idleSeconds).toBe(0);
  meter.audioArrived(5000);
  meter.audioCompleted(5000);
  expect(meter.usage(6000, true)).toMatchObject({ idleSeconds: 0, keepAlives: 0 });
});

it('confirms each waiting pause by the start its KeepAlive is tagged with', () => {
  const meter = new UsageMeter(0, 32000);
  meter.pauseKeptAlive(0); // pause A from 0, its KeepAlive waits
  meter.audioArrived(4000); // A ends
  meter.pauseKeptAlive(4000); // pause B from 4000, its KeepAlive waits too
  meter.audioArrived(9000); // B ends
  meter.keepAliveSent(0); // A's KeepAlive is written: A counts (4 s)
  expect(meter.usage(9500, false).idleSeconds).toBe(4);
  meter.keepAliveSent(0); // a second KeepAlive of A: counted as a frame only
  meter.keepAliveSent(4000); // B's: B counts (5 s)
  expect(meter.usage(10000, false)).toMatchObject({ idleSeconds: 9, keepAlives: 3 });
});

it('never dates a pause before the last reported arrival', () => {
  const meter = new UsageMeter(0, 32000);
  meter.audioArrived(2000); // reported although not in a pause: the exact time wins
  meter.pauseKeptAlive(1000); // a start before it (a custom clock, say)
  meter.keepAliveSent(1000);
  meter.audioArrived(5000);
  expect(meter.usage(5000, false).idleSeconds).toBe(3);
});

it('counts the pause before the first chunk from the start of the session', () => {
  const meter = new UsageMeter(500, 32000);
  meter.pauseKeptAlive(500);
  meter.keepAliveSent();
  meter.audioArrived(4500);
  expect(meter.usage(5000, false).idleSeconds).toBe(4);
});

it('counts a pause still running at the end up to the end', () => {
  const meter = new UsageMeter(0, 32000);
  meter.audioArrived(0);
  meter.pauseKeptAlive(0);
  meter.keepAliveSent();
  expect(meter.usage(4200, true)).toMatchObject({ idleSeconds: 4.2, closeTimedOut: true });
});

it('takes audioSeconds from the Metadata when the format does not tell the length, else 0', () => {
  const meter = new UsageMeter(0, undefined);
  meter.audioSent(5000);
  expect(meter.usage(10, false).audioSeconds).toBe(0);
  meter.metadata(2.5);
  expect(meter.usage(10, false)).toMatchObject({ audioSeconds: 2.5, billedSeconds: 2.5, audioBytes: 5000 });
});

it('reports containerized audio’s length from Deepgram’s Metadata in the Usage event', () => {
  const scheduler = testScheduler();
  const metadata = {
    type: 'Metadata',
    transaction_key: 'deprecated',
    request_id: RID,
    sha256: 'incomplete',
    created: '2026-01-01T00:00:00.000Z',
    duration: 2.5,
    channels: 1,
  };
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({
      scheduler,
      closeStream: 'ignore',
      onConnection: (c) => c.emit(metadata, 5).close(1000, '', 6),
    });
    const events = cold('a|', { a: new Uint8Array(320) }).pipe(
      transcribe({ url: URL, webSocket: server.factory, scheduler }),
    );
    expectObservable(events).toBe('o 4ms m (u|)', {
      o: OPEN,
      m: metadata,
      u: expect.objectContaining({ type: 'Usage', audioSeconds: 2.5, billedSeconds: 2.5, audioBytes: 320 }),
    });
  });
});

it('sums the seconds the gate dropped into gatedSeconds', () => {
  const meter = new UsageMeter(0, 32000);
  meter.gated(2.5);
  meter.gated(0.25);
  meter.gated(0);
  expect(meter.usage(0, false).gatedSeconds).toBe(2.75);
  expect(meter.snapshot(0).gatedSeconds).toBe(2.75);
});

it('reconciles when the Metadata durations match the audio sent within one chunk', () => {
  const meter = new UsageMeter(0, 32000);
  meter.connectionOpened();
  for (let i = 0; i < 10; i++) meter.audioSent(3200); // 10 chunks of 100 ms
  meter.metadata(0.9); // the server counted one chunk less
  expect(meter.usage(1000, false)).toMatchObject({
    billedSeconds: 0.9,
    mismatchSeconds: -0.1,
    reconciled: true,
    final: true,
  });
});

it('reports a mismatch of more than one chunk per connection as not reconciled', () => {
  const meter = new UsageMeter(0, 32000);
  meter.connectionOpened();
  for (let i = 0; i < 10; i++) meter.audioSent(3200);
  meter.metadata(0.85);
  expect(meter.usage(1000, false)).toMatchObject({ mismatchSeconds: -0.15, reconciled: false });
});

it('takes several frames at once with their last one as the chunk the reconciliation allows', () => {
  const metered = (lastFrame: number): UsageMeter => {
    const meter = new UsageMeter(0, 32000);
    meter.connectionOpened();
    meter.audioSent(9600, lastFrame); // 300 ms in frames, the last of lastFrame bytes
    meter.metadata(0.1); // the server counted 200 ms less
    return meter;
  };
  expect(metered(6400).usage(1000, false)).toMatchObject({
    audioBytes: 9600,
    mismatchSeconds: -0.2,
    reconciled: true,
  });
  expect(metered(3200).usage(1000, false)).toMatchObject({ mismatchSeconds: -0.2, reconciled: false });
});

it('allows the last frame of each connection, not the longest frame sent (a gate’s preroll)', () => {
  const meter = new UsageMeter(0, 32000);
  meter.connectionOpened();
  meter.audioSent(9600); // a 300 ms preroll in one frame
  for (let i = 0; i < 5; i++) meter.audioSent(640); // then 20 ms chunks
  meter.metadata(0.3); // 100 ms short: five chunks, not one
  expect(meter.usage(1000, false)).toMatchObject({ mismatchSeconds: -0.1, reconciled: false });
});

it('allows one chunk of mismatch for each connection', () => {
  const meter = new UsageMeter(0, 32000);
  meter.connectionOpened();
  for (let i = 0; i < 5; i++) meter.audioSent(3200);
  meter.metadata(0.4);
  meter.connectionOpened();
  for (let i = 0; i < 5; i++) meter.audioSent(3200);
  meter.metadata(0.4);
  expect(meter.usage(1000, false)).toMatchObject({
    billedSeconds: 0.8,
    mismatchSeconds: -0.2,
    reconciled: true,
  });
});

it('counts audio that no Metadata accounts for as a mismatch', () => {
  const meter = new UsageMeter(0, 32000);
  meter.connectionOpened();
  meter.audioSent(32000);
  const usage = meter.usage(1000, true);
  expect(usage).toMatchObject({ mismatchSeconds: -1, reconciled: false, closeTimedOut: true });
  expect(usage).not.toHaveProperty('billedSeconds');
});

it('leaves reconciliation out when the format does not tell the length of the audio', () => {
  const meter = new UsageMeter(0, undefined);
  meter.audioSent(5000);
  meter.metadata(2.5);
  const usage = meter.usage(10, false);
  expect(usage).not.toHaveProperty('mismatchSeconds');
  expect(usage).not.toHaveProperty('reconciled');
});

it('gives running snapshots marked not final, without reconciliation, with the billed seconds so far', () => {
  const meter = new UsageMeter(0, 32000);
  meter.connectionOpened();
  meter.audioSent(32000);
  expect(meter.snapshot(1500)).toEqual({
    type: 'Usage',
    audioSeconds: 1,
    keepAlives: 0,
    idleSeconds: 0,
    connections: 1,
    audioBytes: 32000,
    gatedSeconds: 0,
    wallSeconds: 1.5,
    final: false,
    closeTimedOut: false,
  });
  meter.metadata(1);
  expect(meter.snapshot(1500).billedSeconds).toBe(1);
});
