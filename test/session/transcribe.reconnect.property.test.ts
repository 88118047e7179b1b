/**
 * Resilience property at the transcribe() level, in virtual time with the fake Deepgram: for random
 * drop points and random outage lengths, the final words (rebased and deduplicated) equal the
 * undisturbed run's words, each once, at the same original times.
 *
 * The scripted server is content-aware: chunk i of the audio (100 ms, every byte i + 1) is the word
 * `w<i>`. Every 30 ms it finalizes the audio received since its last final (one word per chunk, on
 * its own clock, which counts only what this connection received); on CloseStream it finalizes the
 * rest, sends Metadata and closes. A connection chosen to die drops after a random delay; a chosen
 * number of handshakes after it are refused (503), lengthening the outage.
 */
import fc from 'fast-check';
import { TestScheduler } from 'rxjs/testing';
import { fakeDeepgram } from '../../src/testing/fakeDeepgram';
import type { FakeConnection } from '../../src/testing/fakeConnection';
import { fakeResults } from '../../src/testing/fakeMessages';
import { chunk, transcribeOnFake } from './transcribeSupport';

const CHUNK_SECONDS = 0.1;

/** Scripts a content-aware server on `connection` (see the file notes). */
function serve(connection: FakeConnection, scheduler: TestScheduler): void {
  let finalized = 0; // binary frames finalized so far
  let ended = false;
  const finalizeNew = (): void => {
    const frames = connection.sent.filter((frame) => frame.type === 'binary');
    for (; finalized < frames.length; finalized++) {
      const fill = (frames[finalized]!.data as Uint8Array)[0]!;
      const results = fakeResults({
        transcript: `w${fill - 1}`,
        start: finalized * CHUNK_SECONDS,
        duration: CHUNK_SECONDS,
      });
      connection.emit(results);
    }
  };
  const tick = (): void => {
    if (ended || connection.closed !== undefined) return;
    if (connection.readyState === 1) {
      finalizeNew();
      if (connection.textFrames.includes('{"type":"CloseStream"}')) {
        ended = true;
        connection.emitMetadata().close(1000);
        return;
      }
    }
    scheduler.schedule(tick, 30);
  };
  scheduler.schedule(tick, 30);
}

interface Scenario {
  readonly chunks: number;
  /** Per connection that dies: ms after its creation it drops, then how many handshakes are refused. */
  readonly faults: ReadonlyArray<{ dropAfterMs: number; refusals: number }>;
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  chunks: fc.integer({ min: 3, max: 15 }),
  faults: fc.array(
    fc.record({ dropAfterMs: fc.integer({ min: 0, max: 800 }), refusals: fc.integer({ min: 0, max: 2 }) }),
    { maxLength: 3 },
  ),
});

/** The final words of one run: `[word, start, end]`, times rounded to µs. */
function runScenario({ chunks, faults }: Scenario): Array<[string, number, number]> {
  const words: Array<[string, number, number]> = [];
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(({ cold }) => {
    // Which connection index does what: a dying one, then its refusals, then the next…
    const plan: Array<{ kind: 'drop'; afterMs: number } | { kind: 'refuse' }> = [];
    for (const fault of faults) {
      plan.push({ kind: 'drop', afterMs: fault.dropAfterMs });
      for (let i = 0; i < fault.refusals; i++) plan.push({ kind: 'refuse' });
    }
    const server = fakeDeepgram({
      scheduler,
      closeStream: 'ignore',
      onConnection: (c) => {
        const step = plan[c.index];
        if (step?.kind === 'refuse') {
          c.failHandshake(503);
          return;
        }
        if (step?.kind === 'drop') c.drop(step.afterMs);
        serve(c, scheduler);
      },
    });
    const names = Array.from({ length: chunks }, (_, i) => String.fromCharCode(97 + i));
    const values = Object.fromEntries(names.map((name, i) => [name, chunk(100, i + 1)]));
    cold(names.join(' 99ms ') + '|', values)
      .pipe(
        transcribeOnFake(server, scheduler, {
          keepAlive: false,
          reconnect: { maxAttempts: 20, initialDelayMs: 40, maxDelayMs: 200, jitter: 0, replayRate: 1.25 },
        }),
      )
      .subscribe((event) => {
        if (event.type !== 'Results' || !event.is_final) return;
        for (const w of event.channel.alternatives[0]?.words ?? []) {
          words.push([w.word, Math.round(w.start * 1e6) / 1e6, Math.round(w.end * 1e6) / 1e6]);
        }
      });
  });
  return words;
}

it('delivers the undisturbed run’s final words, once each and on the original timeline, whatever the drops and outages', () => {
  fc.assert(
    fc.property(scenario, (drawn) => {
      const undisturbed = runScenario({ chunks: drawn.chunks, faults: [] });
      expect(undisturbed).toHaveLength(drawn.chunks);
      expect(runScenario(drawn)).toEqual(undisturbed);
    }),
    { numRuns: 60 },
  );
});
