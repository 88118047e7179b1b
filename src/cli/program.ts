/**
 * The command line: `commander` definitions of `transcribe` and `serve`, and a pure parser that
 * turns argv into a command to run (or into what to print and the exit code, for --help, --version
 * and usage errors). Nothing here performs I/O.
 */
import { Command, CommanderError, Option } from 'commander';
import {
  DEFAULTS,
  idleMs,
  listenEndpoint,
  port,
  positiveNumber,
  resolveApiKey,
  resolveTarget,
  timerMs,
  type ServeArgs,
  type TranscribeArgs,
} from './args';
import { EXIT, type ExitCode } from './exitCodes';
import { oneLine } from './failure';

/** The result of parsing a command line. */
export type ParsedCommand =
  | { readonly kind: 'transcribe'; readonly args: TranscribeArgs }
  | { readonly kind: 'serve'; readonly args: ServeArgs }
  /** Nothing to run: print `stdout`/`stderr` and exit with `code` (help, version, usage error). */
  | { readonly kind: 'exit'; readonly code: ExitCode; readonly stdout: string; readonly stderr: string };

interface TranscribeFlags {
  url?: string;
  apiKey?: string;
  model: string;
  chunkMs: number;
  fast?: boolean;
  keepalive: boolean;
  reconnect: boolean;
  idleMs: number;
  gate?: boolean;
  interim?: boolean;
  json?: boolean;
  emulatorIdleTimeout: number;
}

interface ServeFlags {
  port: number;
  host: string;
  idleTimeout: number;
  apiKey?: string;
  script?: string;
}

function buildProgram(
  version: string,
  env: Readonly<Record<string, string | undefined>>,
  onParsed: (command: ParsedCommand) => void,
): Command {
  const program = new Command('deepgram-rx')
    .description(
      'Live speech-to-text with Deepgram from the command line: stream a WAV file in real time, or run the local Deepgram emulator.',
    )
    .version(version, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // Usage errors are reported by parseCommandLine as one line; commander prints nothing itself.
      outputError: () => undefined,
    });

  program
    .command('transcribe')
    .description(
      'Stream FILE (a WAV: 16-bit PCM, mu-law or A-law) in real time and print the final transcripts, the KeepAlives sent during pauses and a cost summary. Without DEEPGRAM_API_KEY, --api-key or --url it uses the built-in emulator.',
    )
    .argument('<FILE>', 'the WAV file to stream')
    .option(
      '--url <URL>',
      'server to stream to (ws:// or wss://; default: Deepgram with a key, else the emulator)',
      listenEndpoint,
    )
    .option('--api-key <KEY>', 'Deepgram API key (default: $DEEPGRAM_API_KEY; never printed)')
    .option('--model <MODEL>', 'Deepgram model', DEFAULTS.model)
    .option('--chunk-ms <N>', 'audio per WebSocket frame, in ms', positiveNumber, DEFAULTS.chunkMs)
    .option('--fast', 'send the file as fast as possible instead of in real time')
    .option('--no-keepalive', 'never send KeepAlive (the server then closes after 10 s without audio)')
    .option(
      '--idle-ms <N>',
      'send KeepAlive after N ms without audio, then every N ms (< 10000)',
      idleMs,
      DEFAULTS.idleMs,
    )
    .option(
      '--no-reconnect',
      'one connection: a lost connection ends the run (default: reconnect with backoff and replay the audio not yet transcribed)',
    )
    .option('--gate', 'drop silence before sending it (default)')
    .option('--no-gate', 'send every byte, silence included')
    .option('--interim', 'request interim results (shown on one updating line in a terminal)')
    .option('--json', 'print every event as one JSON line, and nothing else, on stdout')
    .addOption(
      new Option('--emulator-idle-timeout <MS>', "the built-in emulator's inactivity window, in ms")
        .argParser(timerMs)
        .default(DEFAULTS.emulatorIdleTimeoutMs),
    )
    .action((file: string, flags: TranscribeFlags) => {
      const { apiKey, keySource } = resolveApiKey(flags.apiKey, env);
      onParsed({
        kind: 'transcribe',
        args: {
          file,
          target: resolveTarget(flags.url, apiKey),
          ...(apiKey === undefined ? {} : { apiKey }),
          keySource,
          model: flags.model,
          chunkMs: flags.chunkMs,
          pace: flags.fast === true ? 'fast' : 'realtime',
          keepAlive: flags.keepalive,
          idleMs: flags.idleMs,
          gate: flags.gate ?? true,
          reconnect: flags.reconnect,
          interim: flags.interim === true,
          json: flags.json === true,
          emulatorIdleTimeoutMs: flags.emulatorIdleTimeout,
        },
      });
    });

  program
    .command('serve')
    .description(
      'Run the Deepgram emulator (the /v1/listen WebSocket protocol, for development and tests) until SIGINT or SIGTERM. It is not a speech recognizer: words come from --script, else none.',
    )
    .option('--port <N>', 'port to listen on (0: any free port)', port, DEFAULTS.port)
    .option('--host <HOST>', 'interface to listen on', DEFAULTS.host)
    .option(
      '--idle-timeout <MS>',
      'close a session after this long without a frame (NET-0001)',
      timerMs,
      DEFAULTS.idleTimeoutMs,
    )
    .option('--api-key <KEY>', 'require this API key (Authorization: Token KEY); never printed')
    .option('--script <FILE>', 'replay the words of this *.words.json script as transcripts')
    .action((flags: ServeFlags) => {
      const apiKey =
        flags.apiKey === undefined || flags.apiKey.trim() === '' ? undefined : flags.apiKey.trim();
      onParsed({
        kind: 'serve',
        args: {
          port: flags.port,
          host: flags.host,
          idleTimeoutMs: flags.idleTimeout,
          ...(apiKey === undefined ? {} : { apiKey }),
          ...(flags.script === undefined ? {} : { script: flags.script }),
        },
      });
    });

  return program;
}

