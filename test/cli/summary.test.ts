import { billedSeconds, formatSummary, saving, type RunSummary } from '../../src/cli/summary';

const gated: RunSummary = {
  fileSeconds: 38.236,
  metadataSeconds: 20.2,
  sentSeconds: 20.19,
  wallSeconds: 38.4,
  keepAlives: 4,
  idleSeconds: 12.04,
  connections: 1,
  gate: true,
};

describe('summary numbers', () => {
  test("the billed seconds are the server's Metadata.duration when there is one", () => {
    expect(billedSeconds(gated)).toBe(20.2);
  });

  test("without Metadata the billed seconds fall back to the client's count", () => {
    const { metadataSeconds: _omit, ...rest } = gated;
    expect(billedSeconds(rest)).toBe(20.19);
  });

  test('the saving is the file length minus the billed seconds, also as a percent of the file', () => {
    const result = saving(gated)!;
    expect(result.seconds).toBeCloseTo(18.036, 9);
    expect(result.percent).toBeCloseTo((18.036 / 38.236) * 100, 9);
  });

  test('there is no saving to report for an empty file or without any count', () => {
    expect(saving({ ...gated, fileSeconds: 0 })).toBeUndefined();
    expect(
      saving({ fileSeconds: 5, wallSeconds: 1, keepAlives: 0, connections: 0, gate: true }),
    ).toBeUndefined();
  });
});

describe('formatSummary', () => {
  test('a gated run prints billed, file length, saving, wall time, KeepAlives and connections', () => {
    expect(formatSummary(gated)).toEqual([
      'Summary',
      '  audio billed         20.2 s   Metadata.duration 20.2 s · sent 20.2 s',
      '  file length          38.2 s',
      '  saved by gating      18.0 s   47.2 % less than streaming the whole file',
      '  wall time            38.4 s',
      '  KeepAlives sent           4   covered 12.0 s without audio',
      '  connections               1',
    ]);
  });

  test('an ungated run says the silence was streamed and billed', () => {
    const lines = formatSummary({ ...gated, metadataSeconds: 38.236, sentSeconds: 38.236, gate: false });
    expect(lines[3]).toBe('  saved by gating       0.0 s   --no-gate: the silence was streamed and billed');
  });

  test('a run without Metadata says so and bills the client count', () => {
    const { metadataSeconds: _omit, ...rest } = gated;
    expect(formatSummary(rest)[1]).toBe('  audio billed         20.2 s   no Metadata received · sent 20.2 s');
  });

  test('a run with no count at all prints unknown instead of a number', () => {
    const lines = formatSummary({
      fileSeconds: 5,
      wallSeconds: 1,
      keepAlives: 0,
      connections: 0,
      gate: true,
    });
    expect(lines[1]).toContain('unknown');
    expect(lines[3]).toContain('unknown');
    expect(lines[5]).toBe('  KeepAlives sent           0');
  });
});
