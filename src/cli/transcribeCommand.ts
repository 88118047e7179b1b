/**
 * `deepgram-rx transcribe FILE`: the wiring. Reads the WAV, starts the emulator when there is no
 * key and no URL, pipes the audio through `transcribe` (with its silence gate and KeepAlive), and
 * hands every event to a Display. Formatting lives in format.ts / eventLines.ts / summary.ts.
 */
import { tap, type Observable, type Subscription } from 'rxjs';
import { bytesPerSecond } from '../protocol/audioFormat';
import { endpointOf } from '../socket/redact';
import { nodeWebSocket } from '../socket/nodeWebSocket';
import { startEmulator } from '../server/emulator';
import type { Emulator } from '../server/emulatorTypes';
import { loadScriptRecognizer } from '../server/engine';
import type { Recognizer } from '../server/engine/types';
import type { TranscribeArgs } from './args';
import { jsonDisplay, plainDisplay, terminalDisplay, type Display } from './display';
import { describeEvent } from './eventLines';
import { EXIT, type ExitCode } from './exitCodes';
import { CliUsageError, describeFailure } from './failure';
import { formatBanner, formatEmulatorNotice, formatFinal, formatInterim, formatKeepAlive } from './format';
import { probeWebSocket } from './probeWebSocket';
import { DEFAULT_REPLAY_MS } from '../session/reconnectPolicy';
import { transcribe, type LiveEvent, type TranscribeReconnect } from '../session/transcribe';
import { formatSummary } from './summary';
import { EMPTY_TALLY, summarize, tallyEvent, unfinishedRun } from './tally';
import { openWav, siblingScript, type WavInput } from './wavInput';

/** The process around a command: its streams and how it learns about signals. */
export interface CliIO {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /** Registers a SIGINT/SIGTERM handler; returns its removal. */
  readonly onSignal: (handler: () => void) => () => void;
}

function chooseDisplay(args: TranscribeArgs, io: CliIO, secrets: readonly string[]): Display {
  if (args.json) return jsonDisplay(io.stdout, io.stderr, secrets);
  if (io.stdout.isTTY) return terminalDisplay(io.stdout, args.interim, secrets);
  return plainDisplay(io.stdout, secrets);
}

