/**
 * io-ts codecs for every message Deepgram's `/v1/listen` sends (protocol.md §3).
 *
 * Field names are snake_case exactly as on the wire. `t.type` ignores unknown extra keys, so new
 * fields that Deepgram adds over time never break decoding. Optional fields are `t.partial`.
 */
import * as t from 'io-ts';
import { FiniteNumber } from './finiteNumber';

/** `[index, total]` of a channel, e.g. `[0, 1]` for mono. */
export const ChannelPair = t.array(FiniteNumber, 'ChannelPair');
export type ChannelPair = t.TypeOf<typeof ChannelPair>;

/** `{ name, version, arch }` of the model that produced a result. */
export const ModelInfo = t.type({ name: t.string, version: t.string, arch: t.string }, 'ModelInfo');
export type ModelInfo = t.TypeOf<typeof ModelInfo>;

/** One recognised word with its times on the connection's audio timeline (seconds). */
export const Word = t.intersection(
  [
    t.type({ word: t.string, start: FiniteNumber, end: FiniteNumber, confidence: FiniteNumber }),
    t.partial({
      punctuated_word: t.string,
      speaker: FiniteNumber,
      language: t.string,
      speaker_confidence: FiniteNumber,
    }),
  ],
  'Word',
);
export type Word = t.TypeOf<typeof Word>;

/** One transcript hypothesis (normally exactly one per result). */
export const Alternative = t.intersection(
  [
    t.type({ transcript: t.string, confidence: FiniteNumber, words: t.array(Word) }),
    t.partial({ languages: t.array(t.string) }),
  ],
  'Alternative',
);
export type Alternative = t.TypeOf<typeof Alternative>;

/** A hit of a `search=` term. */
export const SearchHit = t.intersection(
  [
    t.type({ confidence: FiniteNumber, start: FiniteNumber, end: FiniteNumber }),
    t.partial({ snippet: t.string }),
  ],
  'SearchHit',
);
export type SearchHit = t.TypeOf<typeof SearchHit>;

/** The hits for one `search=` query. */
export const SearchResult = t.type({ query: t.string, hits: t.array(SearchHit) }, 'SearchResult');
export type SearchResult = t.TypeOf<typeof SearchResult>;

/** An entity found with `detect_entities=true`; `end_word` is exclusive. */
export const Entity = t.type(
  {
    label: t.string,
    value: t.string,
    raw_value: t.string,
    confidence: FiniteNumber,
    start_word: FiniteNumber,
    end_word: FiniteNumber,
  },
  'Entity',
);
export type Entity = t.TypeOf<typeof Entity>;

/** The `metadata` object carried by every `Results` message. */
export const ResultsMetadata = t.intersection(
  [
    t.type({ request_id: t.string, model_info: ModelInfo, model_uuid: t.string }),
    t.partial({
      extra: t.record(t.string, t.string),
      diarize_info: t.type({ model_uuid: t.string, arch: t.string }),
    }),
  ],
  'ResultsMetadata',
);
export type ResultsMetadata = t.TypeOf<typeof ResultsMetadata>;

/** The `channel` object of a `Results` message. */
export const ResultsChannel = t.intersection(
  [t.type({ alternatives: t.array(Alternative) }), t.partial({ search: t.array(SearchResult) })],
  'ResultsChannel',
);
export type ResultsChannel = t.TypeOf<typeof ResultsChannel>;

/**
 * A transcription result (`type: "Results"`), interim (`is_final: false`) or final.
 * `start` and `duration` are seconds on the audio timeline.
 */
export const Results = t.intersection(
  [
    t.type({
      type: t.literal('Results'),
      channel_index: ChannelPair,
      duration: FiniteNumber,
      start: FiniteNumber,
      channel: ResultsChannel,
      metadata: ResultsMetadata,
    }),
    t.partial({
      is_final: t.boolean,
      speech_final: t.boolean,
      from_finalize: t.boolean,
      entities: t.array(Entity),
    }),
  ],
  'Results',
);
export type Results = t.TypeOf<typeof Results>;

