/**
 * The replay ring: what a reconnect sends again, and what it can no longer send.
 */
import { ReplayRing, type SentChunk } from '../../src/session/replayRing';

function sent(from: number, seconds = 0.1): SentChunk {
  return { bytes: new Uint8Array(1), from, seconds };
}

it('gives back every chunk not yet final, oldest first', () => {
  const ring = new ReplayRing(10);
  const chunks = [sent(0), sent(0.1), sent(0.2)];
  chunks.forEach((chunk) => ring.add(chunk));
  expect(ring.take()).toEqual({ chunks, lost: undefined });
});

it('forgets chunks that end at or before the finalized position, and keeps one that straddles it', () => {
  const ring = new ReplayRing(10);
  [sent(0), sent(0.1), sent(0.2)].forEach((chunk) => ring.add(chunk));
  ring.trim(0.15);
  expect(ring.take().chunks.map((chunk) => chunk.from)).toEqual([0.1, 0.2]);
});

it('evicts the oldest chunks past its bound and names their span as lost', () => {
  const ring = new ReplayRing(0.2);
  [sent(0), sent(0.1), sent(0.2), sent(0.3)].forEach((chunk) => ring.add(chunk));
  const { chunks, lost } = ring.take();
  expect(chunks.map((chunk) => chunk.from)).toEqual([0.2, 0.3]);
  expect(lost).toEqual({ from: 0, to: 0.2 });
});

it('stops naming evicted audio as lost once a final result covers it', () => {
  const ring = new ReplayRing(0.2);
  [sent(0), sent(0.1), sent(0.2), sent(0.3)].forEach((chunk) => ring.add(chunk));
  ring.trim(0.1);
  expect(ring.take().lost).toEqual({ from: 0.1, to: 0.2 });
});

it('is empty after take', () => {
  const ring = new ReplayRing(10);
  ring.add(sent(0));
  ring.take();
  expect(ring.take()).toEqual({ chunks: [], lost: undefined });
  expect(ring.seconds).toBe(0);
});