function loadRecognizer(path: string): Recognizer {
  try {
    // Content-aware: follows the audio the emulator receives, so gated or replayed audio is
    // recognised where it arrives, as Deepgram would.
    return loadScriptRecognizer(path);
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * `transcribe`'s `reconnect`: its defaults (on), or `false` with `--no-reconnect`. With `--fast`
 * the whole file is handed to the socket at once, so the replay ring must be able to hold all of
 * it (what is not final yet when a connection drops), and the replay is as unpaced as the rest.
 */
function reconnectOf(args: TranscribeArgs, fileSeconds: number): TranscribeReconnect | false {
  if (!args.reconnect) return false;
  if (args.pace !== 'fast') return {};
  return { replayMs: Math.max(DEFAULT_REPLAY_MS, Math.ceil(fileSeconds * 1000)), replayRate: Infinity };
}

/** Runs `transcribe` to the end; resolves with the exit code (never rejects). */
export async function runTranscribe(args: TranscribeArgs, io: CliIO): Promise<ExitCode> {
  const secrets = args.apiKey === undefined ? [] : [args.apiKey];
  const display = chooseDisplay(args, io, secrets);
  const failWith = (error: unknown): ExitCode => {
    display.stop();
    const failure = describeFailure(error, { secrets, keySource: args.keySource });
    io.stderr.write(`${failure.line}\n`);
    return failure.code;
  };

  let wav: WavInput;
  try {
    wav = openWav(args.file, args.chunkMs, args.pace);
  } catch (error) {
    return failWith(error);
  }

  let emulator: Emulator | undefined;
  let url: string;
  try {
    if (args.target.kind === 'emulator') {
      const script = siblingScript(args.file);
      const recognizer = script === undefined ? undefined : loadRecognizer(script);
      emulator = await startEmulator({
        idleTimeoutMs: args.emulatorIdleTimeoutMs,
        ...(recognizer === undefined ? {} : { recognizer }),
      });
      url = emulator.url;
      display.notice(formatEmulatorNotice(url, script, args.file));
    } else {
      url = args.target.url;
    }
  } catch (error) {
    return failWith(error);
  }

  try {
    return await stream({ args, io, display, wav, url, failWith });
  } finally {
    await emulator?.close();
  }
}

/** Everything {@link stream} needs. */
interface StreamContext {
  readonly args: TranscribeArgs;
  readonly io: CliIO;
  readonly display: Display;
  readonly wav: WavInput;
  /** The server's endpoint (Deepgram, --url or the emulator). */
  readonly url: string;
  /** Stops the display, prints the one error line, returns the exit code. */
  readonly failWith: (error: unknown) => ExitCode;
}

/** Streams the file and renders the events; resolves with the exit code. */
function stream(context: StreamContext): Promise<ExitCode> {
  const { args, io, display, wav, url, failWith } = context;
  const { format } = wav;
  const perSecond = bytesPerSecond(format);
  let readBytes = 0;
  let sentBytes = 0;
  /** Audio was read that has not gone out (yet): the gate is holding silence back. */
  let holding = false;
  let keepAlivesSeen = 0;
  const showProgress = (): void =>
    display.progress({
      position: readBytes / perSecond,
      total: wav.seconds,
      sent: sentBytes / perSecond,
      keepAlives: keepAlivesSeen,
      holding,
    });

  for (const text of formatBanner({
    file: args.file,
    fileSeconds: wav.seconds,
    format,
    endpoint: endpointOf(url),
    pace: args.pace,
    gate: args.gate,
    keepAliveMs: args.keepAlive ? args.idleMs : false,
    model: args.model,
  })) {
    display.line(text);
  }

  // Watches the audio frames that go out: the amount sent (for the progress line) and whether the
  // gate is holding audio back.
  const webSocket = probeWebSocket(nodeWebSocket(), {
    onAudio: (chunk) => {
      sentBytes += chunk.byteLength;
      holding = false;
      // The chunk went out (the gate let it through): the bar must not keep saying "pause".
      showProgress();
    },
  });

  const events$ = (): Observable<LiveEvent> =>
    wav.audio$.pipe(
      tap((chunk) => {
        readBytes += chunk.length;
        holding = true;
        showProgress();
      }),
      transcribe({
        url,
        ...(args.apiKey === undefined ? {} : { apiKey: args.apiKey }),
        options: {
          model: args.model,
          encoding: format.encoding,
          sample_rate: format.sample_rate,
          channels: format.channels,
          interim_results: args.interim,
          punctuate: true,
        },
        keepAlive: args.keepAlive ? { idleMs: args.idleMs } : false,
        // Timestamps stay on the file's timeline (transcribe rebases across gated spans).
        gate: args.gate,
        // --fast reads the whole file before the socket opens: let it wait, whatever its size.
        ...(args.pace === 'fast' ? { maxBufferBytes: Infinity } : {}),
        reconnect: reconnectOf(args, wav.seconds),
        webSocket,
      }),
    );

  const started = performance.now();
  let tally = EMPTY_TALLY;
  return new Promise<ExitCode>((resolve) => {
    let subscription: Subscription | undefined;
    let finished = false;
    let removeSignal = (): void => undefined;
    const finish = (code: ExitCode): void => {
      if (finished) return;
      finished = true;
      removeSignal();
      subscription?.unsubscribe();
      resolve(code);
    };
    const onEvent = (event: LiveEvent): void => {
      tally = tallyEvent(tally, event);
      if (event.type === 'Reconnecting' && tally.opens === 0) {
        // The first connection never opened: say why now instead of retrying an unreachable server.
        finish(failWith(event.error));
        return;
      }
      display.event(event);
      if (event.type === 'KeepAlive') {
        keepAlivesSeen++;
        display.line(formatKeepAlive(readBytes / perSecond, holding ? 'pause' : 'no audio'));
        showProgress();
        return;
      }
      if (event.type === 'Results') {
        if (event.is_final === true) {
          const text = formatFinal(event);
          display.interim('');
          if (text !== undefined) display.line(text);
        } else {
          display.interim(formatInterim(event));
        }
        return;
      }
      const text = describeEvent(event);
      if (text !== undefined) display.line(text);
    };
    removeSignal = io.onSignal(() => {
      display.stop();
      io.stderr.write('deepgram-rx: interrupted\n');
      finish(EXIT.interrupted);
    });
    try {
      subscription = events$().subscribe({
        next: onEvent,
        error: (error: unknown) => finish(failWith(error)),
        complete: () => {
          display.stop();
          display.summary([
            '',
            ...formatSummary(
              summarize(tally, {
                fileSeconds: wav.seconds,
                wallSeconds: (performance.now() - started) / 1000,
                keepAlivesSeen,
                gate: args.gate,
              }),
            ),
          ]);
          const unfinished = unfinishedRun(tally);
          if (unfinished !== undefined) io.stderr.write(`deepgram-rx: ${unfinished.reason}\n`);
          finish(unfinished?.code ?? EXIT.ok);
        },
      });
    } catch (error) {
      finish(failWith(error));
    }
    if (finished) subscription?.unsubscribe();
  });
}
