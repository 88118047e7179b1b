import { billedSeconds, formatSummary, saving, type RunSummary } from '../../src/cli/summary';

const gated: RunSummary = {
  fileSeconds: 38.236,
  metadataSeconds: 20.2,
  sentSeconds: 20.19,
  gatedSeconds: 18.04,
  mismatchSeconds: 0.01,
  reconciled: true,
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
  test('a gated run prints billed with and without gating, saving, wall time, KeepAlives and connections', () => {
    expect(formatSummary(gated)).toEqual([
      'Summary',
      '  billed, gated        20.2 s   Metadata.duration 20.2 s · sent 20.2 s · reconciled',
      '  billed, no gate      38.2 s   the whole file',
      '  saved by gating      18.0 s   47.2 % less (the gate dropped 18.0 s of silence)',
      '  wall time            38.4 s',
      '  KeepAlives sent           4   covered 12.0 s without audio',
      '  connections               1',
    ]);
  });

  test('an ungated run says the silence was streamed and billed', () => {
    const lines = formatSummary({ ...gated, metadataSeconds: 38.236, sentSeconds: 38.236, gate: false });
    expect(lines[1]).toBe(
      '  audio billed         38.2 s   Metadata.duration 38.2 s · sent 38.2 s · reconciled',
    );
    expect(lines[2]).toBe('  file length          38.2 s');
    expect(lines[3]).toBe('  saved by gating       0.0 s   --no-gate: the silence was streamed and billed');
  });

  test('an ungated run saves nothing by gating, even when reconnect replays made the bill exceed the file', () => {
    const lines = formatSummary({
      ...gated,
      metadataSeconds: 43,
      sentSeconds: 66.3,
      connections: 2,
      gate: false,
    });
    expect(lines[3]).toBe('  saved by gating       0.0 s   --no-gate: the silence was streamed and billed');
  });

  test('an ungated run saves nothing by gating when the server billed less than the file', () => {
    const lines = formatSummary({ ...gated, metadataSeconds: 30, sentSeconds: 30, gate: false });
    expect(lines[3]).toBe('  saved by gating       0.0 s   --no-gate: the silence was streamed and billed');
  });

  test('a run without Metadata says so and bills the client count', () => {
    const { metadataSeconds: _omit, reconciled: _r, mismatchSeconds: _m, ...rest } = gated;
    expect(formatSummary(rest)[1]).toBe('  billed, gated        20.2 s   no Metadata received · sent 20.2 s');
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

  test('a bill that differs from the audio sent by more than one chunk gets a warning row', () => {
    const lines = formatSummary({
      ...gated,
      metadataSeconds: 19.5,
      mismatchSeconds: -0.69,
      reconciled: false,
    });
    expect(lines[1]).toBe('  billed, gated        19.5 s   Metadata.duration 19.5 s · sent 20.2 s');
    expect(lines[3]).toBe(
      '  ! bill mismatch     -0.69 s   Metadata.duration minus the audio sent, more than one chunk',
    );
  });

  test('a run whose bill nothing confirms says so in the warning row', () => {
    const { metadataSeconds: _omit, ...rest } = gated;
    const lines = formatSummary({ ...rest, mismatchSeconds: -20.19, reconciled: false });
    expect(lines[3]).toContain('no Metadata received: nothing from the server confirms the bill');
  });
});
