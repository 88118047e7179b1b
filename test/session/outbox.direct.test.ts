/**
 * The outbox's "direct" state: a socket attached and no frame waiting. The session writes audio
 * past the outbox only while it is direct, so every change of it must be reported.
 */
import { TestScheduler } from 'rxjs/testing';
import type { Frame } from '../../src/protocol/frames';
import { Outbox, type FrameSink, type OutboxHooks } from '../../src/session/outbox';

/** An outbox on a virtual clock, its hooks' calls in `log`, and a sink whose buffer the test sets. */
function setup(): {
  outbox: Outbox;
  sink: FrameSink & { bufferedAmount: number };
  log: string[];
  scheduler: TestScheduler;
} {
  const log: string[] = [];
  const hooks: OutboxHooks = {
    written: (frame: Frame) => log.push(`written ${typeof frame === 'string' ? frame : frame.byteLength}`),
    overflow: (error) => log.push(`overflow ${error.bufferedBytes}`),
    directChanged: (direct) => log.push(`direct ${String(direct)}`),
  };
  const sink = { bufferedAmount: 0, send: () => true };
  const scheduler = new TestScheduler(() => undefined);
  const outbox = new Outbox(
    { maxBufferBytes: 10_000, highWaterBytes: 1000, drainPollMs: 10, scheduler },
    hooks,
  );
  return { outbox, sink, log, scheduler };
}

it('becomes direct when a socket is attached with nothing waiting, and stops when it is detached', () => {
  const { outbox, sink, log } = setup();
  outbox.attach(sink);
  outbox.detach();
  expect(log).toEqual(['direct true', 'direct false']);
});

it('becomes direct only once the frames that waited for the open are written', () => {
  const { outbox, sink, log } = setup();
  outbox.push(new Uint8Array(320));
  outbox.push('{"type":"KeepAlive"}');
  outbox.attach(sink);
  expect(log).toEqual(['written 320', 'written {"type":"KeepAlive"}', 'direct true']);
});

it('stops being direct while a frame waits behind backpressure', () => {
  const { outbox, sink, log } = setup();
  outbox.attach(sink);
  sink.bufferedAmount = 5000;
  outbox.push(new Uint8Array(320));
  expect(log).toEqual(['direct true', 'direct false']);
});

it('is direct again once the frames held back by backpressure are written at a poll', () => {
  const { outbox, sink, log, scheduler } = setup();
  outbox.attach(sink);
  sink.bufferedAmount = 5000;
  outbox.push(new Uint8Array(320));
  sink.bufferedAmount = 0;
  scheduler.flush();
  expect(log).toEqual(['direct true', 'direct false', 'written 320', 'direct true']);
});

it('stops being direct when frames are put before everything on an attached socket', () => {
  const { outbox, sink, log } = setup();
  outbox.attach(sink);
  outbox.prepend([new Uint8Array(640)], [0]);
  expect(log).toEqual(['direct true', 'direct false']);
});

it('stays not direct when replayed frames are put before everything, until they are written', () => {
  const { outbox, sink, log } = setup();
  outbox.prepend([new Uint8Array(640)], [0]);
  expect(log).toEqual([]);
  outbox.attach(sink);
  expect(log).toEqual(['written 640', 'direct true']);
});

it('stops being direct on dispose and reports nothing more', () => {
  const { outbox, sink, log } = setup();
  outbox.attach(sink);
  outbox.dispose();
  outbox.dispose();
  expect(log).toEqual(['direct true', 'direct false']);
});
