/**
 * The emulator's transcription engine: one per connection, pure (no sockets, timers, wall clock or
 * randomness). It decodes the audio it is fed (raw linear16/mulaw/alaw, or a WAV stream), runs the
 * audio clock and the energy detector, and returns the server messages due (see types.ts for the
 * contract and channelTrack.ts for the segmentation rules).
 */
import { createHash, type Hash } from 'node:crypto';
import { bytesPerSecond, type RawEncoding } from '../../protocol/audioFormat';
import { ChannelTrack, type TrackContext } from './channelTrack';
import { HeldAudio } from './contentHold';
import { FrameMeter } from './frameMeter';
import { metadataMessage, resultsMetadata } from './messageBuilders';
import { emulatedModel, type EmulatedModel } from './modelInfo';
import { frameTuning, resolveTuning } from './tuning';
import type { EngineConfig, EngineFatal, EngineTuning, OutboundMessage, TranscriptionEngine } from './types';
import { MAX_WAV_HEADER_BYTES, parseWavHeader, type WavFormat } from './wavHeader';

/** SHA-256 of no bytes (Metadata of a session without audio). */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function isRawEncoding(encoding: string): encoding is RawEncoding {
  return encoding === 'linear16' || encoding === 'mulaw' || encoding === 'alaw';
}

/** The format of raw audio from the config, or why it cannot be decoded. */
function rawFormat(config: EngineConfig): WavFormat | string {
  const encoding = config.encoding!;
  if (!isRawEncoding(encoding)) {
    return `the emulator cannot decode encoding '${encoding}' (only linear16, mulaw, alaw, or WAV without encoding)`;
  }
  const sampleRate = config.sampleRate;
  if (sampleRate === undefined || !Number.isInteger(sampleRate) || sampleRate < 1) {
    return `encoding '${encoding}' needs an integer sample_rate >= 1, got ${String(sampleRate)}`;
  }
  return { encoding, sampleRate, channels: config.channels };
}

class Engine implements TranscriptionEngine {
  audioBytes = 0;
  fatal: EngineFatal | undefined;

  private readonly tuning: Readonly<Required<EngineTuning>>;
  private readonly model: EmulatedModel;
  private readonly resultsMeta: Readonly<Record<string, unknown>>;
  private readonly hash: Hash | undefined;
  /** Decided at the first audio byte: the raw format, or why raw audio is undecodable. */
  private readonly raw: WavFormat | string | undefined;
  private format: WavFormat | undefined;
  private bytesPerSecond = 0;
  /** Audio bytes (after any header) fed to the clock. */
  private dataBytes = 0;
  /** Size of a WAV data chunk: bytes after it are not audio. */
  private dataLimit = Infinity;
  private header: Uint8Array | undefined;
  private headerLength = 0;
  /**
   * No `encoding`, and the stream is neither WAV nor a container the emulator knows: raw audio
   * sent without its format, which Deepgram transcribes as nothing (protocol.md §2.1: no
   * transcripts, `Metadata` with duration 0 and channels 0). The bytes are counted, not heard.
   */
  private unformatted = false;
  private meter: FrameMeter | undefined;
  private tracks: ChannelTrack[] = [];
  private closed = false;
  /** With a listening recognizer (`observe`): received audio the detector has not processed yet. */
  private readonly held: HeldAudio | undefined;
  /** Audio bytes the detector has processed (with `held`). */
  private meteredBytes = 0;
  /** Where the detector callback puts messages during a push. */
  private out: OutboundMessage[] = [];
  private readonly onFrame = (): void => {
    const meter = this.meter!;
    const now = meter.totalFrames;
    const speech = meter.speech;
    const tracks = this.tracks;
    for (let i = 0; i < tracks.length; i++) tracks[i]!.onFrame(now, speech[i] === 1, this.out);
  };

  constructor(private readonly config: EngineConfig) {
    this.tuning = resolveTuning(config);
    this.model = emulatedModel(config.model);
    this.resultsMeta = resultsMetadata(config.requestId, this.model, config.extra);
    this.hash = config.sha256 === 'incomplete' ? undefined : createHash('sha256');
    this.raw = config.encoding === undefined ? undefined : rawFormat(config);
    this.held = config.recognizer.observe === undefined ? undefined : new HeldAudio();
  }

  get audioSeconds(): number {
    return this.format === undefined ? 0 : this.dataBytes / this.bytesPerSecond;
  }

