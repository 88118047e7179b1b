import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { bytesPerSample } from '../protocol/audioFormat';
import { subscribeLinked } from '../protocol/subscribeLinked';
import {
  resolveGateSilenceConfig,
  type GateSilenceConfig,
  type GateSilenceSettings,
} from './gateSilenceConfig';
import { SilenceGate, type GateSink } from './gateSilenceGate';
import { SilenceDetector } from './silenceDetector';

export { GATE_SILENCE_DEFAULTS } from './gateSilenceConfig';
export type { GateSilenceConfig, GatedSpan } from './gateSilenceConfig';

/** Length of an analysis frame. 10 ms matches Deepgram's default `endpointing` resolution. */
const FRAME_MS = 10;

/**
 * Drops the silent stretches of a raw audio stream so they are not billed (Deepgram bills every
 * second of audio it receives, silence included), keeping `prerollMs` before every onset and
 * `hangoverMs` after the last speech so word edges and Deepgram's endpointing are untouched.
 * Compose it with `withKeepAlive`, which keeps the socket open during the dropped pauses.
 *
 * ```text
 * prerollMs 200, hangoverMs 300, 100 ms chunks; s = silent chunk, S = chunk with speech
 * chunk:    1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19
 * source:   s  s  s  s  s  S  S  s  s  s  s  s  s  S  s  s  s  s  s |
 * output:                 pS  S  s  s  s          pS  s  s  s        |
 * dropped:  1-3 (reported at 6)       11 (at 14)              18-19 (at |)
 * p = ONE new chunk holding a copy of chunks 4-5 (resp. 12-13), emitted just before the S
 * ```
 *
 * Semantics:
 * - Energy detection on 10 ms analysis frames cut from the byte stream independently of the chunk
 *   boundaries (any chunk size works, even chunks that split a sample or a multi-channel frame); a
 *   frame is speech when any channel's RMS level is ≥ `thresholdDbfs`. Per chunk it allocates nothing.
 * - A chunk in which a speech frame completes, or that starts less than `hangoverMs` after the end
 *   of the latest speech frame, is emitted at once, the same reference. Other chunks are held: copied into a ring (so sources that reuse their buffers are safe). When
 *   speech starts, the held bytes from `prerollMs` before the first speech frame are emitted first,
 *   as ONE new `Uint8Array`, then the chunk; older held bytes are dropped. Every speech frame is sent
 *   in full; a dropped span followed by more audio starts and ends on sample-frame boundaries, so the
 *   output keeps its sample and channel alignment.
 * - Gated spans are reported through `onGate` (seconds of the source; see {@link GatedSpan}); emitted
 *   bytes plus reported spans always add up to the source.
 * - Completion: held bytes are silence, so they are dropped (reported to `onGate`), then the output
 *   completes; except a last analysis frame cut short by the end whose samples reach the threshold
 *   (a word cut off), which is sent with its preroll. Errors: the same, then the error is forwarded. Unsubscribing unsubscribes the source,
 *   drops what is held and reports nothing more.
 * - A chunk, completion or error that the source sends while the gate is emitting (from inside a
 *   subscriber's `next` or `onGate`) is handled right after, so the output keeps the source's order.
 * - Decisions are made on the audio itself, never on time: no timer, no scheduler, synchronous.
 *   (Built on `new Observable` rather than a chain of operators: it emits 0..n chunks per input from
 *   per-subscription state, and a per-chunk inner Observable would allocate.)
 * - Zero-length chunks are never emitted. A chunk that is not a `Uint8Array` errors the stream with a
 *   `TypeError`; invalid config throws a `TypeError`/`RangeError` naming the option when called.
 *
 * @param config - audio format (`encoding`, `sample_rate`, `channels`), `thresholdDbfs` (default -50),
 *   `prerollMs` (default 300), `hangoverMs` (default 500), optional `onGate` callback
 * @throws TypeError when `config` is not an object or an option has the wrong type
 * @throws RangeError when `encoding` is unknown, `sample_rate`/`channels` are not positive integers
 *   (or so large that the preroll buffer would exceed 256 MiB), `thresholdDbfs` is not finite or
 *   > 0, `prerollMs`/`hangoverMs` are not finite or < 0
 * @example
 * ```ts
 * import { gateSilence, withKeepAlive } from 'deepgram-rx';
 *
 * let gatedSeconds = 0;
 * const frames$ = microphone$ // Observable<Uint8Array>, linear16 16 kHz mono
 *   .pipe(
 *     gateSilence({
 *       encoding: 'linear16',
 *       sample_rate: 16000,
 *       onGate: (span) => (gatedSeconds = span.totalGatedSeconds),
 *     }),
 *     withKeepAlive(), // KeepAlive while the gate holds the audio back
 *   );
 * frames$.subscribe((frame) => socket.send(frame));
 * ```
 */
