/**
 * What every benchmark writes: a Markdown table on stdout and a JSON file in bench/results/ with
 * the raw numbers, the table and the machine it ran on. bench/run.mjs copies the tables into
 * docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import { dirname, resolve } from 'node:path';

/** Where `--quick` results go (ignored by git, ESLint and Prettier). */
export const QUICK_RESULTS = 'node_modules/.cache/deepgram-rx-bench/results';

export interface MachineInfo {
  cpuModel: string;
  cpus: number;
  memoryGb: number;
  os: string;
  node: string;
  v8: string;
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cpus: list.length,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${osType()} ${release()}`,
    node: process.version,
    v8: process.versions.v8,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** A GitHub-flavoured Markdown table. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Command-line flags: `--name value` or `--name` (true). */
export function parseFlags(argv: readonly string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(arg.slice(2), next);
      i++;
    } else flags.set(arg.slice(2), true);
  }
  return flags;
}

export interface BenchResult {
  bench: string;
  date: string;
  quick: boolean;
  machine: MachineInfo;
  config: unknown;
  /** Markdown tables, by name, as inserted into docs/benchmarks.md. */
  tables: Record<string, string>;
  rows: unknown;
}

/** Prints the tables and writes `bench/results/<name>.json` (or `--out`). */
export function publish(
  name: string,
  flags: Map<string, string | true>,
  data: Omit<BenchResult, 'bench' | 'date' | 'machine' | 'quick'>,
): void {
  const quick = flags.get('quick') === true;
  const result: BenchResult = {
    bench: name,
    date: new Date().toISOString(),
    quick,
    machine: machineInfo(),
    ...data,
  };
  for (const [title, table] of Object.entries(result.tables)) console.log(`\n${title}\n\n${table}\n`);
  const out = flags.get('out');
  // --quick runs are for development: their results stay out of the repository.
  const path = resolve(
    typeof out === 'string' ? out : quick ? `${QUICK_RESULTS}/${name}.json` : `bench/results/${name}.json`,
  );
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${path}`);
}
