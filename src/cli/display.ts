/**
 * Where `transcribe`'s output goes, in three flavours: a terminal (progress bar and an updating
 * interim line, via cli-progress), plain lines (pipes and files: no progress, no interim), and
 * `--json` (one event per line on stdout, nothing else there). The text itself comes from the pure
 * formatters in format.ts, eventLines.ts and summary.ts. Every flavour masks the secrets it is given
 * (the API key) in everything it prints, whatever the server put in its messages, and the human
 * flavours show control characters as `\xHH` rather than send them to the terminal.
 */
import { MultiBar, type SingleBar } from 'cli-progress';
import { scrubSecrets } from '../socket/redact';
import { formatProgress, type ProgressInfo } from './format';
import { jsonLine } from './jsonLine';
import { printable } from './printable';
import type { LiveEvent } from '../session/transcribe';

/** What the transcribe command shows. */
export interface Display {
  /** Lines that must always reach the user (e.g. that the emulator is in use): stdout, or stderr with --json. */
  notice(lines: readonly string[]): void;
  /** A line of the human report (transcripts, KeepAlives, reconnects); not shown with --json. */
  line(text: string): void;
  /** Every session event (printed only with --json). */
  event(event: LiveEvent): void;
  /** The current interim transcript ('' clears it); shown only in a terminal. */
  interim(text: string): void;
  /** Playback progress; shown only in a terminal. */
  progress(info: ProgressInfo): void;
  /** Stops the live parts (bars); call before {@link Display.summary} or an error line. */
  stop(): void;
  /** The summary lines (human report only). */
  summary(lines: readonly string[]): void;
}

/** A writable text stream (process.stdout, process.stderr, or a test double). */
export interface TextOut {
  write(text: string): unknown;
}

/** Plain lines: for pipes, files and non-TTY terminals. No progress, no interim. `secrets` are masked. */
export function plainDisplay(stdout: TextOut, secrets: readonly string[]): Display {
  const print = (text: string): void => void stdout.write(`${printable(scrubSecrets(text, secrets))}\n`);
  return {
    notice: (lines) => lines.forEach(print),
    line: print,
    event: () => undefined,
    interim: () => undefined,
    progress: () => undefined,
    stop: () => undefined,
    summary: (lines) => lines.forEach(print),
  };
}

/** `--json`: every event as one JSON line on stdout; notices go to stderr; nothing else is printed. */
export function jsonDisplay(stdout: TextOut, stderr: TextOut, secrets: readonly string[]): Display {
  return {
    notice: (lines) => lines.forEach((text) => stderr.write(`deepgram-rx: ${text}\n`)),
    line: () => undefined,
    event: (event) => void stdout.write(`${jsonLine(event, secrets)}\n`),
    interim: () => undefined,
    progress: () => undefined,
    stop: () => undefined,
    summary: () => undefined,
  };
}

/**
 * A terminal: lines scroll above a progress bar and (with interim results) an updating interim
 * line, both redrawn by cli-progress at most 10 times a second and cleared at the end. `secrets`
 * are masked in every line and in the interim line.
 */
export function terminalDisplay(
  stream: NodeJS.WriteStream,
  showInterim: boolean,
  secrets: readonly string[],
): Display {
  const scrub = (text: string): string => printable(scrubSecrets(text, secrets));
  const bars = new MultiBar({
    stream,
    fps: 10,
    hideCursor: true,
    clearOnComplete: true,
    linewrap: false,
    format: (_options, _params, payload: { text?: string }) => payload.text ?? '',
  });
  let progressBar: SingleBar | undefined;
  let interimBar: SingleBar | undefined;
  let stopped = false;
  const print = (text: string): void => {
    if (progressBar === undefined || stopped) stream.write(`${scrub(text)}\n`);
    else bars.log(`${scrub(text)}\n`);
  };
  const width = (): number => Math.max(10, Math.min(30, (stream.columns ?? 80) - 60));
  return {
    notice: (lines) => lines.forEach(print),
    line: print,
    event: () => undefined,
    interim: (text) => interimBar?.update({ text: scrub(text) }),
    progress: (info) => {
      if (stopped) return;
      const text = formatProgress(info, width());
      if (progressBar === undefined) {
        progressBar = bars.create(1, 0, { text });
        if (showInterim) interimBar = bars.create(1, 0, { text: '' });
      } else {
        progressBar.update({ text });
      }
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      if (progressBar === undefined) return;
      bars.update(); // flush lines logged since the last redraw
      bars.stop();
    },
    summary: (lines) => lines.forEach((text) => stream.write(`${scrub(text)}\n`)),
  };
}