export function gateSilence(config: GateSilenceConfig): MonoTypeOperatorFunction<Uint8Array> {
  const settings = resolveGateSilenceConfig(config);
  return (audio$) =>
    new Observable<Uint8Array>((subscriber) => {
      const gate = createGate(settings, (chunk) => subscriber.next(chunk));
      const fail = (error: unknown): void => subscriber.error(error);
      // What the source sends while the gate is busy (from inside a subscriber's `next` or
      // `onGate`) waits, so that output keeps the source's order and the gate its state.
      let busy = false;
      let waiting: Array<Uint8Array | SourceEnd> | undefined;
      const end = (signal: SourceEnd): void => {
        if (signal.error === undefined) {
          try {
            gate.finish();
          } catch (error) {
            fail(error);
            return;
          }
          subscriber.complete();
          return;
        }
        try {
          gate.finish();
        } catch {
          // The source's error is the one to report; a failing onGate must not hide it.
        }
        fail(signal.error.value);
      };
      const run = (input: Uint8Array | SourceEnd): void => {
        if (busy) {
          (waiting ??= []).push(input);
          return;
        }
        busy = true;
        try {
          let next: Uint8Array | SourceEnd | undefined = input;
          while (next !== undefined && !subscriber.closed) {
            if (next instanceof SourceEnd) end(next);
            else gate.push(next);
            next = waiting?.shift();
          }
        } catch (error) {
          fail(error);
        } finally {
          busy = false;
          waiting = undefined;
        }
      };
      subscribeLinked(audio$, subscriber, {
        next: (chunk) => {
          if (subscriber.closed) return;
          if (!isUint8Array(chunk)) {
            // As a source error: the held audio is reported (onGate) before the stream errors.
            const error = new TypeError(
              `gateSilence: expected a Uint8Array audio chunk, got ${describeChunk(chunk)}`,
            );
            run(new SourceEnd({ value: error }));
            return;
          }
          run(chunk);
        },
        error: (error: unknown) => run(new SourceEnd({ value: error })),
        complete: () => run(new SourceEnd()),
      });
    });
}

/** The end of the source: completion (no `error`) or an error (its value). */
class SourceEnd {
  constructor(readonly error?: { readonly value: unknown }) {}
}

function createGate(settings: GateSilenceSettings, emit: (chunk: Uint8Array) => void): SilenceGate {
  const { encoding, sampleRate, channels, thresholdDbfs, prerollMs, hangoverMs, onGate } = settings;
  const detector = new SilenceDetector({ encoding, sampleRate, channels, thresholdDbfs, frameMs: FRAME_MS });
  const blockAlign = bytesPerSample(encoding) * channels;
  const bytesPerSecond = blockAlign * sampleRate;
  const msToBytes = (ms: number): number => Math.round((ms * sampleRate) / 1000) * blockAlign;
  let gatedBytes = 0;
  const sink: GateSink = {
    emit,
    gated: (from, to) => {
      const sentBefore = from - gatedBytes;
      gatedBytes += to - from;
      onGate?.({
        from: from / bytesPerSecond,
        to: to / bytesPerSecond,
        sentBefore: sentBefore / bytesPerSecond,
        totalGatedSeconds: gatedBytes / bytesPerSecond,
      });
    },
  };
  return new SilenceGate(
    detector,
    { prerollBytes: msToBytes(prerollMs), hangoverBytes: msToBytes(hangoverMs), blockAlign },
    sink,
  );
}

function isUint8Array(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || Object.prototype.toString.call(value) === '[object Uint8Array]';
}

function describeChunk(value: unknown): string {
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' ? 'a string' : String(value);
  return Object.prototype.toString.call(value).slice(8, -1);
}
