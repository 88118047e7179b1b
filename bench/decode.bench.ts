/**
 * Decode throughput: `decodeServerMessage` on real Deepgram `Results` (the recorded fixtures in
 * ../shared/fixtures/deepgram-recorded beside the repository, `response` field, as the text frames Deepgram sent) per
 * second, next to `JSON.parse` alone (the floor) and to the io-ts codec without the hand-written
 * guard (`JSON.parse` + `Results.decode`), in the same process, alternating rounds.
 *
 *   node bench/run.mjs decode [--quick]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { decodeServerMessage } from '../src/protocol/decode';
import { Results } from '../src/protocol/messages';
import { markdownTable, parseFlags, publish } from './lib/report';
import { fmt, median } from './lib/stats';

const flags = parseFlags(process.argv.slice(2));
const QUICK = flags.get('quick') === true;
const FIXTURES =
  typeof flags.get('fixtures') === 'string'
    ? (flags.get('fixtures') as string)
    : resolve('../shared/fixtures/deepgram-recorded'); // npm run bench runs in the repository root
const MESSAGES_PER_ROUND = QUICK ? 100_000 : 200_000;
const WARM_UP_ROUNDS = 2;
const ROUNDS = QUICK ? 3 : 9;

const frames: string[] = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => {
    const fixture = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as { response: unknown };
    return JSON.stringify(fixture.response);
  });
if (frames.length === 0) throw new Error(`no fixtures in ${FIXTURES}`);
const averageBytes = frames.reduce((n, f) => n + Buffer.byteLength(f), 0) / frames.length;

// Every fixture must decode to Results, or the rates below would measure the failure path.
for (const frame of frames) {
  const decoded = decodeServerMessage(frame);
  if (E.isLeft(decoded) || decoded.right.type !== 'Results') throw new Error(`not Results: ${frame}`);
}

/** A sink the optimiser cannot remove. */
let sink = 0;

interface Candidate {
  name: string;
  run: (frame: string) => number;
}

const candidates: Candidate[] = [
  {
    name: 'JSON.parse (floor)',
    run: (frame) => ((JSON.parse(frame) as { start: number }).start > -1 ? 1 : 0),
  },
  {
    name: 'decodeServerMessage',
    run: (frame) => {
      const decoded = decodeServerMessage(frame);
      return E.isRight(decoded) && decoded.right.type === 'Results' ? 1 : 0;
    },
  },
  {
    name: 'JSON.parse + io-ts Results.decode',
    run: (frame) => (E.isRight(Results.decode(JSON.parse(frame))) ? 1 : 0),
  },
];

/** One round: messages per second. */
function rate(candidate: Candidate): number {
  const n = frames.length;
  const start = process.hrtime.bigint();
  let ok = 0;
  for (let i = 0; i < MESSAGES_PER_ROUND; i++) ok += candidate.run(frames[i % n]!);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (ok !== MESSAGES_PER_ROUND) throw new Error(`${candidate.name}: ${ok} of ${MESSAGES_PER_ROUND} decoded`);
  sink += ok;
  return MESSAGES_PER_ROUND / seconds;
}

function main(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  const samples = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
  for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
    for (const candidate of candidates) {
      gc?.();
      const r = rate(candidate);
      if (round >= WARM_UP_ROUNDS) samples.get(candidate.name)!.push(r);
    }
  }
  const floor = median(samples.get('JSON.parse (floor)')!);
  const rows = candidates.map((c) => {
    const values = samples.get(c.name)!;
    const perSecond = median(values);
    return {
      name: c.name,
      messagesPerSecond: perSecond,
      min: Math.min(...values),
      max: Math.max(...values),
      mbPerSecond: (perSecond * averageBytes) / 1e6,
      usPerMessage: 1e6 / perSecond,
      ratioToFloor: perSecond / floor,
    };
  });
  const decode = rows.find((r) => r.name === 'decodeServerMessage')!;
  const table = markdownTable(
    ['decoder', 'messages / s (median)', 'min–max (k/s)', 'µs / message', 'MB / s', 'rate ÷ JSON.parse'],
    rows.map((r) => [
      r.name,
      Math.round(r.messagesPerSecond).toLocaleString('en-US'),
      `${fmt(r.min / 1000, 0)}–${fmt(r.max / 1000, 0)}`,
      fmt(r.usPerMessage, 2),
      fmt(r.mbPerSecond, 0),
      fmt(r.ratioToFloor, 2),
    ]),
  );
  publish('decode', flags, {
    config: { fixtures: frames.length, averageBytes, messagesPerRound: MESSAGES_PER_ROUND, rounds: ROUNDS },
    tables: {
      decode:
        `${table}\n\n${frames.length} recorded Results frames (${fmt(averageBytes, 0)} B on average), ` +
        `${MESSAGES_PER_ROUND.toLocaleString('en-US')} messages per round, median of ${ROUNDS} alternating ` +
        `rounds after ${WARM_UP_ROUNDS} warm-up rounds. Goal ≥ 0.5 × JSON.parse: ${fmt(decode.ratioToFloor, 2)} ` +
        `(${decode.ratioToFloor >= 0.5 ? 'met' : 'NOT met'}).`,
    },
    rows,
  });
  if (sink === 0) console.log('');
}

main();
