/**
 * The whole example in one RxJS pipeline: microphone → silence gate → Deepgram, with the counters
 * the page shows. No DOM here: `main.ts` wires it to the page.
 */
import { fromMicrophone, gateSilence, transcribe, type LiveEvent } from 'deepgram-rx';
import { takeUntil, tap, type Observable } from 'rxjs';

/** What the page collected from its form and query string. */
export interface ExampleSettings {
  /** `wss://api.deepgram.com/v1/listen`, or the emulator's `ws://127.0.0.1:PORT/v1/listen`. */
  url: string;
  /** `token`: an API key; `bearer`: a short-lived JWT from your backend (what production pages use). */
  scheme: 'token' | 'bearer';
  secret: string;
  /** Audio per chunk, ms. */
  chunkMs: number;
  /** ms without audio before a KeepAlive (the gate makes these pauses). */
  keepAliveMs: number;
  model: string;
}

/** Called as audio moves, for the live counters. */
export interface PipelineProbes {
  /** The first chunk came from the microphone: it is live. */
  microphoneLive(): void;
  /** Seconds of audio that went to Deepgram (billed), so far. */
  sent(seconds: number): void;
  /** Seconds of silence the gate dropped (not billed), so far. */
  gated(seconds: number): void;
}

/**
 * Subscribing opens the microphone and the socket; `stop$` ends the audio, so that `transcribe`
 * sends `CloseStream`, waits for the last results and the `Metadata`, emits `Usage` and completes.
 * Unsubscribing instead drops everything at once (microphone released, socket closed).
 */
export function transcribeMicrophone(
  settings: ExampleSettings,
  stop$: Observable<unknown>,
  probes: PipelineProbes,
): Observable<LiveEvent> {
  const { format, audio$ } = fromMicrophone({
    sampleRate: 16000,
    chunkMs: settings.chunkMs,
    // Raw audio: noise suppression and automatic gain would lift the noise floor in pauses, which
    // keeps the silence gate open (and costs money); Deepgram's models expect the raw signal.
    audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
  });
  const bytesPerSecond = format.sample_rate * 2;
  let sentBytes = 0;
  let first = true;

  return audio$.pipe(
    tap(() => {
      if (first) probes.microphoneLive();
      first = false;
    }),
    takeUntil(stop$), // completes the audio: a graceful end (CloseStream), not an abort
    gateSilence({ ...format, onGate: (span) => probes.gated(span.totalGatedSeconds) }),
    tap((chunk) => {
      sentBytes += chunk.byteLength;
      probes.sent(sentBytes / bytesPerSecond);
    }),
    transcribe({
      url: settings.url,
      ...(settings.scheme === 'token' ? { apiKey: settings.secret } : { accessToken: settings.secret }),
      options: { ...format, model: settings.model, interim_results: true, smart_format: true },
      keepAlive: { idleMs: settings.keepAliveMs },
    }),
  );
}
