/** Shared helpers of the transcribe() tests: audio chunks, the fake's constants, error summaries, transcribe on the fake. */
import { catchError, of, type Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { LiveError } from '../../src/socket/liveError';
import { AudioBufferOverflowError } from '../../src/session/audioBufferOverflowError';
import type { LiveEvent } from '../../src/session/liveEvent';
import { transcribe } from '../../src/session/transcribe';
import type { TranscribeConfig } from '../../src/session/transcribeConfig';
import type { FakeDeepgram } from '../../src/testing/fakeDeepgram';

/** linear16 16 kHz mono: 32000 bytes per second. */
export const OPTIONS = { encoding: 'linear16', sample_rate: 16000 } as const;
export const URL = 'wss://fake.test/v1/listen';
/** The fake's request id of its first connection. */
export const RID = '00000000-0000-4000-8000-000000000001';
export const OPEN: LiveEvent = { type: 'Open', requestId: RID, attempt: 1 };

/** `ms` of linear16 16 kHz mono audio, every byte `fill` (distinct fills tell chunks apart). */
export function chunk(ms: number, fill = 1): Uint8Array {
  return new Uint8Array((ms * 32000) / 1000).fill(fill);
}

/** `ms` of a loud square wave (speech for gateSilence). */
export function loud(ms: number): Uint8Array {
  const samples = (ms * 16000) / 1000;
  const view = new DataView(new ArrayBuffer(samples * 2));
  for (let i = 0; i < samples; i++) view.setInt16(i * 2, Math.floor(i / 8) % 2 === 0 ? 8000 : -8000, true);
  return new Uint8Array(view.buffer);
}

/** A summary of an error that marbles can compare. */
export type ErrorSummary = Record<string, unknown>;

export function summary(error: unknown): ErrorSummary {
  if (error instanceof LiveError) {
    return {
      error: 'LiveError',
      kind: error.kind,
      code: error.code,
      closeCode: error.closeCode,
      status: error.status,
    };
  }
  if (error instanceof AudioBufferOverflowError) {
    return { error: error.name, waitingFor: error.waitingFor, bufferedBytes: error.bufferedBytes };
  }
  return { error: error instanceof Error ? error.name : String(error) };
}

/** Ends the stream with a summary of its error as a last value, so marbles can compare it. */
export function summarised(source: Observable<LiveEvent>): Observable<LiveEvent | ErrorSummary> {
  return source.pipe(catchError((error: unknown) => of(summary(error))));
}

export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/**
 * `transcribe` against a fake server on the test's scheduler, with the tests' URL and format:
 * `config` adds to or overrides them (`options` included).
 */
export function transcribeOnFake(
  server: FakeDeepgram,
  scheduler: SchedulerLike,
  config: Partial<TranscribeConfig> = {},
): OperatorFunction<Uint8Array, LiveEvent> {
  return transcribe({ url: URL, options: OPTIONS, webSocket: server.factory, scheduler, ...config });
}
