import { finalizeFrame, isTextFrame, KEEP_ALIVE } from '../../src/protocol/frames';

describe('finalizeFrame', () => {
  it('writes a Finalize for every channel without an argument, and for one channel with it', () => {
    expect([finalizeFrame(), finalizeFrame(0), finalizeFrame(3)]).toEqual([
      '{"type":"Finalize"}',
      '{"type":"Finalize","channel":0}',
      '{"type":"Finalize","channel":3}',
    ]);
  });

  it.each([-1, 1.5, Number.NaN, Infinity, 1e21])(
    'throws a RangeError for channel %p, which is not a channel index JSON can carry as an integer',
    (channel) => {
      expect(() => finalizeFrame(channel)).toThrow(RangeError);
    },
  );
});

it('tells a text frame from a binary one', () => {
  expect([isTextFrame(KEEP_ALIVE), isTextFrame(new Uint8Array(1))]).toEqual([true, false]);
});
