/**
 * The contract between the emulator's wire layer (src/server/emulator.ts and friends) and its
 * transcription engine (src/server/engine/): the engine is pure (no sockets, no timers, no wall
 * clock); the wire layer feeds it what arrives and sends what it returns, in order.
 *
 * How the wire layer drives one connection:
 * - At the upgrade, build an {@link EngineConfig} from the validated query (`requestId` = the
 *   `dg-request-id`, `created` = an ISO time, `recognizer` = `resolveRecognizer(source, query)`)
 *   and call `createEngine(config)` (src/server/engine/engine.ts; throws `RangeError` only for a
 *   config that is not well formed, e.g. `channels: 0` or a non-finite tuning value).
 * - Binary frame: `msgs = engine.pushAudio(bytes)`; send each message as a JSON text frame, in order
 *   (`JSON.stringify` keeps the wire key order). Then check `engine.fatal`: when set, the audio
 *   could not be decoded; close with `1008` `DATA-0000` (the engine ignores further audio). A
 *   0-byte frame is the legacy CloseStream: handle it like CloseStream (`pushAudio` of 0 bytes is
 *   a no-op).
 * - `{"type":"Finalize"[,"channel":n]}`: send `engine.finalize(n)`. `CloseStream`: send
 *   `engine.close()` (remaining finals, the Metadata last), then close `1000`. NET-0001 timeout:
 *   send `engine.metadata()`, then close `1011`. KeepAlive: nothing (the engine has no timers).
 * - `engine.audioBytes` counts every binary byte received (for `EmulatorSession.audioBytes`);
 *   `engine.audioSeconds` is the audio clock (bytes of decoded audio ÷ bytes per second).
 * Messages are plain objects whose key order is the wire's (protocol.md §3); each one decodes with
 * `decodeServerMessage` as its own type.
 *
 * Timing (details in channelTrack.ts): decisions at the end of each 20 ms detector frame; an
 * interim per second of audio (also in silence); finals tile the timeline and end at a pause of
 * max(endpointing, 200 ms) after speech (`speech_final`), at the 6 s chunker cut, or at a speech
 * onset after ≥ 0.5 s of silence (an empty final); never inside a script word.
 *
 * The emulator is not a speech recognizer: words come from a {@link Recognizer} (a script of a
 * known audio file, or none), while timing (interims, finals, endpointing, SpeechStarted,
 * UtteranceEnd) comes from the audio clock and an energy detector over the real bytes.
 */
/** The raw encodings the engine decodes sample by sample (re-exported for the wire layer). */
export type { RawEncoding } from '../../protocol/audioFormat';

/** A recognised word of a script, on the audio timeline of the session (seconds). */
export interface ScriptWord {
  word: string;
  start: number;
  end: number;
  punctuated_word?: string;
  /** Word confidence in the Results (default 0.99). */
  confidence?: number;
  /** Speaker number in the Results when diarization is on (default 0). */
  speaker?: number;
}

/**
 * Supplies words for the audio a session receives. The engine asks, as its audio clock advances,
 * for the words whose `start` lies in consecutive half-open windows `[from, to)` of the clock
 * (each instant is asked for once), and shows a word once its `end` has been received. A
 * recognizer never sees wall time. Implementations should return words sorted by `start`.
 */
export interface Recognizer {
  /**
   * Words with `from <= start < to` (seconds of audio received on this session). `channel` is the
   * 0-based channel with `multichannel=true` (each channel is asked separately), else 0.
   */
  wordsBetween(from: number, to: number, channel?: number): readonly ScriptWord[];
  /**
   * Optional, for recognizers that listen to the audio (e.g. `contentRecognizer`): the engine
   * calls it with every run of decoded audio bytes it receives (after any WAV header, in order,
   * any size, not aligned to sample frames), before it asks for words in that audio.
   * `clockStartSeconds` is the audio clock at the first of these bytes.
   */
  observe?(bytes: Uint8Array, clockStartSeconds: number): void;
  /**
   * Optional, with `observe`: the audio clock (seconds) up to which the recognizer has decided
   * every word that starts there. The engine's detector and chunker run only up to this point (the
   * rest of the received audio waits, and is processed as soon as the recognizer decides), so
   * `wordsBetween` is never asked about a window it cannot answer yet. Without it: no waiting.
   */
  settledSeconds?(): number;
  /**
   * Optional, with `observe`: Finalize or the end of the stream: decide now about all the audio
   * received (a word still being received is taken as if it continued as in the known audio). The
   * engine then processes every byte received.
   */
  flush?(): void;
  /**
   * Optional: recognizers with per-connection state return a fresh one here. `resolveRecognizer`
   * (and so the emulator) calls it once per connection and gives the engine what it returns.
   */
  forSession?(): Recognizer;
}

/** The query of a connection as the wire layer parsed it (repeated keys give arrays). */
export type RecognizerQuery = Readonly<Record<string, string | readonly string[]>>;

/** Picks the recognizer of a session from its query (called once per connection). */
export type RecognizerFactory = (query: RecognizerQuery) => Recognizer;

/** What `EmulatorConfig.recognizer` may hold: one recognizer for every session, or a factory. */
export type RecognizerSource = Recognizer | RecognizerFactory;

/** A script file (`samples/*.words.json`): the audio it belongs to and its words in time order. */
export interface Script {
  /** File name of the audio (e.g. `preamble-websocket.wav`). */
  audio: string;
  words: ScriptWord[];
}

