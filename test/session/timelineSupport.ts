/** Message builders for the timeline tests. */
import type { Results, SpeechStarted, UtteranceEnd, Word } from '../../src/protocol/messages';

/** A word `[start, end]`; `punctuated_word` is the word capitalised with a full stop when `punctuated`. */
export function word(text: string, start: number, end: number, punctuated = false): Word {
  const w: Word = { word: text, start, end, confidence: 0.9 };
  if (punctuated) w.punctuated_word = `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  return w;
}

export interface ResultsShape {
  start: number;
  duration: number;
  words?: Word[];
  isFinal?: boolean;
  channel?: number;
  channels?: number;
  transcript?: string;
}

/** Shared (frozen) by every built Results: the timeline never changes it. */
const METADATA: Results['metadata'] = deepFreeze({
  request_id: 'req-1',
  model_info: { name: 'general-nova-3', version: '2025-04-17.21547', arch: 'nova-3' },
  model_uuid: '40bd3654-e622-47c4-a111-63a61b23bfe8',
});

/** A Results message as Deepgram sends it (transcript = the words joined unless given). */
export function results(shape: ResultsShape): Results {
  const words = shape.words ?? [];
  return {
    type: 'Results',
    channel_index: [shape.channel ?? 0, shape.channels ?? 1],
    duration: shape.duration,
    start: shape.start,
    is_final: shape.isFinal ?? true,
    speech_final: false,
    channel: {
      alternatives: [
        {
          transcript: shape.transcript ?? words.map((w) => w.punctuated_word ?? w.word).join(' '),
          confidence: 0.9,
          words,
        },
      ],
    },
    metadata: METADATA,
    from_finalize: false,
  };
}

export function utteranceEnd(lastWordEnd: number, channel = 0): UtteranceEnd {
  return { type: 'UtteranceEnd', channel: [channel, 1], last_word_end: lastWordEnd };
}

export function speechStarted(timestamp: number, channel = 0): SpeechStarted {
  return { type: 'SpeechStarted', channel: [channel, 1], timestamp };
}

/** The words of the first alternative. */
export function wordsOf(message: Results | undefined): Word[] {
  return message?.channel.alternatives[0]?.words ?? [];
}

/** `[word, start, end]` triples of the first alternative, for compact assertions. */
export function spans(message: Results | undefined): [string, number, number][] {
  return wordsOf(message).map((w) => [w.word, w.start, w.end]);
}

/** Freezes a value and everything reachable from it, so that any mutation throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
