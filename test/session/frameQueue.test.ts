/**
 * The FIFO behind the session's outbox.
 */
import { FrameQueue } from '../../src/session/frameQueue';

it('returns frames in the order they were pushed and counts their bytes', () => {
  const queue = new FrameQueue();
  const audio = new Uint8Array(100);
  queue.push(audio);
  queue.push('{"type":"KeepAlive"}');
  expect(queue.length).toBe(2);
  expect(queue.bytes).toBe(120);
  expect(queue.shift()).toBe(audio);
  expect(queue.bytes).toBe(20);
  expect(queue.shift()).toBe('{"type":"KeepAlive"}');
  expect(queue.shift()).toBeUndefined();
  expect([queue.length, queue.bytes]).toEqual([0, 0]);
});

it('keeps the order across many pushes and shifts interleaved', () => {
  const queue = new FrameQueue();
  const out: number[] = [];
  let next = 0;
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < 100; i++) queue.push(new Uint8Array([next++ % 256]));
    for (let i = 0; i < 70; i++) out.push((queue.shift() as Uint8Array)[0]!);
  }
  while (queue.length > 0) out.push((queue.shift() as Uint8Array)[0]!);
  expect(out).toEqual(Array.from({ length: 5000 }, (_, i) => i % 256));
  expect(queue.bytes).toBe(0);
});

it('forgets everything on clear', () => {
  const queue = new FrameQueue();
  queue.push(new Uint8Array(10));
  queue.clear();
  expect([queue.length, queue.bytes, queue.shift()]).toEqual([0, 0, undefined]);
});