/** Secrets that may appear in argv (the values of `--api-key`), to keep out of messages. */
export function argvSecrets(argv: readonly string[]): string[] {
  const secrets: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--api-key' && argv[i + 1] !== undefined) secrets.push(argv[i + 1]!);
    else if (arg.startsWith('--api-key=')) secrets.push(arg.slice('--api-key='.length));
  });
  return secrets;
}

/** The values given to `--url` on the command line. */
function urlArguments(argv: readonly string[]): string[] {
  return argv.flatMap((arg, i) => {
    if (arg === '--url' && argv[i + 1] !== undefined) return [argv[i + 1]!];
    return arg.startsWith('--url=') ? [arg.slice('--url='.length)] : [];
  });
}

/**
 * Commander's message for a usage error, without its `error: ` prefix. An unknown option given as
 * `--name=value` is named without its value: a mistyped `--apikey=KEY` must not print the key.
 */
function usageMessage(error: CommanderError, argv: readonly string[]): string {
  const message = error.message.replace(/^error: /, '');
  if (error.code !== 'commander.unknownOption') return message;
  return argv
    .filter((arg) => arg.startsWith('-') && arg.includes('='))
    .reduce((text, arg) => text.split(`'${arg}'`).join(`'${arg.slice(0, arg.indexOf('='))}'`), message);
}

/**
 * Parses the user's arguments (argv without `node` and the script). `env` supplies
 * `DEEPGRAM_API_KEY`. Help (`--help`, `help [command]`) and version give
 * `{ kind: 'exit', code: 0 }` with the text in `stdout`; a usage error gives code 2 and ONE line in
 * `stderr` (`deepgram-rx: error: …`, never a key); no command at all gives code 2 with the help in
 * `stderr`.
 *
 * @example
 * ```ts
 * parseCommandLine(['transcribe', 'a.wav', '--fast'], {}); // { kind: 'transcribe', args: { pace: 'fast', … } }
 * ```
 */
export function parseCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  version = '0.0.0',
): ParsedCommand {
  let parsed: ParsedCommand | undefined;
  let stdout = '';
  let stderr = '';
  const program = buildProgram(version, env, (command) => (parsed = command));
  program.configureOutput({
    writeOut: (text) => (stdout += text),
    writeErr: (text) => (stderr += text),
    outputError: () => undefined,
  });
  for (const command of program.commands) {
    command.configureOutput({
      writeOut: (text) => (stdout += text),
      writeErr: (text) => (stderr += text),
      outputError: () => undefined,
    });
  }
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
      return { kind: 'exit', code: EXIT.ok, stdout, stderr: '' };
    }
    if (error.code === 'commander.help' && error.exitCode === 0) {
      // `deepgram-rx help [command]`: the help asked for, on stdout.
      return { kind: 'exit', code: EXIT.ok, stdout, stderr: '' };
    }
    if (error.code === 'commander.help' || error.code === 'commander.executeSubCommandAsync') {
      // No command given: the help, on stderr.
      return { kind: 'exit', code: EXIT.usage, stdout: '', stderr };
    }
    // A rejected --url is not echoed either: it may carry a token or a signature in its query; nor
    // is the key in the environment, should a mistyped argument repeat it.
    const message = oneLine(usageMessage(error, argv), [
      ...argvSecrets(argv),
      ...urlArguments(argv),
      ...(env['DEEPGRAM_API_KEY'] === undefined ? [] : [env['DEEPGRAM_API_KEY']]),
    ]);
    return {
      kind: 'exit',
      code: EXIT.usage,
      stdout: '',
      stderr: `deepgram-rx: ${message} (see deepgram-rx --help)\n`,
    };
  }
  if (parsed === undefined) {
    return { kind: 'exit', code: EXIT.usage, stdout: '', stderr: program.helpInformation() };
  }
  return parsed;
}