/**
 * Knobs of the energy detector and the chunker (all optional; defaults in brackets). Values must be
 * finite and > 0 (`thresholdDbfs`: finite, < 0) or `createEngine` throws a `RangeError`.
 */
export interface EngineTuning {
  /** Detector frame length in ms [20]. Decisions (interims, finals, events) happen at frame ends. */
  frameMs?: number;
  /** A frame is speech when its RMS is at or above this level in dBFS [-45]. */
  thresholdDbfs?: number;
  /**
   * The detector's smoothing, ms [200]: silence shorter than this is a gap inside speech (between
   * syllables), not a pause. A pause ends an utterance (`speech_final`) once it lasts
   * max(endpointing, hangoverMs), and only the first onset after a pause gives a SpeechStarted.
   */
  hangoverMs?: number;
  /** Audio between two interim results of a channel, ms [1000]. */
  interimIntervalMs?: number;
  /** Longest final: the chunker cuts a segment at this length, ms [6000]. */
  maxSegmentMs?: number;
  /** Silence before an onset that is closed as its own empty final, ms [500]; shorter silence joins the speech segment. */
  minEmptyFinalMs?: number;
}

/** What the engine needs to know about a session (parsed from the validated query). */
export interface EngineConfig {
  requestId: string;
  /**
   * The `encoding` query value: a `RawEncoding` (`linear16`, `mulaw`, `alaw`) or any other
   * Deepgram encoding name. Undefined when the query gave no encoding (containerized audio): the engine then reads a WAV
   * (RIFF) header from the first bytes and takes the format from it (16-bit PCM, mu-law, A-law);
   * anything else is undecodable (`fatal` DATA-0000). A given encoding other than `linear16`,
   * `mulaw`, `alaw` (e.g. `opus`) cannot be decoded by the emulator either: DATA-0000 at the first
   * audio byte.
   */
  encoding?: string;
  /** Required with `encoding` (DATA-0000 at the first audio byte when missing). */
  sampleRate?: number;
  /** Interleaved channels of raw audio (ignored for WAV, whose header says). */
  channels: number;
  multichannel: boolean;
  interimResults: boolean;
  /**
   * ms, or false when endpointing=false. Default 10. A pause after speech sets `speech_final` once
   * it lasts max(endpointing, `tuning.hangoverMs`) (gaps between syllables are not pauses).
   */
  endpointing: number | false;
  utteranceEndMs?: number;
  vadEvents: boolean;
  punctuate: boolean;
  /** `smart_format=true`: implies punctuation of words. */
  smartFormat?: boolean;
  /** `diarize=true` (or a `diarize_model`): words carry `speaker`. */
  diarize?: boolean;
  /** `detect_entities=true`: final Results carry `entities`, empty (nothing is detected). */
  detectEntities?: boolean;
  /** The `model` query value; empty or undefined means the default (`base`). */
  model: string;
  extra?: Record<string, string>;
  recognizer: Recognizer;
  /** ISO time for Metadata.created (injected so the engine stays pure). */
  created: string;
  /**
   * `Metadata.sha256`: `'hex'` [default] = hex SHA-256 of every binary byte received (2024
   * servers), `'incomplete'` = the literal string 2026 servers send (and no hashing cost).
   */
  sha256?: 'hex' | 'incomplete';
  tuning?: EngineTuning;
}

/** A JSON-serialisable server message object, in wire key order (see protocol.md §3). */
export type OutboundMessage = { type: string } & Record<string, unknown>;

/** Why the engine gave up on a session's audio: the wire layer closes `1008` with `code` as reason. */
export interface EngineFatal {
  readonly code: 'DATA-0000';
  /** What was wrong, for logs (not sent on the wire). */
  readonly detail: string;
}

/** A pure per-connection transcription engine. */
export interface TranscriptionEngine {
  /**
   * Feed a binary frame. Returns the messages due now (Results, SpeechStarted, UtteranceEnd).
   * When the audio cannot be decoded it returns `[]` and sets `fatal`; later audio is ignored by
   * the clock (still counted in `audioBytes` and the sha256).
   */
  pushAudio(bytes: Uint8Array): OutboundMessage[];
  /**
   * Handle Finalize (channel omitted = all): for each channel with pending audio, one final with
   * `from_finalize: true` and `speech_final: false` covering the pending audio; nothing for a
   * channel without pending audio (or an unknown channel).
   */
  finalize(channel?: number): OutboundMessage[];
  /**
   * Handle CloseStream or the end of the session: for each channel with pending audio one last
   * final (`speech_final: true` unless endpointing=false; a word cut by the end of the audio ends
   * there), then the Metadata (always last). Audio pushed afterwards is ignored; a second call
   * returns only the Metadata.
   */
  close(): OutboundMessage[];
  /**
   * Only the Metadata (for a NET-0001 timeout: Metadata then close 1011). `duration` = decoded
   * audio bytes ÷ bytes per second (exact, not rounded); without decoded audio `channels` is 0 and
   * `models`/`model_info` are absent (as 2024 servers sent, protocol.md §9.6). Can be called any
   * number of times.
   */
  metadata(): OutboundMessage;
  /** Seconds of audio received so far (the audio clock). */
  readonly audioSeconds: number;
  /** Bytes of audio received so far (every binary byte, a WAV header included). */
  readonly audioBytes: number;
  /** Set once the audio turned out undecodable: close `1008` `DATA-0000`. */
  readonly fatal: EngineFatal | undefined;
}
