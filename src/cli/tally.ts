/**
 * Folds the events of a run into the numbers of its summary. Pure.
 */
import type { LiveEvent } from '../session/transcribe';
import { EXIT, type ExitCode } from './exitCodes';
import { seconds } from './format';
import type { RunSummary } from './summary';

/** The `Usage` event's fields the summary reads. */
export interface UsageCounts {
  readonly audioSeconds: number;
  readonly keepAlives: number;
  readonly idleSeconds: number;
  readonly connections: number;
  /** Seconds of the file the silence gate dropped (not sent, not billed). */
  readonly gatedSeconds: number;
  /** Final Usage only: Metadata.duration minus the audio sent, and whether that is within one chunk. */
  readonly mismatchSeconds?: number;
  readonly reconciled?: boolean;
  /** Final Usage only: the session stopped waiting for the server's close (`closeTimeoutMs`). */
  readonly closeTimedOut?: boolean;
}

/** What the events of a run said so far. */
export interface Tally {
  /** Sum of `Metadata.duration` (one Metadata per connection); undefined before the first. */
  readonly metadataSeconds?: number;
  /** The last `Usage` event. */
  readonly usage?: UsageCounts;
  /** `Open` events seen. */
  readonly opens: number;
  /** Final results with a non-empty transcript. */
  readonly finals: number;
  /** Seconds of the file that were never transcribed (the sum of the `Gap` events' spans). */
  readonly gapSeconds: number;
}

/** The tally before any event. */
export const EMPTY_TALLY: Tally = Object.freeze({ opens: 0, finals: 0, gapSeconds: 0 });

/** The tally after one more event. */
export function tallyEvent(tally: Tally, event: LiveEvent): Tally {
  switch (event.type) {
    case 'Metadata':
      return { ...tally, metadataSeconds: (tally.metadataSeconds ?? 0) + event.duration };
    case 'Usage':
      return {
        ...tally,
        usage: {
          audioSeconds: event.audioSeconds,
          keepAlives: event.keepAlives,
          idleSeconds: event.idleSeconds,
          connections: event.connections,
          gatedSeconds: event.gatedSeconds,
          ...(event.mismatchSeconds === undefined ? {} : { mismatchSeconds: event.mismatchSeconds }),
          ...(event.reconciled === undefined ? {} : { reconciled: event.reconciled }),
          ...(event.final ? { closeTimedOut: event.closeTimedOut } : {}),
        },
      };
    case 'Open':
      return { ...tally, opens: tally.opens + 1 };
    case 'Gap':
      return { ...tally, gapSeconds: tally.gapSeconds + Math.max(0, event.to - event.from) };
    case 'Results': {
      const text = event.channel.alternatives[0]?.transcript.trim() ?? '';
      return event.is_final === true && text !== '' ? { ...tally, finals: tally.finals + 1 } : tally;
    }
    default:
      return tally;
  }
}

/** What the CLI measured itself, used where the events say nothing. */
export interface RunMeasures {
  readonly fileSeconds: number;
  readonly wallSeconds: number;
  /** KeepAlive frames the CLI saw go out. */
  readonly keepAlivesSeen: number;
  readonly gate: boolean;
}

/** The summary of a run: the events' numbers first (Usage, Metadata), the CLI's own as fallback. */
export function summarize(tally: Tally, measures: RunMeasures): RunSummary {
  return {
    fileSeconds: measures.fileSeconds,
    ...(tally.metadataSeconds === undefined ? {} : { metadataSeconds: tally.metadataSeconds }),
    ...(tally.usage === undefined
      ? {}
      : {
          sentSeconds: tally.usage.audioSeconds,
          idleSeconds: tally.usage.idleSeconds,
          gatedSeconds: tally.usage.gatedSeconds,
        }),
    ...(tally.usage?.mismatchSeconds === undefined ? {} : { mismatchSeconds: tally.usage.mismatchSeconds }),
    ...(tally.usage?.reconciled === undefined ? {} : { reconciled: tally.usage.reconciled }),
    wallSeconds: measures.wallSeconds,
    keepAlives: tally.usage?.keepAlives ?? measures.keepAlivesSeen,
    connections: tally.usage?.connections ?? tally.opens,
    gate: measures.gate,
  };
}

/** Why a run that completed did not end as it should, and its exit code. */
export interface UnfinishedRun {
  readonly code: ExitCode;
  /** One line for stderr, without the `deepgram-rx: ` prefix. */
  readonly reason: string;
}

/**
 * Whether a run whose events completed still fell short of "the whole file was transcribed": the
 * server did not answer CloseStream in time (exit 5), it closed without its `Metadata` (exit 1),
 * which Deepgram sends once it has transcribed all the audio it received, or part of the file was
 * never transcribed (`Gap` events, e.g. audio lost across a reconnect: exit 1). Undefined when the
 * run ended normally.
 */
export function unfinishedRun(tally: Tally): UnfinishedRun | undefined {
  if (tally.usage?.closeTimedOut === true) {
    return {
      code: EXIT.timeout,
      reason:
        'the server did not close in time after the end of the audio (a stalled connection?): the transcript may be incomplete',
    };
  }
  if (tally.metadataSeconds === undefined) {
    return {
      code: EXIT.failure,
      reason: 'the server closed the connection without sending Metadata: the transcript may be incomplete',
    };
  }
  if (tally.gapSeconds > 0) {
    return {
      code: EXIT.failure,
      reason: `${seconds(tally.gapSeconds)} of the file was never transcribed (audio lost across a reconnect): the transcript is incomplete`,
    };
  }
  return undefined;
}
