/**
 * Runs the built `deepgram-rx` binary as a child process. The binary is `dist/cli.js` when it is
 * at least as new as every source file (as after `npm run build`, which `npm test` runs first);
 * otherwise the tests bundle src/cli/main.ts with esbuild the way tsup does (platform node, ESM,
 * dependencies external) into a private directory inside node_modules/.cache, so that a stale or
 * missing dist/ never tests old code. `DEEPGRAM_RX_CLI=/path/to/cli.js` overrides both.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

export const ROOT = resolve(__dirname, '../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

let built: { path: string; cleanup: () => void } | undefined;

/** The path of the CLI to run; call {@link cleanupCli} in `afterAll`. */
export function cliPath(): string {
  const override = process.env['DEEPGRAM_RX_CLI'];
  if (override !== undefined && override !== '') return override;
  const dist = join(ROOT, 'dist/cli.js');
  const sourcesChanged = Math.max(
    newestMtime(join(ROOT, 'src')),
    statSync(join(ROOT, 'package.json')).mtimeMs,
  );
  if (existsSync(dist) && statSync(dist).mtimeMs >= sourcesChanged) return dist;
  if (built === undefined) {
    const dir = join(ROOT, 'node_modules/.cache/deepgram-rx-cli-test', String(process.pid));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'cli.mjs');
    buildSync({
      entryPoints: [join(ROOT, 'src/cli/main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile: path,
      logLevel: 'error',
    });
    built = { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
  return built.path;
}

/** Removes a bundle built by {@link cliPath}. */
export function cleanupCli(): void {
  built?.cleanup();
  built = undefined;
}

/** What a run printed and how it exited. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of a run: the test's, without DEEPGRAM_API_KEY unless `env` sets it. */
function childEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DEEPGRAM_API_KEY: _omit, ...rest } = process.env;
  return { ...rest, NO_COLOR: '1', ...env };
}

/** A running CLI process. */
export interface CliProcess {
  /** Resolves when the process exits. */
  done: Promise<CliRun>;
  /** Resolves with the first stdout line matching `pattern` (rejects if the process exits first). */
  waitForLine(pattern: RegExp): Promise<string>;
  kill(signal: NodeJS.Signals): void;
}

/** How to run the CLI. */
export interface CliOptions {
  /** Variables added to the environment. */
  env?: Record<string, string>;
  /** Killed after this long (default 20 s). */
  timeoutMs?: number;
  /** A file to pipe into its stdin as a shell does (`cat FILE | deepgram-rx …`, a real pipe): POSIX only. */
  pipeIn?: string;
}

/** Starts the CLI with `args` (cwd: the repository root); it is killed after `timeoutMs`. */
export function startCli(args: string[], options: CliOptions = {}): CliProcess {
  const command = [process.execPath, cliPath(), ...args];
  const spawnOptions = { cwd: ROOT, env: childEnv(options.env) };
  const child =
    options.pipeIn === undefined
      ? spawn(command[0]!, command.slice(1), spawnOptions)
      : spawn('sh', ['-c', 'cat "$0" | "$@"', options.pipeIn, ...command], spawnOptions);
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  const check = (): void => {
    for (const waiter of [...waiters]) {
      const line = stdout.split('\n').find((candidate) => waiter.pattern.test(candidate));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    check();
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  const done = new Promise<CliRun>((resolveRun) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const waiter of waiters.splice(0))
        waiter.reject(new Error(`exited before printing ${waiter.pattern}: ${stderr}`));
      resolveRun({ code, signal, stdout, stderr });
    });
  });
  return {
    done,
    waitForLine: (pattern) =>
      new Promise<string>((resolveLine, reject) => {
        waiters.push({ pattern, resolve: resolveLine, reject });
        check();
      }),
    kill: (signal) => child.kill(signal),
  };
}

/** Runs the CLI to the end. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return startCli(args, options).done;
}
