/**
 * The input file of `transcribe`: its audio stream, its length, and its script (a sibling
 * `<name>.words.json`, for the in-process emulator).
 */
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { readWavData, type WavAudio, type WavData } from '../audio/readWav';
import { bytesPerSecond } from '../protocol/audioFormat';
import { CliUsageError } from './failure';

/** A WAV file ready to stream. */
export interface WavInput extends WavAudio {
  /** Seconds of audio in the file. */
  readonly seconds: number;
}

/**
 * Opens a WAV file for streaming, reading it once (so `/dev/stdin`, a FIFO or `<(…)` work too):
 * throws `WavFileError` (missing, unreadable, not a WAV, unsupported format) or `CliUsageError`
 * (a chunk length shorter than one sample frame).
 */
export function openWav(path: string, chunkMs: number, pace: 'realtime' | 'fast'): WavInput {
  let wav: WavData;
  try {
    wav = readWavData(path, { chunkMs, pace });
  } catch (error) {
    if (error instanceof RangeError) throw new CliUsageError(`--chunk-ms: ${error.message}`);
    throw error;
  }
  const { format, audio$, dataBytes } = wav;
  return { format, audio$, seconds: dataBytes / bytesPerSecond(format) };
}

/** The script next to an audio file (`samples/a.wav` → `samples/a.words.json`), if there is one. */
export function siblingScript(path: string): string | undefined {
  const script = join(dirname(path), `${basename(path, extname(path))}.words.json`);
  return existsSync(script) ? script : undefined;
}
