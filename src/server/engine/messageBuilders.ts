/**
 * Builders of the emulator's server messages, each object literal written in the key order seen on
 * the wire (protocol.md §3 "Key order observed"), so `JSON.stringify` prints them like Deepgram.
 */
import type { EmulatedModel } from './modelInfo';
import { round6 } from './numbers';
import type { OutboundMessage, ScriptWord } from './types';

/** A word as it appears in `Results.channel.alternatives[0].words` (wire key order). */
export type WireWord = Readonly<Record<string, unknown>>;

/** Word confidence when the script gives none. */
export const DEFAULT_WORD_CONFIDENCE = 0.99;

/**
 * A script word as a wire word: `word, start, end, confidence[, speaker][, punctuated_word]` (the
 * order seen in diarized output). `end` may be clamped by the caller (a word cut by the end of audio).
 */
export function wireWord(w: ScriptWord, end: number, punctuate: boolean, diarize: boolean): WireWord {
  const word: Record<string, unknown> = {
    word: w.word,
    start: round6(w.start),
    end: round6(end),
    confidence: round6(w.confidence ?? DEFAULT_WORD_CONFIDENCE),
  };
  if (diarize) word.speaker = w.speaker ?? 0;
  if (punctuate) word.punctuated_word = w.punctuated_word ?? w.word;
  return word;
}

/** The `metadata` object shared by every Results of a session. */
export function resultsMetadata(
  requestId: string,
  model: EmulatedModel,
  extra: Readonly<Record<string, string>> | undefined,
): Readonly<Record<string, unknown>> {
  const metadata: Record<string, unknown> = {
    request_id: requestId,
    model_info: { name: model.info.name, version: model.info.version, arch: model.info.arch },
    model_uuid: model.uuid,
  };
  if (extra !== undefined) metadata.extra = { ...extra };
  return Object.freeze(metadata);
}

/** What one Results message says, in seconds. */
export interface ResultsFields {
  readonly channelIndex: readonly number[];
  readonly start: number;
  readonly duration: number;
  readonly isFinal: boolean;
  readonly speechFinal: boolean;
  readonly fromFinalize: boolean;
  readonly transcript: string;
  readonly confidence: number;
  readonly words: readonly WireWord[];
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Add `entities: []` (a final with `detect_entities=true`; the emulator detects none). */
  readonly entities?: boolean;
}

/** A `Results` message. */
export function resultsMessage(f: ResultsFields): OutboundMessage {
  return {
    type: 'Results',
    channel_index: [f.channelIndex[0], f.channelIndex[1]],
    duration: round6(f.duration),
    start: round6(f.start),
    is_final: f.isFinal,
    speech_final: f.speechFinal,
    channel: { alternatives: [{ transcript: f.transcript, confidence: f.confidence, words: f.words }] },
    metadata: f.metadata,
    from_finalize: f.fromFinalize,
    ...(f.entities === true ? { entities: [] } : {}),
  };
}

/** A `SpeechStarted` message. */
export function speechStartedMessage(channelIndex: readonly number[], timestamp: number): OutboundMessage {
  return { type: 'SpeechStarted', channel: [channelIndex[0], channelIndex[1]], timestamp: round6(timestamp) };
}

/** An `UtteranceEnd` message. */
export function utteranceEndMessage(channelIndex: readonly number[], lastWordEnd: number): OutboundMessage {
  return {
    type: 'UtteranceEnd',
    channel: [channelIndex[0], channelIndex[1]],
    last_word_end: round6(lastWordEnd),
  };
}

/** What the session summary says. */
export interface MetadataFields {
  readonly requestId: string;
  readonly sha256: string;
  readonly created: string;
  readonly duration: number;
  readonly channels: number;
  /** Present only when audio was processed. */
  readonly model: EmulatedModel | undefined;
  readonly extra: Readonly<Record<string, string>> | undefined;
}

/** The session `Metadata` message. */
export function metadataMessage(f: MetadataFields): OutboundMessage {
  const message: OutboundMessage = {
    type: 'Metadata',
    transaction_key: 'deprecated',
    request_id: f.requestId,
    sha256: f.sha256,
    created: f.created,
    duration: f.duration,
    channels: f.channels,
  };
  if (f.model !== undefined) {
    const { uuid, info } = f.model;
    message.models = [uuid];
    message.model_info = { [uuid]: { name: info.name, version: info.version, arch: info.arch } };
  }
  if (f.extra !== undefined) message.extra = { ...f.extra };
  return message;
}
