import { scriptRecognizer } from '../../../src/server/engine/recognizers';
import type { ScriptWord } from '../../../src/server/engine/types';
import { createEngine } from '../../../src/server/engine/engine';
import { chunks, config, interleave, linear16, ofType, session, signal, type ResultsView } from './synth';

describe('SpeechStarted', () => {
  test('one SpeechStarted per onset after silence, with the onset on the audio clock', () => {
    const audio = linear16(signal(16000, [{ silence: 0.5 }, { tone: 1 }, { silence: 0.6 }, { tone: 0.5 }]));
    const events = ofType(session(config({ vadEvents: true }), audio, [999]).all, 'SpeechStarted');
    expect(events).toEqual([
      { type: 'SpeechStarted', channel: [0, 1], timestamp: 0.5 },
      { type: 'SpeechStarted', channel: [0, 1], timestamp: 2.1 },
    ]);
  });

  test('a gap shorter than the hangover does not give a second SpeechStarted', () => {
    const audio = linear16(signal(16000, [{ tone: 1 }, { silence: 0.1 }, { tone: 1 }]));
    expect(ofType(session(config({ vadEvents: true }), audio).all, 'SpeechStarted')).toHaveLength(1);
  });

  test('a tone below the detector threshold is not speech', () => {
    const audio = linear16(signal(16000, [{ silence: 0.5 }, { tone: 1, dbfs: -55 }]));
    expect(ofType(session(config({ vadEvents: true }), audio).all, 'SpeechStarted')).toEqual([]);
  });

  test('no SpeechStarted without vad_events', () => {
    const audio = linear16(signal(16000, [{ silence: 0.5 }, { tone: 1 }]));
    expect(ofType(session(config({ vadEvents: false }), audio).all, 'SpeechStarted')).toEqual([]);
  });

  test('with multichannel each channel has its own detector', () => {
    const left = signal(16000, [{ silence: 2 }]);
    const right = signal(16000, [{ silence: 0.8 }, { tone: 1.2 }]);
    const audio = linear16(interleave([left, right]));
    const cfg = config({ channels: 2, multichannel: true, vadEvents: true });
    expect(ofType(session(cfg, audio).all, 'SpeechStarted')).toEqual([
      { type: 'SpeechStarted', channel: [1, 2], timestamp: 0.8 },
    ]);
  });

  test('without multichannel the channels are mixed into one detector', () => {
    const left = signal(16000, [{ silence: 2 }]);
    const right = signal(16000, [{ silence: 0.8 }, { tone: 1.2 }]);
    const audio = linear16(interleave([left, right]));
    const cfg = config({ channels: 2, multichannel: false, vadEvents: true });
    expect(ofType(session(cfg, audio).all, 'SpeechStarted')).toEqual([
      { type: 'SpeechStarted', channel: [0, 1], timestamp: 0.8 },
    ]);
  });
});

describe('UtteranceEnd', () => {
  // Two phrases: words end at 1.2 s and 4.6 s; pauses long enough for a 1000 ms UtteranceEnd each.
  const words: ScriptWord[] = [
    { word: 'hello', start: 0.2, end: 0.6 },
    { word: 'there', start: 0.7, end: 1.2 },
    { word: 'general', start: 3.5, end: 4.0 },
    { word: 'kenobi', start: 4.1, end: 4.6 },
  ];
  const audio = linear16(
    signal(16000, [{ silence: 0.2 }, { tone: 1 }, { silence: 2.3 }, { tone: 1.1 }, { silence: 2 }]),
  );
  const cfg = config({ interimResults: true, utteranceEndMs: 1000, recognizer: scriptRecognizer(words) });

  test('one UtteranceEnd per gap with the end of the last finalized word', () => {
    const events = ofType(session(cfg, audio, [640]).all, 'UtteranceEnd');
    expect(events).toEqual([
      { type: 'UtteranceEnd', channel: [0, 1], last_word_end: 1.2 },
      { type: 'UtteranceEnd', channel: [0, 1], last_word_end: 4.6 },
    ]);
  });

  test('the UtteranceEnd comes after the final with that word, when utterance_end_ms of audio passed', () => {
    const engine = createEngine(cfg);
    const seen: { type: string; clock: number; transcript?: string }[] = [];
    for (const part of chunks(audio, [320])) {
      for (const m of engine.pushAudio(part)) {
        if (m.type === 'UtteranceEnd') seen.push({ type: m.type, clock: engine.audioSeconds });
        const r = m as unknown as ResultsView;
        if (m.type === 'Results' && r.is_final) {
          seen.push({
            type: m.type,
            clock: engine.audioSeconds,
            transcript: r.channel.alternatives[0]!.transcript,
          });
        }
      }
    }
    const first = seen.findIndex((e) => e.type === 'UtteranceEnd');
    expect(seen[first - 1]).toMatchObject({ type: 'Results', transcript: 'hello there' });
    expect(seen[first]!.clock).toBeCloseTo(2.2, 6);
  });

  test('a new word within utterance_end_ms of the last one means no UtteranceEnd for that gap', () => {
    const close: ScriptWord[] = [
      { word: 'one', start: 0.2, end: 0.8 },
      { word: 'two', start: 1.5, end: 1.9 },
    ];
    const pieces = [{ silence: 0.2 }, { tone: 0.6 }, { silence: 0.7 }, { tone: 0.4 }, { silence: 0.3 }];
    const gapped = linear16(signal(16000, pieces));
    const all = session({ ...cfg, recognizer: scriptRecognizer(close) }, gapped).all;
    expect(ofType(all, 'UtteranceEnd')).toEqual([]);
  });

  test('no UtteranceEnd without utterance_end_ms', () => {
    expect(ofType(session({ ...cfg, utteranceEndMs: undefined }, audio).all, 'UtteranceEnd')).toEqual([]);
  });

  test('no UtteranceEnd before any final with words', () => {
    const silent = config({ interimResults: true, utteranceEndMs: 1000 });
    expect(ofType(session(silent, audio).all, 'UtteranceEnd')).toEqual([]);
  });
});
