/**
 * `deepgram-rx serve`: runs the Deepgram emulator until SIGINT/SIGTERM, printing its URL and one
 * line per finished session.
 */
import { startEmulator } from '../server/emulator';
import type { EmulatorSession } from '../server/emulatorTypes';
import { loadScriptRecognizer } from '../server/engine';
import type { Recognizer } from '../server/engine/types';
import type { ServeArgs } from './args';
import { EXIT, type ExitCode } from './exitCodes';
import { CliUsageError, describeFailure } from './failure';
import { printable } from './printable';
import { formatServeBanner, formatSessionLine } from './serveFormat';
import type { CliIO } from './transcribeCommand';

/** Runs the emulator until a signal; resolves with the exit code (never rejects). */
export async function runServe(args: ServeArgs, io: CliIO): Promise<ExitCode> {
  const secrets = args.apiKey === undefined ? [] : [args.apiKey];
  const fail = (error: unknown): ExitCode => {
    const failure = describeFailure(error, {
      secrets,
      keySource: args.apiKey === undefined ? 'none' : 'flag',
      listenHost: args.host,
    });
    io.stderr.write(`${failure.line}\n`);
    return failure.code;
  };
  let recognizer;
  try {
    recognizer = args.script === undefined ? undefined : loadRecognizerOrThrow(args.script);
  } catch (error) {
    return fail(error);
  }
  let emulator;
  try {
    emulator = await startEmulator({
      port: args.port,
      host: args.host,
      idleTimeoutMs: args.idleTimeoutMs,
      ...(args.apiKey === undefined ? {} : { apiKey: args.apiKey }),
      ...(recognizer === undefined ? {} : { recognizer }),
    });
  } catch (error) {
    return fail(error);
  }
  // A session line quotes the client's close reason: its control characters are shown, not obeyed.
  const print = (text: string): void => void io.stdout.write(`${printable(text)}\n`);
  formatServeBanner({
    url: emulator.url,
    script: args.script,
    auth: args.apiKey !== undefined,
    idleTimeoutMs: args.idleTimeoutMs,
  }).forEach(print);
  const running = emulator;
  // serve reads no record back: without this a long-running server keeps one per connection and
  // one per handshake (refused ones included).
  const forgetRecords = (): void => running.clearRecords();
  const onClose = (session: EmulatorSession): void => {
    print(formatSessionLine(session));
    forgetRecords();
  };
  emulator.events.on('close', onClose);
  emulator.events.on('handshake', forgetRecords);

  await new Promise<void>((resolve) => {
    const remove = io.onSignal(() => {
      remove();
      resolve();
    });
  });
  print('Stopping the emulator.');
  // Still listening while closing: the sessions open until now finish here and get their line too.
  await emulator.close();
  emulator.events.off('close', onClose);
  emulator.events.off('handshake', forgetRecords);
  return EXIT.ok;
}

function loadRecognizerOrThrow(path: string): Recognizer {
  try {
    return loadScriptRecognizer(path);
  } catch (error) {
    throw new CliUsageError(`--script: ${error instanceof Error ? error.message : String(error)}`);
  }
}
