/**
 * The cost summary printed at the end of `deepgram-rx transcribe`: what was billed, what silence
 * gating saved compared with streaming the whole file, and what KeepAlive did. Pure.
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

/** Seconds and percent of the file not billed, or undefined when nothing is known or the file is empty. */
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

/**
 * The summary block, e.g.:
 *
 * ```text
 * Summary
 *   audio billed         17.9 s   Metadata.duration 17.9 s · sent 17.9 s
 *   file length          38.2 s
 *   saved by gating      20.3 s   53.1 % less than streaming the whole file
 *   wall time            38.6 s
 *   KeepAlives sent           4   covered 12.9 s without audio
 *   connections               1
 * ```
 */
export function formatSummary(summary: RunSummary): string[] {
  const billed = billedSeconds(summary);
  const sources = [
    summary.metadataSeconds === undefined
      ? 'no Metadata received'
      : `Metadata.duration ${seconds(summary.metadataSeconds)}`,
    summary.sentSeconds === undefined ? undefined : `sent ${seconds(summary.sentSeconds)}`,
  ].filter((part): part is string => part !== undefined);
  const saved = saving(summary);
  const savedRow = !summary.gate
    ? row('saved by gating', seconds(saved?.seconds ?? 0), '--no-gate: the silence was streamed and billed')
    : saved === undefined
      ? row('saved by gating', 'unknown')
      : row(
          'saved by gating',
          seconds(saved.seconds),
          `${saved.percent.toFixed(1)} % less than streaming the whole file`,
        );
  return [
    'Summary',
    row('audio billed', billed === undefined ? 'unknown' : seconds(billed), sources.join(' · ')),
    row('file length', seconds(summary.fileSeconds)),
    savedRow,
    row('wall time', seconds(summary.wallSeconds)),
    row(
      'KeepAlives sent',
      String(summary.keepAlives),
      summary.idleSeconds === undefined ? undefined : `covered ${seconds(summary.idleSeconds)} without audio`,
    ),
    row('connections', String(summary.connections)),
  ];
}