  pushAudio(bytes: Uint8Array): OutboundMessage[] {
    if (this.closed || bytes.length === 0) return [];
    this.audioBytes += bytes.length;
    this.hash?.update(bytes);
    if (this.fatal !== undefined || this.unformatted) return [];
    const out: OutboundMessage[] = [];
    this.out = out;
    if (this.format !== undefined) {
      this.feed(bytes, 0, bytes.length);
    } else if (typeof this.raw === 'string') {
      this.fatal = { code: 'DATA-0000', detail: this.raw };
    } else if (this.raw !== undefined) {
      this.start(this.raw);
      this.feed(bytes, 0, bytes.length);
    } else {
      this.readHeader(bytes);
    }
    return out;
  }

  finalize(channel?: number): OutboundMessage[] {
    const meter = this.meter;
    if (this.closed || meter === undefined) return [];
    const out: OutboundMessage[] = [];
    this.out = out;
    this.releaseAll();
    this.tracks.forEach((track, i) => {
      if (channel === undefined || channel === i) track.finalize(meter.totalFrames, out);
    });
    return out;
  }

  close(): OutboundMessage[] {
    if (this.closed) return [this.metadata()];
    this.closed = true;
    const out: OutboundMessage[] = [];
    const meter = this.meter;
    this.out = out;
    if (meter !== undefined) this.releaseAll();
    if (meter !== undefined) for (const track of this.tracks) track.close(meter.totalFrames, out);
    out.push(this.metadata());
    return out;
  }

  metadata(): OutboundMessage {
    const processed = this.dataBytes > 0 && this.format !== undefined;
    let sha256 = 'incomplete';
    if (this.hash !== undefined)
      sha256 = this.audioBytes === 0 ? EMPTY_SHA256 : this.hash.copy().digest('hex');
    return metadataMessage({
      requestId: this.config.requestId,
      sha256,
      created: this.config.created,
      duration: this.audioSeconds,
      channels: processed ? this.format!.channels : 0,
      model: processed ? this.model : undefined,
      extra: this.config.extra,
    });
  }

  /** Collects header bytes until a WAV header is complete, then feeds the rest as audio. */
  private readHeader(bytes: Uint8Array): void {
    const streamOffset = this.headerLength;
    const take = Math.min(bytes.length, MAX_WAV_HEADER_BYTES - this.headerLength);
    if (this.header === undefined || this.header.length < this.headerLength + take) {
      const grown = new Uint8Array(
        Math.min(MAX_WAV_HEADER_BYTES, Math.max(64, (this.headerLength + take) * 2)),
      );
      if (this.header !== undefined) grown.set(this.header.subarray(0, this.headerLength));
      this.header = grown;
    }
    this.header.set(bytes.subarray(0, take), this.headerLength);
    this.headerLength += take;
    const parsed = parseWavHeader(this.header, this.headerLength);
    if (parsed.kind === 'more') {
      if (this.headerLength >= MAX_WAV_HEADER_BYTES) {
        this.fatal = {
          code: 'DATA-0000',
          detail: `no WAV data chunk within the first ${MAX_WAV_HEADER_BYTES} bytes`,
        };
      }
      return;
    }
    const header = this.header;
    this.header = undefined;
    if (parsed.kind === 'error') {
      const container = parsed.notRiff ? containerOf(header, this.headerLength) : undefined;
      if (parsed.notRiff && container === undefined) this.unformatted = true;
      else
        this.fatal = {
          code: 'DATA-0000',
          detail: container === undefined ? parsed.detail : `${container}: the emulator decodes only WAV`,
        };
      return;
    }
    this.dataLimit = parsed.dataBytes ?? Infinity;
    this.start(parsed.format);
    // The data chunk header was incomplete before this chunk, so the audio starts inside it.
    const first = parsed.dataOffset - streamOffset;
    this.feed(bytes, first, bytes.length - first);
  }

