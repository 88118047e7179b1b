#!/usr/bin/env node
/**
 * The `deepgram-rx` command: parses the command line and runs `transcribe` or `serve`.
 * See docs/cli.md.
 */
import { version } from '../../package.json';
import type { CliIO } from './transcribeCommand';
import { runTranscribe } from './transcribeCommand';
import { runServe } from './serveCommand';
import { EXIT, type ExitCode } from './exitCodes';
import { oneLine } from './failure';
import { argvSecrets, parseCommandLine } from './program';

const io: CliIO = {
  stdout: process.stdout,
  stderr: process.stderr,
  onSignal: (handler) => {
    process.once('SIGINT', handler);
    process.once('SIGTERM', handler);
    return () => {
      process.removeListener('SIGINT', handler);
      process.removeListener('SIGTERM', handler);
    };
  },
};

async function main(argv: readonly string[]): Promise<ExitCode> {
  const parsed = parseCommandLine(argv, process.env, version);
  switch (parsed.kind) {
    case 'exit':
      process.stdout.write(parsed.stdout);
      process.stderr.write(parsed.stderr);
      return parsed.code;
    case 'transcribe':
      return runTranscribe(parsed.args, io);
    case 'serve':
      return runServe(parsed.args, io);
  }
}

// A closed stdout (e.g. piped into `head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Everything is closed by now; if a stray handle kept the process alive, do not hang.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    // Not expected (every command reports its own failures); still one line, and no key in it.
    const secrets = [...argvSecrets(process.argv), process.env['DEEPGRAM_API_KEY'] ?? ''];
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`deepgram-rx: internal error: ${oneLine(message, secrets)}\n`);
    process.exitCode = EXIT.failure;
    setTimeout(() => process.exit(EXIT.failure), 2000).unref();
  },
);
