/**
 * The contract between the emulator's wire layer (src/server/emulator.ts and friends) and its
 * transcription engine (src/server/engine/): the engine is pure (no sockets, no timers, no wall
 * clock); the wire layer feeds it what arrives and sends what it returns, in order.
 */
import type { RawEncoding } from '../../protocol/audioFormat';

/** A recognised word of a script, on the audio timeline of the session (seconds). */
export interface ScriptWord {
  word: string;
  start: number;
  end: number;
  punctuated_word?: string;
}

/**
 * Supplies words for the audio a session receives. The engine asks for the words whose `end` lies
 * in a window of the session's audio clock; a recognizer never sees wall time.
 */
export interface Recognizer {
  /** Words with `from <= start < to` (seconds of audio received on this session). */
  wordsBetween(from: number, to: number): readonly ScriptWord[];
}

/** What the engine needs to know about a session (parsed from the validated query). */
export interface EngineConfig {
  requestId: string;
  /** Undefined when the query gave no encoding (containerized audio): the engine then assumes linear16 16 kHz after a WAV header if it can parse one. */
  encoding?: RawEncoding | string;
  sampleRate?: number;
  channels: number;
  multichannel: boolean;
  interimResults: boolean;
  /** ms, or false when endpointing=false. Default 10. */
  endpointing: number | false;
  utteranceEndMs?: number;
  vadEvents: boolean;
  punctuate: boolean;
  model: string;
  extra?: Record<string, string>;
  recognizer: Recognizer;
  /** ISO time for Metadata.created (injected so the engine stays pure). */
  created: string;
}

/** A JSON-serialisable server message object, in wire key order (see protocol.md §3). */
export type OutboundMessage = { type: string } & Record<string, unknown>;

/** A pure per-connection transcription engine. */
export interface TranscriptionEngine {
  /** Feed a binary frame. Returns the messages due now (Results, SpeechStarted, UtteranceEnd). */
  pushAudio(bytes: Uint8Array): OutboundMessage[];
  /** Handle Finalize (channel omitted = all): finals with from_finalize for the pending audio, or nothing. */
  finalize(channel?: number): OutboundMessage[];
  /** Handle CloseStream or the end of the session: remaining finals, then the Metadata (always last). */
  close(): OutboundMessage[];
  /** Only the Metadata (for a NET-0001 timeout: Metadata then close 1011). */
  metadata(): OutboundMessage;
  /** Seconds of audio received so far (the audio clock). */
  readonly audioSeconds: number;
  /** Bytes of audio received so far. */
  readonly audioBytes: number;
}
