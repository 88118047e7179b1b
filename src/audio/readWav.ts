/**
 * `readWav`: a WAV file as a cold stream of raw audio chunks, paced like a live source (Node only).
 */
import { readFileSync } from 'node:fs';
import {
  concatMap,
  defer,
  ignoreElements,
  map,
  range,
  timer,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import { bytesPerSample } from '../protocol/audioFormat';
import { schedulerOption } from '../protocol/schedulerOption';
import { WavFileError } from './wavFileError';
import { parseWav, type WavFormat } from './wavHeader';

/** How `readWav` chunks and paces the audio. */
export interface ReadWavConfig {
  /** Audio per chunk in milliseconds (default 100); finite, > 0 and at least one sample frame long. */
  chunkMs?: number;
  /** `'realtime'` (default): chunk `i` at `i * chunkMs`; `'fast'`: as fast as the event loop allows. */
  pace?: 'realtime' | 'fast';
  /** Where the timers run (default `asyncScheduler`); pass a `TestScheduler` in marble tests. */
  scheduler?: SchedulerLike;
}

/** What `readWav` returns: the file's raw format (ready for `LiveOptions`) and its audio. */
export interface WavAudio {
  /** `encoding`, `sample_rate` and `channels` exactly as Deepgram's query parameters take them. */
  readonly format: WavFormat;
  /** The `data` chunk in chunks of whole sample frames; cold: every subscription replays the file. */
  readonly audio$: Observable<Uint8Array>;
}

/** Default chunk length: 100 ms, a common microphone buffer and a good WebSocket frame size. */
const DEFAULT_CHUNK_MS = 100;
/** `pace: 'fast'` emits at most about this many bytes per macrotask, so large files never block the event loop. */
const FAST_BATCH_BYTES = 256 * 1024;

function readFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException | null)?.code;
    if (code === 'ENOENT') {
      throw new WavFileError('not-found', path, `${path}: no such file`, undefined, { cause });
    }
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new WavFileError('unreadable', path, `${path}: cannot read the file (${reason})`, undefined, {
      cause,
    });
  }
}

/**
 * Reads a WAV file and streams its samples as raw audio chunks, paced like a live microphone, ready
 * for `transcribe` (its `format` goes straight into `LiveOptions`).
 *
 * Supported: PCM 16-bit (`linear16`), mu-law 8-bit (`mulaw`) and A-law 8-bit (`alaw`), any sample
 * rate and channel count, plain or WAVE_FORMAT_EXTENSIBLE. Only the header is interpreted; the
 * samples are sent exactly as stored (the WAV header itself is never emitted).
 *
 * ```text
 * pace 'realtime', chunkMs 100, 250 ms of audio:
 * audio$:  a 99ms b 99ms (c|)      a, b: 100 ms of audio each, c: the last 50 ms
 *
 * pace 'fast':
 * audio$:  (abc|)                  in batches of ~256 KiB, one macrotask per batch
 * ```
 *
 * - Call time: the file is read and its header validated at once, so a missing file, a non-WAV
 *   file or an unsupported format throws a {@link WavFileError} (naming the file and the format)
 *   before anything subscribes. An invalid `chunkMs` or `pace` throws a `RangeError`.
 * - Chunks: each holds `chunkMs` of audio in whole sample frames (a sample or a multi-channel frame
 *   is never split); when `chunkMs` is not a whole number of frames, chunk boundaries are rounded
 *   so chunk `i` starts at frame `round(i * chunkMs * sample_rate / 1000)` and the chunks never
 *   drift from the audio clock. The last chunk may be shorter; a trailing partial frame in the file
 *   is dropped. The concatenation of all chunks is the `data` chunk.
 * - Every chunk is a fresh copy with its own `ArrayBuffer`: keep it, mutate it or transfer it.
 * - `'realtime'`: chunk `i` is emitted at `i * chunkMs` after subscribing (the first at 0, on the
 *   scheduler, never synchronously); each delay is computed against the subscription time, so
 *   late timers do not accumulate drift. Completes right after the last chunk.
 * - `'fast'`: every chunk as soon as possible, still asynchronously: about 256 KiB of chunks per
 *   macrotask, then the next batch on the scheduler, so a large file never blocks the event loop.
 * - Cold: each subscription replays the file from the start with its own clock. Unsubscribing
 *   cancels the pending timer. A file with no audio completes (asynchronously) without emitting.
 *
 * @param path - the WAV file
 * @param config - `chunkMs` (default 100), `pace` (default `'realtime'`), `scheduler`
 * @throws WavFileError when the file is missing, unreadable, not a WAV, or in an unsupported format
 * @throws RangeError when `chunkMs` is not finite and > 0, is shorter than one sample frame, or `pace` is unknown
 * @throws TypeError when `scheduler` is not an rxjs `SchedulerLike`
 * @example
 * ```ts
 * import { nodeWebSocket, readWav } from 'deepgram-rx/node';
 * import { transcribe } from 'deepgram-rx';
 *
 * const { format, audio$ } = readWav('samples/pauses-16k.wav');
 * audio$
 *   .pipe(
 *     transcribe({
 *       apiKey: process.env.DEEPGRAM_API_KEY,
 *       webSocket: nodeWebSocket(), // the default in Node (ws); explicit here
 *       options: { ...format, interim_results: true },
 *     }),
 *   )
 *   .subscribe((event) => console.log(event.type));
 * ```
 */
