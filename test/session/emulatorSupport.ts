/**
 * Helpers of the transcribe() tests against the emulator on loopback (real `ws`, real time).
 */
import { lastValueFrom, toArray, type Observable } from 'rxjs';
import { readWav } from '../../src/audio/readWav';
import type { LiveEvent } from '../../src/session/liveEvent';
import { startEmulator, type Emulator, type EmulatorConfig } from '../../src/server';

export const SAMPLE_WAV = 'samples/pauses-16k.wav';
export const SAMPLE_WORDS = 'samples/pauses-16k.words.json';
/** linear16 16 kHz mono. */
export const PCM = { encoding: 'linear16', sample_rate: 16000 } as const;
/** The key every emulator of these tests enforces, and every client sends (unless testing a wrong key). */
export const KEY = 'dg-e2e-secret-key-7f3a9c1e5b';

const emulators: Emulator[] = [];

/** Starts an emulator that enforces {@link KEY}; it is closed after the test. */
export async function emulator(config: EmulatorConfig = {}): Promise<Emulator> {
  const started = await startEmulator({ apiKey: KEY, ...config });
  emulators.push(started);
  return started;
}

/** Closes every emulator started by the test (call in afterEach). */
export async function closeEmulators(): Promise<void> {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
}

/** How a stream ended, with every event it emitted. */
export interface Outcome {
  readonly events: LiveEvent[];
  readonly completed: boolean;
  readonly error?: unknown;
}

/** Subscribes and resolves when the stream ends (never rejects). */
export function outcome(events$: Observable<LiveEvent>): Promise<Outcome> {
  const events: LiveEvent[] = [];
  return new Promise((resolve) => {
    events$.subscribe({
      next: (event) => events.push(event),
      error: (error: unknown) => resolve({ events, completed: false, error }),
      complete: () => resolve({ events, completed: true }),
    });
  });
}

/** Every text a user could see: the events as JSON, the error's message, stack and own fields. */
export function visibleText(result: Outcome): string {
  const { error } = result;
  const errorText =
    error instanceof Error
      ? [error.message, error.stack ?? '', JSON.stringify({ ...error })].join('\n')
      : String(error);
  return `${JSON.stringify(result.events)}\n${errorText}`;
}

/** `ms` of linear16 16 kHz mono silence. */
export function silence(ms: number): Uint8Array {
  return new Uint8Array((ms * 32000) / 1000);
}

/** Every chunk of the sample (100 ms each), read at once. */
export async function sampleChunks(): Promise<Uint8Array[]> {
  return lastValueFrom(readWav(SAMPLE_WAV, { pace: 'fast' }).audio$.pipe(toArray()));
}

/** The types of the events, in order. */
export function types(events: readonly LiveEvent[]): string[] {
  return events.map((event) => event.type);
}
