import type { LiveEvent } from '../../src/session/transcribe';
import { EXIT } from '../../src/cli/exitCodes';
import { EMPTY_TALLY, summarize, tallyEvent, unfinishedRun } from '../../src/cli/tally';
import { results, usage as usageEvent } from './results';

const metadata = (duration: number): LiveEvent => ({
  type: 'Metadata',
  transaction_key: 'deprecated',
  request_id: '00000000-0000-4000-8000-000000000000',
  sha256: 'incomplete',
  created: '2026-01-01T00:00:00.000Z',
  duration,
  channels: 1,
});

const usage = usageEvent({
  audioSeconds: 20.1,
  keepAlives: 4,
  idleSeconds: 12,
  connections: 2,
  gatedSeconds: 17.9,
  mismatchSeconds: -0.1,
  reconciled: true,
});

const measures = { fileSeconds: 38, wallSeconds: 39, keepAlivesSeen: 3, gate: true };

describe('tallyEvent', () => {
  test('Metadata durations add up over connections', () => {
    const tally = [metadata(5), metadata(7.5)].reduce(tallyEvent, EMPTY_TALLY);
    expect(tally.metadataSeconds).toBe(12.5);
  });

  test('the last Usage event is kept', () => {
    const tally = [{ ...usage, keepAlives: 1 }, usage].reduce(tallyEvent, EMPTY_TALLY);
    expect(tally.usage).toEqual({
      audioSeconds: 20.1,
      keepAlives: 4,
      idleSeconds: 12,
      connections: 2,
      gatedSeconds: 17.9,
      mismatchSeconds: -0.1,
      reconciled: true,
      closeTimedOut: false,
    });
  });

  test('Open events are counted', () => {
    const open: LiveEvent = { type: 'Open', attempt: 1 };
    expect([open, open].reduce(tallyEvent, EMPTY_TALLY).opens).toBe(2);
  });

  test('only final results with a non-empty transcript count as finals', () => {
    const events: LiveEvent[] = [results('a'), results('', {}), results('b', { isFinal: false })];
    expect(events.reduce(tallyEvent, EMPTY_TALLY).finals).toBe(1);
  });

  test('Gap spans add up to the seconds not transcribed', () => {
    const gaps: LiveEvent[] = [
      { type: 'Gap', from: 1, to: 2.5, reason: 'replay buffer full' },
      { type: 'Gap', from: 10, to: 12, reason: 'replay buffer full' },
    ];
    expect(gaps.reduce(tallyEvent, EMPTY_TALLY).gapSeconds).toBe(3.5);
  });

  test('other events leave the tally unchanged', () => {
    const speech: LiveEvent = { type: 'SpeechStarted', channel: [0, 1], timestamp: 1 };
    expect(tallyEvent(EMPTY_TALLY, speech)).toBe(EMPTY_TALLY);
  });
});

describe('summarize', () => {
  test("Usage and Metadata give the summary's numbers", () => {
    const tally = [metadata(20), usage].reduce(tallyEvent, EMPTY_TALLY);
    expect(summarize(tally, measures)).toEqual({
      fileSeconds: 38,
      metadataSeconds: 20,
      sentSeconds: 20.1,
      idleSeconds: 12,
      gatedSeconds: 17.9,
      mismatchSeconds: -0.1,
      reconciled: true,
      wallSeconds: 39,
      keepAlives: 4,
      connections: 2,
      gate: true,
    });
  });

  test("without Usage the CLI's own KeepAlive count and the Open events are used", () => {
    const open: LiveEvent = { type: 'Open', attempt: 1 };
    expect(summarize(tallyEvent(EMPTY_TALLY, open), measures)).toEqual({
      fileSeconds: 38,
      wallSeconds: 39,
      keepAlives: 3,
      connections: 1,
      gate: true,
    });
  });
});

describe('unfinishedRun', () => {
  test('a run that got Metadata and a final Usage ended normally', () => {
    expect(unfinishedRun([metadata(20), usage].reduce(tallyEvent, EMPTY_TALLY))).toBeUndefined();
  });

  test('a server that did not answer CloseStream in time is a timeout (exit 5)', () => {
    const timedOut = usageEvent({ closeTimedOut: true });
    expect(unfinishedRun([metadata(2), timedOut].reduce(tallyEvent, EMPTY_TALLY))).toEqual({
      code: EXIT.timeout,
      reason: expect.stringContaining('did not close in time') as string,
    });
  });

  test('a server that closed without Metadata is a failure (exit 1)', () => {
    expect(unfinishedRun(tallyEvent(EMPTY_TALLY, usage))).toEqual({
      code: EXIT.failure,
      reason: expect.stringContaining('without sending Metadata') as string,
    });
  });

  test('a run with part of the file never transcribed (a Gap) is a failure (exit 1) that says how much', () => {
    const gap: LiveEvent = { type: 'Gap', from: 0, to: 5, reason: 'replay buffer full' };
    expect(unfinishedRun([gap, metadata(33.2), usage].reduce(tallyEvent, EMPTY_TALLY))).toEqual({
      code: EXIT.failure,
      reason: expect.stringMatching(/^5\.0 s of the file was never transcribed .*incomplete$/) as string,
    });
  });

  test('a running Usage snapshot does not decide it: only the final one says whether the close timed out', () => {
    const snapshot = usageEvent({ final: false, closeTimedOut: true });
    expect(tallyEvent(EMPTY_TALLY, snapshot).usage?.closeTimedOut).toBeUndefined();
  });
});
