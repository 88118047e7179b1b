/**
 * `fromMicrophone`: the browser's microphone as a cold stream of `linear16` chunks, ready for
 * `transcribe` (browsers only; isomorphic to import).
 */
import { Observable } from 'rxjs';
import {
  resolveMicrophoneConfig,
  type MicrophoneConfig,
  type MicrophoneFormat,
  type ResolvedMicrophoneConfig,
} from './microphoneConfig';
import { MicrophoneError, microphoneError, toMicrophoneError } from './microphoneError';
import { createMicrophonePipeline } from './microphonePipeline';
import {
  browserPlatform,
  type CaptureGraph,
  type ContextLike,
  type MicrophonePlatform,
  type StreamLike,
  type TrackLike,
} from './microphonePlatform';

export type { MicrophoneConfig, MicrophoneFormat } from './microphoneConfig';
export type { MicrophoneConstraints } from './microphonePlatform';
export { MicrophoneError, type MicrophoneErrorKind } from './microphoneError';

/** What `fromMicrophone` returns: the chunks' format (for `LiveOptions` and `gateSilence`) and the audio. */
export interface Microphone {
  /** `{ encoding: 'linear16', sample_rate, channels: 1 }`, known before anything subscribes. */
  readonly format: MicrophoneFormat;
  /** Cold: every subscription opens the microphone; unsubscribing releases it. */
  readonly audio$: Observable<Uint8Array>;
}

/**
 * Streams the browser's microphone as 16-bit little-endian PCM (`linear16`), mono, at a chosen
 * sample rate, in chunks of `chunkMs`: `getUserMedia` → an AudioWorklet (shipped inside the library,
 * loaded from a Blob URL) → resampled from the device's rate → converted with clipping → chunked.
 *
 * ```text
 * chunkMs 100, sampleRate 16000:
 * subscribe ──(permission, device, worklet)── a 100ms b 100ms c …      each chunk: 3200 bytes
 * unsubscribe ───────────────────────────────────────────────────^     tracks stopped, context closed
 * error:       X  MicrophoneError('permission-denied' | 'no-device' | 'device-busy' | 'unsupported' | 'audio-setup' | 'ended')
 * ```
 *
 * - Call time: validates the config (a `RangeError`/`TypeError` naming the option) and returns the
 *   `format` at once; nothing is opened until a subscription. Safe to call in SSR or Node.
 * - Subscription: makes an `AudioContext` synchronously (subscribe from a click handler so the
 *   browser's autoplay policy lets it run), asks for the microphone, loads the worklet, and emits
 *   every `chunkMs` of captured audio as a new `Uint8Array` you own (`round(sampleRate × chunkMs /
 *   1000)` samples). Stereo devices are mixed down to mono. Chunk boundaries follow the audio,
 *   not a timer: a chunk is emitted when its last sample arrives.
 * - Never completes by itself. Unsubscribe (or `takeUntil(stop$)`, which also completes the stream
 *   so that `transcribe` sends `CloseStream`) stops every track (the browser's recording indicator
 *   goes off), disconnects the nodes and closes the AudioContext. Samples of an unfinished chunk
 *   (less than `chunkMs`) are dropped then. Unsubscribing while the permission prompt is open
 *   releases the microphone as soon as it is granted.
 * - Errors are {@link MicrophoneError}s, after everything is released: `permission-denied`,
 *   `no-device`, `device-busy`, `unsupported` (no `getUserMedia`/Web Audio, e.g. not a secure
 *   context), `audio-setup` (the worklet did not load, e.g. a CSP without `blob:` in `script-src`),
 *   `ended` (the device went away while streaming).
 *
 * @param config - `sampleRate` (default 16000), `chunkMs` (default 100), `audio` track constraints
 * @throws RangeError when `sampleRate` is not an integer from 8000 to 96000 or `chunkMs` is not from 10 to 1000
 * @example
 * ```ts
 * import { fromMicrophone, gateSilence, transcribe, ofType } from 'deepgram-rx';
 * import { fromEvent, takeUntil } from 'rxjs';
 *
 * const { format, audio$ } = fromMicrophone({ sampleRate: 16000, chunkMs: 100 });
 * audio$
 *   .pipe(
 *     takeUntil(fromEvent(stopButton, 'click')),
 *     gateSilence(format),
 *     transcribe({ url, accessToken: () => fetchToken(), options: { ...format, interim_results: true } }),
 *     ofType('Results'),
 *   )
 *   .subscribe((results) => render(results.channel.alternatives[0]?.transcript ?? ''));
 * ```
 */
