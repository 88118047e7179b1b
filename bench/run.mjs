#!/usr/bin/env node
/**
 * `npm run bench`: builds every benchmark with esbuild (node_modules/.cache/deepgram-rx-bench/,
 * dependencies external), runs them one after the other, each writing bench/results/<name>.json,
 * then copies their tables into docs/benchmarks.md (between `<!-- bench:NAME -->` and
 * `<!-- /bench:NAME -->`).
 *
 *   node bench/run.mjs [operators] [session] [decode] [cost] [scale] [--quick] [--wait-idle]
 *                      [--sessions 100,500] [--runs 3] [--clients rx,raw,sdk,raw-bu,sdk-bu] [--no-floor] [--retries 2]
 *
 * --docs-only: rebuild docs/benchmarks.md from bench/results/*.json without running anything.
 * --quick: small counts and N, short sessions, results in node_modules/.cache/deepgram-rx-bench/results
 * and docs/benchmarks.md left alone. --wait-idle: before starting, wait (up to 30 min, checking every
 * 2 min) until the 1-minute load average is at most 1.5; the load is recorded either way.
 */
import { spawn } from 'node:child_process';
import console from 'node:console';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'node_modules/.cache/deepgram-rx-bench');
const RESULTS = join(ROOT, 'bench/results');
const DOC = join(ROOT, 'docs/benchmarks.md');
const ALL = ['operators', 'session', 'decode', 'cost', 'scale'];
const NODE_FLAGS = {
  operators: ['--expose-gc'],
  session: ['--expose-gc'],
  decode: ['--expose-gc'],
  cost: [],
  scale: [],
};

const argv = process.argv.slice(2);
const names = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && isValueFlag(argv[i - 1])));
const passThrough = argv.filter((a) => a !== '--wait-idle' && a !== '--docs-only');
const benches = names.length === 0 ? ALL : names;
const quick = argv.includes('--quick');
for (const name of benches) if (!ALL.includes(name)) throw new Error(`unknown bench ${name}; one of ${ALL}`);

function isValueFlag(arg) {
  return [
    '--sessions',
    '--runs',
    '--clients',
    '--out',
    '--fixtures',
    '--profile',
    '--heap-snapshot',
    '--window-profile',
    '--retries',
  ].includes(arg);
}

const load = () => loadavg().map((x) => Math.round(x * 100) / 100);

async function waitIdle() {
  const deadline = Date.now() + 30 * 60 * 1000;
  for (;;) {
    const [one] = loadavg();
    if (one <= 1.5) return;
    if (Date.now() >= deadline) {
      console.log(`load average still ${load().join(' ')} after 30 min: running anyway`);
      return;
    }
    console.log(`load average ${load().join(' ')} > 1.5: waiting 2 min`);
    await sleep(120_000);
  }
}

async function build() {
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: ROOT,
    // One flat directory: scale.bench.cjs forks its siblings by name.
    entryPoints: [
      ...ALL.map((name) => ({ in: `bench/${name}.bench.ts`, out: `${name}.bench` })),
      ...['emulatorProcess', 'mainRx', 'mainRaw', 'mainSdk', 'mainFloor'].map((name) => ({
        in: `bench/scale/${name}.ts`,
        out: name,
      })),
    ],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: OUT,
    outExtension: { '.js': '.cjs' },
    packages: 'external',
    logLevel: 'warning',
  });
}

function run(name) {
  const file = join(OUT, `${name}.bench.cjs`);
  const args = [...NODE_FLAGS[name], file, ...passThrough.filter((a) => !benches.includes(a))];
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolveRun() : reject(new Error(`${name} exited ${code}`))));
  });
}

async function formatJson(path) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(path)) ?? {};
  writeFileSync(path, await prettier.format(readFileSync(path, 'utf8'), { ...options, parser: 'json' }));
}

function replaceBlock(doc, name, content) {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) {
    console.log(`docs/benchmarks.md has no ${start} … ${end} block: skipped`);
    return doc;
  }
  return `${doc.slice(0, from + start.length)}\n\n${content.trim()}\n\n${doc.slice(to)}`;
}

