import fc from 'fast-check';
import { ByteRing } from '../../src/operators/gateSilenceRing';

/**
 * The reference model of a ByteRing: every byte of the stream by absolute position, and the oldest
 * position still held (at most `capacity` bytes back from the end, never before the last reset).
 */
class RingModel {
  private bytes = new Map<number, number>();
  start = 0;
  end = 0;

  constructor(readonly capacity: number) {}

  reset(position: number): void {
    this.bytes.clear();
    this.start = position;
    this.end = position;
  }

  write(chunk: readonly number[]): void {
    for (const byte of chunk) this.bytes.set(this.end++, byte);
    this.start = Math.max(this.start, this.end - this.capacity);
  }

  read(from: number, to: number): number[] {
    const out: number[] = [];
    for (let p = from; p < to; p++) out.push(this.bytes.get(p)!);
    return out;
  }
}

type Op =
  | { kind: 'write'; bytes: number[]; padding: number }
  | { kind: 'reset'; advance: number }
  | { kind: 'copy'; a: number; b: number; offset: number };

function ops(capacity: number): fc.Arbitrary<Op[]> {
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('write' as const),
        // Up to 2.5 × capacity: wrap-around and writes larger than the whole ring.
        bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: Math.ceil(capacity * 2.5) }),
        // The chunk is a view at this offset into a larger buffer.
        padding: fc.integer({ min: 0, max: 3 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('reset' as const), advance: fc.integer({ min: 0, max: 50 }) }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('copy' as const),
        a: fc.double({ min: 0, max: 1, noNaN: true }),
        b: fc.double({ min: 0, max: 1, noNaN: true }),
        offset: fc.integer({ min: 0, max: 5 }),
      }),
    },
  );
  return fc.array(op, { maxLength: 40 });
}

const SENTINEL = 0xa5;

/** A view of `bytes` at `padding` bytes into a larger buffer filled with sentinels. */
function viewOf(bytes: readonly number[], padding: number): Uint8Array {
  const backing = new Uint8Array(bytes.length + 2 * padding).fill(SENTINEL);
  backing.set(bytes, padding);
  return backing.subarray(padding, padding + bytes.length);
}

test('a ByteRing holds the same bytes as a reference model for random writes, resets and copies', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }).chain((capacity) => fc.tuple(fc.constant(capacity), ops(capacity))),
      ([capacity, steps]) => {
        const ring = new ByteRing(capacity);
        const model = new RingModel(capacity);
        for (const step of steps) {
          if (step.kind === 'write') {
            const chunk = viewOf(step.bytes, step.padding);
            ring.write(chunk);
            model.write(step.bytes);
            // The ring holds a copy: a source that reuses its buffer cannot change it.
            chunk.fill(0xff);
          } else if (step.kind === 'reset') {
            ring.reset(model.end + step.advance);
            model.reset(model.end + step.advance);
          } else {
            const held = model.end - model.start;
            const x = model.start + Math.floor(step.a * held);
            const y = model.start + Math.floor(step.b * held);
            const [from, to] = x <= y ? [x, y] : [y, x];
            const target = new Uint8Array(step.offset + (to - from) + 2).fill(SENTINEL);
            ring.copyTo(from, to, target, step.offset);
            const expected = [
              ...Array<number>(step.offset).fill(SENTINEL),
              ...model.read(from, to),
              SENTINEL,
              SENTINEL,
            ];
            expect([...target]).toEqual(expected);
          }
        }
        // Everything still held, in one copy: exactly the latest `capacity` bytes (or fewer).
        const all = new Uint8Array(model.end - model.start);
        ring.copyTo(model.start, model.end, all, 0);
        expect([...all]).toEqual(model.read(model.start, model.end));
      },
    ),
    { numRuns: 300 },
  );
});

test('a ByteRing keeps only the last capacity bytes of a write larger than itself', () => {
  const ring = new ByteRing(4);
  ring.write(Uint8Array.of(1, 2, 3));
  ring.write(Uint8Array.of(4, 5, 6, 7, 8, 9, 10));
  const out = new Uint8Array(4);
  ring.copyTo(6, 10, out, 0);
  expect([...out]).toEqual([7, 8, 9, 10]);
  expect(() => ring.copyTo(5, 10, new Uint8Array(5), 0)).toThrow(RangeError);
});

test('a ByteRing copy that wraps around the end of its buffer comes out in stream order', () => {
  const ring = new ByteRing(5);
  ring.write(Uint8Array.of(1, 2, 3, 4));
  ring.write(Uint8Array.of(5, 6, 7));
  // Positions 2..7 are held; in the buffer 5 sits at index 4, 6 and 7 wrapped to indexes 0 and 1.
  const out = new Uint8Array(7);
  ring.copyTo(2, 7, out, 1);
  expect([...out]).toEqual([0, 3, 4, 5, 6, 7, 0]);
});

test('a ByteRing refuses to copy bytes it no longer holds or has not received', () => {
  const ring = new ByteRing(3);
  ring.write(Uint8Array.of(1, 2, 3, 4));
  expect(() => ring.copyTo(0, 2, new Uint8Array(2), 0)).toThrow(RangeError);
  expect(() => ring.copyTo(2, 5, new Uint8Array(3), 0)).toThrow(RangeError);
  expect(() => ring.copyTo(3, 2, new Uint8Array(1), 0)).toThrow(RangeError);
});