export function fromMicrophone(config?: MicrophoneConfig): Microphone {
  const resolved = resolveMicrophoneConfig(config);
  return {
    format: { encoding: 'linear16', sample_rate: resolved.sampleRate, channels: 1 },
    audio$: microphoneAudio(resolved, browserPlatform),
  };
}

/**
 * The stream behind `fromMicrophone`, over any platform (tests pass fakes). `platform` is called at
 * each subscription; if it throws, the stream errors with what it threw (mapped to a
 * `MicrophoneError`).
 */
export function microphoneAudio<C extends ContextLike, S extends StreamLike>(
  config: ResolvedMicrophoneConfig,
  platform: () => MicrophonePlatform<C, S>,
): Observable<Uint8Array> {
  return new Observable<Uint8Array>((subscriber) => {
    let released = false;
    let context: C | undefined;
    let stream: S | undefined;
    let graph: CaptureGraph | undefined;
    let track: TrackLike | undefined;

    // Errors come after everything is released (the subscriber may start over at once).
    const fail = (error: MicrophoneError): void => {
      release();
      subscriber.error(error);
    };
    const onEnded = (): void => fail(microphoneError('ended'));

    const stopTracks = (s: S): void => {
      for (const t of s.getTracks()) t.stop();
    };

    const release = (): void => {
      if (released) return;
      released = true;
      track?.removeEventListener('ended', onEnded);
      graph?.disconnect();
      if (stream !== undefined) stopTracks(stream);
      if (context !== undefined && context.state !== 'closed') {
        context.close().catch(() => undefined); // closing twice or during teardown: nothing to do
      }
    };

    const start = async (p: MicrophonePlatform<C, S>, ctx: C): Promise<void> => {
      let granted: S;
      try {
        granted = await p.getUserMedia(config.audio);
      } catch (error) {
        throw toMicrophoneError(error, 'no-device');
      }
      if (released) {
        stopTracks(granted); // unsubscribed while the prompt was open
        return;
      }
      stream = granted;
      track = granted.getAudioTracks()[0];
      if (track === undefined) throw microphoneError('no-device', new Error('the stream has no audio track'));
      track.addEventListener('ended', onEnded);
      try {
        await p.loadProcessor(ctx);
        if (released) return;
        graph = p.connect(ctx, granted);
      } catch (error) {
        // Not a getUserMedia error: whatever its name (a CSP without blob: in script-src makes
        // addModule reject with an AbortError), the worklet could not be set up.
        throw error instanceof MicrophoneError ? error : microphoneError('audio-setup', error);
      }
      const pipeline = createMicrophonePipeline({
        inputRate: ctx.sampleRate,
        sampleRate: config.sampleRate,
        chunkMs: config.chunkMs,
      });
      graph.onSamples((samples) => {
        if (released) return;
        for (const chunk of pipeline.push(samples)) subscriber.next(chunk);
      });
      // Pending until the autoplay policy allows audio (a user gesture); audio flows from then on.
      if (ctx.state === 'suspended') ctx.resume().catch(() => undefined);
    };

    try {
      const p = platform();
      context = p.createContext();
      start(p, context).catch((error: unknown) => {
        if (!released) fail(toMicrophoneError(error, 'audio-setup'));
      });
    } catch (error) {
      fail(toMicrophoneError(error, 'audio-setup'));
    }
    return release;
  });
}
