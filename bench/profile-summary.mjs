#!/usr/bin/env node
/**
 * Summarises V8 CPU profiles (from `node bench/run.mjs scale --profile DIR`): self time by area
 * (deepgram-rx source, rxjs, ws, the SDK, Node internals, GC, idle) and the top functions.
 *
 *   node bench/profile-summary.mjs DIR/CPU.*.cpuprofile [--top 25]
 */
import console from 'node:console';
import { readFileSync } from 'node:fs';
import process from 'node:process';

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
const files = args.filter((a, i) => !a.startsWith('--') && !['--top'].includes(args[i - 1]));

function area(frame) {
  const url = frame.url ?? '';
  const name = frame.functionName;
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)' || name === '(program)') return name;
  if (url.includes('node_modules/rxjs')) return 'rxjs';
  if (url.includes('node_modules/ws')) return 'ws';
  if (url.includes('node_modules/@deepgram')) return '@deepgram/sdk';
  if (url.includes('node_modules/fp-ts') || url.includes('node_modules/io-ts')) return 'fp-ts/io-ts';
  if (url.includes('deepgram-rx-bench')) return 'bench bundle (src + harness)';
  if (url.startsWith('node:') || url === '') return 'node internals / native';
  return url;
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self].filter(([id]) => byId.get(id).callFrame.functionName === '(idle)');
  const busy = total - idle.reduce((a, [, t]) => a + t, 0);
  const areas = new Map();
  const functions = new Map();
  for (const [id, time] of self) {
    const frame = byId.get(id).callFrame;
    if (frame.functionName === '(idle)') continue;
    const a = area(frame);
    areas.set(a, (areas.get(a) ?? 0) + time);
    const where = (frame.url ?? '').split('/').slice(-2).join('/');
    const key = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + time);
  }
  const pct = (t) => `${((t / busy) * 100).toFixed(1).padStart(5)} %`;
  console.log(`\n${file}: ${(busy / 1000).toFixed(0)} ms busy of ${(total / 1000).toFixed(0)} ms sampled`);
  for (const [a, t] of [...areas].sort((x, y) => y[1] - x[1])) console.log(`  ${pct(t)}  ${a}`);
  console.log(`  top ${top} functions by self time:`);
  for (const [f, t] of [...functions].sort((x, y) => y[1] - x[1]).slice(0, top))
    console.log(`  ${pct(t)}  ${f}`);

  // Inclusive (self + callees) time by function, counted once per call stack (no double counting
  // of recursion): what a whole path costs, e.g. the harness's `tick` = one chunk end to end.
  const inclusive = new Map();
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (frame) => {
    const where = (frame.url ?? '').split('/').slice(-2).join('/');
    return `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
  };
  for (const [id, time] of self) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at).callFrame;
      if (frame.functionName === '(root)' || frame.functionName === '(idle)') continue;
      const key = keyOf(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + time);
    }
  }
  console.log(`  top ${top} functions by inclusive time:`);
  for (const [f, t] of [...inclusive].sort((x, y) => y[1] - x[1]).slice(0, top))
    console.log(`  ${pct(t)}  ${f}`);
}
