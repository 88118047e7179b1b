import { config, linear16, mulaw, results, session, signal, type ResultsView } from './synth';

const EPS = 1e-6;

function expectTiling(finals: readonly ResultsView[], totalSeconds: number): void {
  expect(finals[0]!.start).toBe(0);
  for (let i = 1; i < finals.length; i++) {
    expect(finals[i]!.start).toBeCloseTo(finals[i - 1]!.start + finals[i - 1]!.duration, 6);
  }
  const last = finals[finals.length - 1]!;
  expect(Math.abs(last.start + last.duration - totalSeconds)).toBeLessThan(EPS);
}

describe('interim results', () => {
  test('silence gives an empty interim about every second with a fixed start and growing duration', () => {
    const audio = linear16(signal(16000, [{ silence: 3.5 }]));
    const interims = results(session(config({ interimResults: true }), audio, [1600]).streamed, 'interim');
    expect(interims.map((r) => [r.start, r.duration, r.channel.alternatives[0]!.transcript])).toEqual([
      [0, 1, ''],
      [0, 2, ''],
      [0, 3, ''],
    ]);
  });

  test('an interim ends at the audio received when it is sent', () => {
    const audio = linear16(signal(16000, [{ silence: 2.4 }]));
    const { streamed } = session(config({ interimResults: true }), audio, [32000]);
    const ends = results(streamed, 'interim').map((r) => r.start + r.duration);
    expect(ends).toEqual([1, 2]);
  });

  test('after a final the next segment’s interims start where the final ended', () => {
    const audio = linear16(signal(16000, [{ tone: 1.5 }, { silence: 0.5 }, { tone: 2.5 }]));
    const all = session(config({ interimResults: true, endpointing: 300 }), audio).streamed;
    const firstFinal = results(all, 'final')[0]!;
    const later = results(all, 'interim').filter(
      (r) => r.start >= firstFinal.start + firstFinal.duration - EPS,
    );
    expect(later.length).toBeGreaterThan(1);
    for (const r of later) expect(r.start).toBeCloseTo(firstFinal.start + firstFinal.duration, 6);
  });

  test('without interim_results only finals are sent', () => {
    const audio = linear16(signal(16000, [{ silence: 1 }, { tone: 2 }, { silence: 4 }]));
    const all = results(session(config({ interimResults: false }), audio).all);
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((r) => r.is_final)).toBe(true);
  });
});

describe('finals', () => {
  test('finals tile the timeline with no gap and no overlap', () => {
    const audio = linear16(
      signal(16000, [
        { silence: 0.9 },
        { tone: 1.1 },
        { silence: 0.3 },
        { tone: 7.5 },
        { silence: 9 },
        { tone: 0.4 },
      ]),
    );
    const finals = results(session(config({ interimResults: true }), audio, [1234]).all, 'final');
    expectTiling(finals, audio.length / 32000);
  });

  test('mulaw finals tile the timeline too', () => {
    const audio = mulaw(signal(8000, [{ tone: 2 }, { silence: 0.7 }, { tone: 3 }, { silence: 1.3 }]));
    const finals = results(
      session(config({ encoding: 'mulaw', sampleRate: 8000 }), audio, [160]).all,
      'final',
    );
    expectTiling(finals, audio.length / 8000);
  });

  test('speech without a pause is cut at the maximum segment length with speech_final false', () => {
    const audio = linear16(signal(16000, [{ tone: 5 }]));
    const cfg = config({ tuning: { maxSegmentMs: 2000 } });
    const finals = results(session(cfg, audio).streamed, 'final');
    expect(finals.map((r) => [r.start, r.duration, r.speech_final])).toEqual([
      [0, 2, false],
      [2, 2, false],
    ]);
  });

  test('long silence gives an empty final at every maximum segment length', () => {
    const audio = linear16(signal(16000, [{ silence: 13 }]));
    const finals = results(session(config(), audio).streamed, 'final');
    expect(
      finals.map((r) => [r.start, r.duration, r.speech_final, r.channel.alternatives[0]!.transcript]),
    ).toEqual([
      [0, 6, true, ''],
      [6, 6, true, ''],
    ]);
  });

  test('the silence before an onset is closed as its own empty final', () => {
    const audio = linear16(signal(16000, [{ silence: 0.74 }, { tone: 1 }]));
    const first = results(session(config(), audio).streamed, 'final')[0]!;
    expect([first.start, first.duration, first.speech_final, first.channel.alternatives[0]!.words]).toEqual([
      0,
      0.74,
      true,
      [],
    ]);
  });

  test('a short silence before an onset joins the speech segment', () => {
    const audio = linear16(signal(16000, [{ silence: 0.3 }, { tone: 1 }, { silence: 0.5 }]));
    const first = results(session(config(), audio).streamed, 'final')[0]!;
    expect(first.start).toBe(0);
    expect(first.duration).toBeGreaterThan(1.3);
  });
});

describe('endpointing', () => {
  test('a pause of at least endpointing ms after speech ends the final with speech_final true', () => {
    const audio = linear16(signal(16000, [{ tone: 1 }, { silence: 0.5 }]));
    const finals = results(session(config({ endpointing: 300 }), audio).streamed, 'final');
    expect(finals.map((r) => [r.start, r.duration, r.speech_final])).toEqual([[0, 1.3, true]]);
  });

  test('a pause shorter than endpointing does not end the utterance', () => {
    const audio = linear16(signal(16000, [{ tone: 1 }, { silence: 0.25 }, { tone: 1 }]));
    const { all } = session(config({ endpointing: 300 }), audio);
    expect(results(all, 'final').map((r) => [r.start, r.duration])).toEqual([[0, 2.25]]);
  });

  test('the default endpointing ends an utterance at a pause as long as the hangover', () => {
    const audio = linear16(signal(16000, [{ tone: 1 }, { silence: 0.3 }]));
    const finals = results(session(config({ endpointing: 10 }), audio).streamed, 'final');
    expect(finals.map((r) => [r.duration, r.speech_final])).toEqual([[1.2, true]]);
  });

  test('a gap shorter than the hangover is not a pause even with endpointing 10', () => {
    const audio = linear16(signal(16000, [{ tone: 1 }, { silence: 0.1 }, { tone: 1 }]));
    const finals = results(session(config({ endpointing: 10 }), audio).streamed, 'final');
    expect(finals).toEqual([]);
  });

  test('with a shorter hangover, endpointing 10 ends an utterance at a 40 ms pause', () => {
    const audio = linear16(signal(16000, [{ tone: 1 }, { silence: 0.04 }, { tone: 1 }]));
    const cfg = config({ endpointing: 10, tuning: { hangoverMs: 10 } });
    const finals = results(session(cfg, audio).streamed, 'final');
    expect(finals.map((r) => [r.start, r.duration, r.speech_final])).toEqual([[0, 1.02, true]]);
  });

  test('endpointing=false never sets speech_final and cuts finals at the chunker cadence', () => {
    const audio = linear16(signal(16000, [{ tone: 1 }, { silence: 1 }, { tone: 1 }, { silence: 2.5 }]));
    const cfg = config({ endpointing: false, tuning: { maxSegmentMs: 2000 } });
    const finals = results(session(cfg, audio).all, 'final');
    expect(finals.map((r) => [r.start, r.duration, r.speech_final])).toEqual([
      [0, 2, false],
      [2, 2, false],
      [4, 1.5, false],
    ]);
  });
});