/** A warning in the session `Metadata`. */
export const MetadataWarning = t.type(
  { type: t.string, message: t.string, parameter: t.string },
  'MetadataWarning',
);
export type MetadataWarning = t.TypeOf<typeof MetadataWarning>;

/**
 * The session summary (`type: "Metadata"`), sent once just before the server closes.
 * `duration` is the audio seconds processed: what the session is billed for.
 */
export const Metadata = t.intersection(
  [
    t.type({
      type: t.literal('Metadata'),
      transaction_key: t.string,
      request_id: t.string,
      sha256: t.string,
      created: t.string,
      duration: FiniteNumber,
      channels: FiniteNumber,
    }),
    t.partial({
      models: t.array(t.string),
      model_info: t.record(t.string, ModelInfo),
      extra: t.record(t.string, t.string),
      warnings: t.array(MetadataWarning),
    }),
  ],
  'Metadata',
);
export type Metadata = t.TypeOf<typeof Metadata>;

/** Sent when no word followed the last final word for `utterance_end_ms`. */
export const UtteranceEnd = t.type(
  { type: t.literal('UtteranceEnd'), channel: ChannelPair, last_word_end: FiniteNumber },
  'UtteranceEnd',
);
export type UtteranceEnd = t.TypeOf<typeof UtteranceEnd>;

/** Sent when speech begins after silence (`vad_events=true`). */
export const SpeechStarted = t.type(
  { type: t.literal('SpeechStarted'), channel: ChannelPair, timestamp: FiniteNumber },
  'SpeechStarted',
);
export type SpeechStarted = t.TypeOf<typeof SpeechStarted>;

/**
 * An `Error` message (a text frame, not a close): e.g. `variant: "SchemaError"` for a malformed
 * client message, after which the session stays open.
 */
export const ServerError = t.intersection(
  [
    t.type({ type: t.literal('Error') }),
    t.partial({ variant: t.string, code: t.string, description: t.string, message: t.string }),
  ],
  'ServerError',
);
export type ServerError = t.TypeOf<typeof ServerError>;

/** A well-formed JSON object whose `type` deepgram-rx does not model (e.g. `ConfigureSuccess`). */
export interface UnknownMessage {
  readonly type: 'Unknown';
  /** The parsed JSON object as received. */
  readonly raw: unknown;
}

/** The wire `type`s of the modelled messages (`Error` is {@link ServerError}). */
const MODELLED_TYPES: ReadonlySet<string> = new Set([
  'Results',
  'Metadata',
  'UtteranceEnd',
  'SpeechStarted',
  'Error',
]);

function isUnknownMessage(u: unknown): u is UnknownMessage {
  return typeof u === 'object' && u !== null && (u as { type?: unknown }).type === 'Unknown' && 'raw' in u;
}

/**
 * Decodes a JSON object whose string `type` is not modelled into `{ type: 'Unknown', raw }`, as
 * `decodeServerMessage` does; anything else fails. Encodes back to `raw`.
 */
export const UnknownMessage = new t.Type<UnknownMessage, unknown, unknown>(
  'UnknownMessage',
  isUnknownMessage,
  (u, context) => {
    if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, context);
    const type = (u as { type?: unknown }).type;
    if (typeof type !== 'string' || MODELLED_TYPES.has(type)) return t.failure(u, context);
    return t.success({ type: 'Unknown', raw: u });
  },
  (message) => message.raw,
);

/**
 * Every message a server can send, as a codec: the modelled ones checked against their codec,
 * and any other object with a string `type` as an {@link UnknownMessage} (protocol.md §3: new
 * types must not break decoding). `decodeServerMessage` gives the same values, with readable errors.
 */
export const ServerMessage = t.union(
  [Results, Metadata, UtteranceEnd, SpeechStarted, ServerError, UnknownMessage],
  'ServerMessage',
);

/** Every message a server can send, including ones deepgram-rx does not model. */
export type ServerMessage = t.TypeOf<typeof ServerMessage>;
