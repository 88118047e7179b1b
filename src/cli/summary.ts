/**
 * The cost summary printed at the end of `deepgram-rx transcribe`: what was billed with silence
 * gating, what streaming the whole file would have billed, the saving in seconds and percent, and
 * whether Deepgram's bill matches the audio sent. Pure.
 */
import { seconds } from './format';

/** The numbers of a finished run. */
export interface RunSummary {
  /** Length of the file (what streaming every byte would bill). */
  readonly fileSeconds: number;
  /** Sum of `Metadata.duration` over the connections (the server's count); undefined without Metadata. */
  readonly metadataSeconds?: number;
  /** `Usage.audioSeconds` (the client's count of audio sent); undefined without Usage. */
  readonly sentSeconds?: number;
  /** `Usage.gatedSeconds`: seconds of the file the gate dropped; undefined without Usage. */
  readonly gatedSeconds?: number;
  /** `Usage.mismatchSeconds`: Metadata.duration minus the audio sent. */
  readonly mismatchSeconds?: number;
  /** `Usage.reconciled`: the mismatch is within one chunk per connection. */
  readonly reconciled?: boolean;
  readonly wallSeconds: number;
  readonly keepAlives: number;
  /** `Usage.idleSeconds`: time without audio that KeepAlive held open. */
  readonly idleSeconds?: number;
  readonly connections: number;
  /** Whether silence gating was on. */
  readonly gate: boolean;
}

/** The billed seconds: the server's `Metadata.duration` when known, else the client's count. */
export function billedSeconds(summary: RunSummary): number | undefined {
  return summary.metadataSeconds ?? summary.sentSeconds;
}

/**
 * Seconds and percent of the file not billed, or undefined when nothing is known or the file is
 * empty. The summary shows it as the saving of a gated run only (see {@link formatSummary}).
 */
export function saving(summary: RunSummary): { seconds: number; percent: number } | undefined {
  const billed = billedSeconds(summary);
  if (billed === undefined || !(summary.fileSeconds > 0)) return undefined;
  const saved = summary.fileSeconds - billed;
  return { seconds: saved, percent: (saved / summary.fileSeconds) * 100 };
}

function row(label: string, value: string, note?: string): string {
  const head = `  ${label.padEnd(18)}${value.padStart(9)}`;
  return note === undefined ? head : `${head}   ${note}`;
}

function billedNote(summary: RunSummary): string {
  return [
    summary.metadataSeconds === undefined
      ? 'no Metadata received'
      : `Metadata.duration ${seconds(summary.metadataSeconds)}`,
    summary.sentSeconds === undefined ? undefined : `sent ${seconds(summary.sentSeconds)}`,
    summary.reconciled === true ? 'reconciled' : undefined,
  ]
    .filter((part): part is string => part !== undefined)
    .join(' · ');
}

function savedRow(summary: RunSummary): string {
  // Without the gate nothing is saved by it: a bill above the file length is reconnect replays.
  if (!summary.gate) {
    return row('saved by gating', seconds(0), '--no-gate: the silence was streamed and billed');
  }
  const saved = saving(summary);
  if (saved === undefined) return row('saved by gating', 'unknown');
  const dropped =
    summary.gatedSeconds === undefined
      ? ''
      : ` (the gate dropped ${seconds(summary.gatedSeconds)} of silence)`;
  return row('saved by gating', seconds(saved.seconds), `${saved.percent.toFixed(1)} % less${dropped}`);
}

/** A warning row when Deepgram's bill and the audio sent disagree by more than one chunk. */
function mismatchRows(summary: RunSummary): string[] {
  if (summary.reconciled !== false || summary.mismatchSeconds === undefined) return [];
  const note =
    summary.metadataSeconds === undefined
      ? 'no Metadata received: nothing from the server confirms the bill'
      : 'Metadata.duration minus the audio sent, more than one chunk';
  const sign = summary.mismatchSeconds > 0 ? '+' : '';
  return [row('! bill mismatch', `${sign}${seconds(summary.mismatchSeconds, 2)}`, note)];
}

/**
 * The summary block, e.g. for a gated run:
 *
 * ```text
 * Summary
 *   billed, gated        17.9 s   Metadata.duration 17.9 s · sent 17.9 s · reconciled
 *   billed, no gate      38.2 s   the whole file
 *   saved by gating      20.3 s   53.1 % less (the gate dropped 20.3 s of silence)
 *   wall time            38.6 s
 *   KeepAlives sent           4   covered 12.9 s without audio
 *   connections               1
 * ```
 *
 * Without gating (`--no-gate`) the first two rows are `audio billed` and `file length`, and
 * `saved by gating` is 0.0 s (audio billed beyond the file length is reconnect replays). A
 * `! bill mismatch` row follows the billed rows when the final Usage was not reconciled.
 */
export function formatSummary(summary: RunSummary): string[] {
  const billed = billedSeconds(summary);
  const billedText = billed === undefined ? 'unknown' : seconds(billed);
  const billedRows = summary.gate
    ? [
        row('billed, gated', billedText, billedNote(summary)),
        row('billed, no gate', seconds(summary.fileSeconds), 'the whole file'),
      ]
    : [
        row('audio billed', billedText, billedNote(summary)),
        row('file length', seconds(summary.fileSeconds)),
      ];
  return [
    'Summary',
    ...billedRows,
    ...mismatchRows(summary),
    savedRow(summary),
    row('wall time', seconds(summary.wallSeconds)),
    row(
      'KeepAlives sent',
      String(summary.keepAlives),
      summary.idleSeconds === undefined ? undefined : `covered ${seconds(summary.idleSeconds)} without audio`,
    ),
    row('connections', String(summary.connections)),
  ];
}
