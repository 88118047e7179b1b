/**
 * Helpers of the cost end-to-end tests: one WAV file through transcribe() against the emulator on
 * loopback, with or without the silence gate, and what that session cost.
 */
import { readWav } from '../../src/audio/readWav';
import type { GatedSpan } from '../../src/operators/gateSilence';
import type { Results, Word } from '../../src/protocol/messages';
import type { EmulatorConfig, EmulatorSession } from '../../src/server';
import type { LiveEvent, UsageEvent } from '../../src/session/liveEvent';
import { transcribe, type TranscribeGate } from '../../src/session/transcribe';
import { nodeWebSocket } from '../../src/socket/nodeWebSocket';
import { emulator, KEY, outcome } from '../session/emulatorSupport';

/** What one run of a file cost and said. */
export interface CostRun {
  readonly events: readonly LiveEvent[];
  readonly usage: UsageEvent;
  /** The spans the gate dropped (empty without gating). */
  readonly spans: readonly GatedSpan[];
  /** The emulator's record of the session. */
  readonly session: EmulatorSession;
  /** The final words, in order, on the file's timeline. */
  readonly words: readonly Word[];
}

/**
 * Streams `path` (20 ms chunks, as fast as possible) through `transcribe` to a fresh emulator and
 * resolves when the session completed (rejects when it errored).
 */
export async function runFile(
  path: string,
  gate: TranscribeGate | false,
  config: EmulatorConfig = {},
): Promise<CostRun> {
  const server = await emulator(config);
  const spans: GatedSpan[] = [];
  const { format, audio$ } = readWav(path, { pace: 'fast', chunkMs: 20 });
  const result = await outcome(
    audio$.pipe(
      transcribe({
        url: server.url,
        apiKey: KEY,
        options: { ...format, punctuate: true },
        webSocket: nodeWebSocket(),
        maxBufferBytes: Infinity,
        gate: gate === false ? false : { ...gate, onGate: (span) => spans.push(span) },
      }),
    ),
  );
  if (!result.completed) throw result.error;
  const usage = result.events.at(-1);
  if (usage?.type !== 'Usage') throw new Error(`the last event is ${usage?.type}, not Usage`);
  const session = await server.waitForClose({ timeoutMs: 5000 });
  const words = result.events
    .filter((event): event is Results => event.type === 'Results' && event.is_final === true)
    .flatMap((event) => event.channel.alternatives[0]?.words ?? []);
  return { events: result.events, usage, spans, session, words };
}