export function readWav(path: string, config: ReadWavConfig = {}): WavAudio {
  const { format, audio$ } = readWavData(path, config);
  return { format, audio$ };
}

/** What {@link readWavData} returns: {@link readWav}'s result and the size of the audio. */
export interface WavData extends WavAudio {
  /** Bytes in the file's `data` chunk. */
  readonly dataBytes: number;
}

/**
 * {@link readWav} plus the size of the `data` chunk, from the same single read of the file (a pipe
 * such as `/dev/stdin` can be read only once). Not part of the package API.
 *
 * @throws as {@link readWav}
 */
export function readWavData(path: string, config: ReadWavConfig = {}): WavData {
  const chunkMs = config.chunkMs ?? DEFAULT_CHUNK_MS;
  if (typeof chunkMs !== 'number' || !Number.isFinite(chunkMs) || chunkMs <= 0) {
    throw new RangeError(`readWav: chunkMs must be a finite number > 0, got ${String(chunkMs)}`);
  }
  const pace = config.pace ?? 'realtime';
  if (pace !== 'realtime' && pace !== 'fast') {
    throw new RangeError(`readWav: pace must be 'realtime' or 'fast', got ${String(pace)}`);
  }
  const scheduler = schedulerOption('readWav', config.scheduler);

  const { format, data } = parseWav(readFile(path), path);
  const frameBytes = bytesPerSample(format.encoding) * format.channels;
  const totalFrames = data.length / frameBytes;
  const framesPerChunk = (chunkMs * format.sample_rate) / 1000;
  if (framesPerChunk < 1) {
    throw new RangeError(
      `readWav: chunkMs ${chunkMs} is shorter than one sample frame of ${path} (${1000 / format.sample_rate} ms)`,
    );
  }

  /** First frame of chunk `i` (monotonic; consecutive boundaries differ by at least one frame). */
  const boundary = (i: number): number =>
    Math.min(totalFrames, Math.round((i * chunkMs * format.sample_rate) / 1000));
  let chunkCount = Math.ceil(totalFrames / framesPerChunk);
  while (chunkCount > 0 && boundary(chunkCount - 1) >= totalFrames) chunkCount--;
  while (boundary(chunkCount) < totalFrames) chunkCount++;
  const chunk = (i: number): Uint8Array => data.slice(boundary(i) * frameBytes, boundary(i + 1) * frameBytes);

  let audio$: Observable<Uint8Array>;
  if (chunkCount === 0) {
    audio$ = timer(0, scheduler).pipe(ignoreElements());
  } else if (pace === 'realtime') {
    audio$ = defer(() => {
      const start = scheduler.now();
      return range(0, chunkCount).pipe(
        concatMap((i) =>
          timer(Math.max(0, start + i * chunkMs - scheduler.now()), scheduler).pipe(map(() => chunk(i))),
        ),
      );
    });
  } else {
    const perBatch = Math.max(1, Math.floor(FAST_BATCH_BYTES / (framesPerChunk * frameBytes)));
    audio$ = range(0, Math.ceil(chunkCount / perBatch)).pipe(
      concatMap((batch) =>
        timer(0, scheduler).pipe(
          concatMap(() => range(batch * perBatch, Math.min(perBatch, chunkCount - batch * perBatch))),
          map((i) => chunk(i)),
        ),
      ),
    );
  }
  return { format, audio$, dataBytes: data.length };
}