  private start(format: WavFormat): void {
    this.format = format;
    this.bytesPerSecond = bytesPerSecond({
      encoding: format.encoding,
      sample_rate: format.sampleRate,
      channels: format.channels,
    });
    const perChannel = this.config.multichannel && format.channels > 1;
    const tuning = frameTuning(this.tuning, this.config.endpointing, format.sampleRate);
    this.meter = new FrameMeter({
      encoding: format.encoding,
      channels: format.channels,
      perChannel,
      frameLength: tuning.frameLength,
      thresholdDbfs: tuning.thresholdDbfs,
    });
    const context: TrackContext = {
      tuning,
      interimResults: this.config.interimResults,
      vadEvents: this.config.vadEvents,
      punctuate: this.config.punctuate || this.config.smartFormat === true,
      diarize: this.config.diarize === true,
      detectEntities: this.config.detectEntities === true,
      utteranceEndSeconds:
        this.config.utteranceEndMs === undefined ? undefined : this.config.utteranceEndMs / 1000,
      recognizer: this.config.recognizer,
      metadata: this.resultsMeta,
    };
    const total = perChannel ? format.channels : 1;
    for (let i = 0; i < total; i++) this.tracks.push(new ChannelTrack(context, i, total));
  }

  private feed(bytes: Uint8Array, offset: number, length: number): void {
    const n = Math.min(length, this.dataLimit - this.dataBytes);
    if (n <= 0) return;
    const clockStart = this.dataBytes / this.bytesPerSecond;
    this.dataBytes += n;
    const held = this.held;
    if (held === undefined) {
      this.meter!.push(bytes, offset, n, this.onFrame);
      return;
    }
    this.config.recognizer.observe!(bytes.subarray(offset, offset + n), clockStart);
    held.append(bytes, offset, n);
    const settled = this.config.recognizer.settledSeconds?.() ?? Infinity;
    const limit = Math.floor(settled * this.bytesPerSecond + 1e-6);
    this.release(Math.min(held.length, limit - this.meteredBytes));
  }

  /** Decides every word received (Finalize, close) and processes all the held audio. */
  private releaseAll(): void {
    if (this.held === undefined) return;
    this.config.recognizer.flush?.();
    this.release(this.held.length);
  }

  /** Runs the detector over the `count` oldest held bytes. */
  private release(count: number): void {
    const held = this.held!;
    if (!(count > 0)) return;
    this.meter!.push(held.bytes, held.offset, count, this.onFrame);
    held.consume(count);
    this.meteredBytes += count;
  }
}

/**
 * Creates the transcription engine of one emulator connection (see types.ts for how the wire layer
 * drives it).
 *
 * @param config - the session's settings from its validated query, its recognizer and request id
 * @throws RangeError when the config is not well formed (channels < 1, endpointing < 0,
 *   utteranceEndMs <= 0, a tuning value out of range); undecodable audio is not thrown but reported
 *   through `engine.fatal`
 * @example
 * ```ts
 * import { createEngine, silentRecognizer } from './engine';
 * const engine = createEngine({
 *   requestId: '0caee309-30e3-4bf1-9bcc-478437df5c9d', created: new Date().toISOString(),
 *   encoding: 'linear16', sampleRate: 16000, channels: 1, multichannel: false,
 *   interimResults: true, endpointing: 300, vadEvents: true, punctuate: true, model: 'nova-3',
 *   recognizer: silentRecognizer,
 * });
 * for (const message of engine.pushAudio(chunk)) socket.send(JSON.stringify(message));
 * ```
 */
export function createEngine(config: EngineConfig): TranscriptionEngine {
  return new Engine(config);
}

/** Container signatures at the start of a stream (none of them can begin raw 16-bit or G.711 audio by chance as easily as they begin a file of that kind). */
const CONTAINERS: readonly {
  readonly name: string;
  readonly at: number;
  readonly bytes: readonly number[];
}[] = [
  { name: 'an Ogg stream (Opus, Vorbis)', at: 0, bytes: [0x4f, 0x67, 0x67, 0x53] },
  { name: 'a FLAC stream', at: 0, bytes: [0x66, 0x4c, 0x61, 0x43] },
  { name: 'an MP3 stream (ID3)', at: 0, bytes: [0x49, 0x44, 0x33] },
  { name: 'a WebM/Matroska stream', at: 0, bytes: [0x1a, 0x45, 0xdf, 0xa3] },
  { name: 'an MP4/M4A stream', at: 4, bytes: [0x66, 0x74, 0x79, 0x70] },
  { name: 'an AIFF stream', at: 0, bytes: [0x46, 0x4f, 0x52, 0x4d] },
];

/** The container whose signature `header` starts with, if any. */
function containerOf(header: Uint8Array | undefined, length: number): string | undefined {
  if (header === undefined) return undefined;
  for (const { name, at, bytes } of CONTAINERS) {
    if (at + bytes.length <= length && bytes.every((byte, i) => header[at + i] === byte)) return name;
  }
  return undefined;
}