/**
 * The CPU's family, model and stepping and its cache size, from /proc/cpuinfo (Linux): a virtual
 * machine's model name ("AMD EPYC") does not tell two hosts apart, and their speeds differ.
 */
function cpuIdentity() {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const field = (name) => new RegExp(`^${name}\\s*:\\s*(.+)$`, 'm').exec(info)?.[1]?.trim();
    const [family, model, stepping, cache] = ['cpu family', 'model', 'stepping', 'cache size'].map(field);
    if (family === undefined) return undefined;
    return `family ${family} model ${model} stepping ${stepping}${cache === undefined ? '' : `, cache ${cache}`}`;
  } catch {
    return undefined;
  }
}

function machineBlock(runInfo) {
  const identity = runInfo.machine.cpuIdentity === undefined ? '' : ` (${runInfo.machine.cpuIdentity})`;
  const lines = [
    `- Machine: ${runInfo.machine.cpus} × ${runInfo.machine.cpuModel}${identity}, ${runInfo.machine.memoryGb} GB RAM, ` +
      `${runInfo.machine.platform}; Node ${runInfo.machine.node}.`,
    ...runInfo.benches.map(
      (b) =>
        `- \`${b.name}\`: ${b.startedAt ?? 'start not recorded'}, ${Math.round(b.seconds)} s; load average ` +
        `(1, 5, 15 min) before ${b.loadBefore.join(' / ')}, after ${b.loadAfter.join(' / ')}.`,
    ),
  ];
  return lines.join('\n');
}

/** Copies the machine block and every results table into docs/benchmarks.md. */
function updateDoc(runInfo) {
  let doc = readFileSync(DOC, 'utf8');
  doc = replaceBlock(doc, 'machine', machineBlock(runInfo));
  for (const name of ALL) {
    const path = join(RESULTS, `${name}.json`);
    if (!existsSync(path)) continue;
    const result = JSON.parse(readFileSync(path, 'utf8'));
    for (const [table, content] of Object.entries(result.tables)) doc = replaceBlock(doc, table, content);
  }
  writeFileSync(DOC, doc);
  console.log(`\nupdated ${DOC}`);
}

async function main() {
  if (argv.includes('--docs-only')) {
    updateDoc(JSON.parse(readFileSync(join(RESULTS, 'run.json'), 'utf8')));
    return;
  }
  if (argv.includes('--wait-idle')) await waitIdle();
  const started = new Date().toISOString();
  console.log(`building benches into ${OUT}`);
  await build();
  const info = [];
  for (const name of benches) {
    const loadBefore = load();
    const startedAt = new Date().toISOString();
    const t = Date.now();
    console.log(`\n=== ${name} (load average ${loadBefore.join(' ')}) ===`);
    await run(name);
    info.push({ name, startedAt, seconds: (Date.now() - t) / 1000, loadBefore, loadAfter: load() });
  }
  if (quick) {
    console.log('\n--quick: results left in node_modules/.cache/deepgram-rx-bench/results; docs not updated');
    return;
  }
  const runInfo = {
    started,
    finished: new Date().toISOString(),
    args: argv,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      cpuIdentity: cpuIdentity(),
      memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      platform: `${process.platform} ${process.arch}`,
      node: process.version,
    },
    benches: info,
  };
  const runPath = join(RESULTS, 'run.json');
  // Keep the timing of benches not run this time.
  if (existsSync(runPath)) {
    const previous = JSON.parse(readFileSync(runPath, 'utf8'));
    for (const b of previous.benches ?? []) if (!benches.includes(b.name)) runInfo.benches.push(b);
    runInfo.benches.sort((a, b) => ALL.indexOf(a.name) - ALL.indexOf(b.name));
  }
  writeFileSync(runPath, `${JSON.stringify(runInfo, null, 2)}\n`);
  updateDoc(runInfo);
  for (const name of [...benches, 'run']) await formatJson(join(RESULTS, `${name}.json`));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
