/**
 * Message-path probe (not part of `npm run bench`): microseconds per server message from a socket's
 * `message` event to the subscriber, through `transcribe` (decode, rebase, repeat filter, event),
 * next to a raw loop's handler (`JSON.parse` and a callback) on the same frames and the same
 * in-memory socket. Real Results (the recorded fixtures), their times moved onto each session's
 * audio; 100 sessions taking turns, 4 s of audio (40 chunks) per session between messages.
 *
 * In the scale bench at N = 100 (~70 messages a second in the whole process) the message path
 * runs unoptimised for much of the window; `--no-opt` measures that tier (Ignition and Sparkplug),
 * where every call and every search per word shows. From the repository root (the fixtures are
 * read from ../shared, as in the decode bench):
 *
 *   npx esbuild bench/scale/messagePathProbe.ts --bundle --platform=node --packages=external \
 *     --outfile=node_modules/.cache/message-path-probe.cjs
 *   node --no-opt node_modules/.cache/message-path-probe.cjs
 *   node node_modules/.cache/message-path-probe.cjs
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Observable, type Subscriber } from 'rxjs';
import { MemorySocket, transcribeOnMemory } from '../lib/memorySocket';

const SESSIONS = 100;
const ROUNDS = 200;
const CHUNK = new Uint8Array(3200); // 100 ms of 16 kHz linear16
/** Audio per session between two messages: longer than the longest recorded Results (3.08 s). */
const SECONDS_PER_ROUND = 4;
const FIXTURES = resolve('../shared/fixtures/deepgram-recorded');

interface Timed {
  start: number;
  end: number;
}

interface ResultsLike {
  start: number;
  duration: number;
  channel: { alternatives: { words: Timed[] }[] };
}

/** The recorded Results, each moved to start at 0 (the probe shifts them onto each session's audio). */
function recordedResults(): ResultsLike[] {
  const all: ResultsLike[] = [];
  for (const name of readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .sort()) {
    const { response } = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as { response: ResultsLike };
    const origin = response.start;
    response.start = 0;
    for (const alternative of response.channel.alternatives) {
      for (const word of alternative.words) {
        word.start = Math.max(0, word.start - origin);
        word.end = Math.max(word.start, word.end - origin);
      }
    }
    if (response.duration <= SECONDS_PER_ROUND) all.push(response);
  }
  if (all.length === 0) throw new Error(`no Results of at most ${SECONDS_PER_ROUND} s in ${FIXTURES}`);
  return all;
}

/** `results` as a text frame, its times shifted by `offset` seconds. */
function frameAt(results: ResultsLike, offset: number): string {
  const shifted = structuredClone(results);
  shifted.start += offset;
  for (const alternative of shifted.channel.alternatives) {
    for (const word of alternative.words) {
      word.start += offset;
      word.end += offset;
    }
  }
  return JSON.stringify(shifted);
}

async function main(): Promise<void> {
  const recorded = recordedResults();
  const sockets: MemorySocket[] = [];
  const sinks: Subscriber<Uint8Array>[] = [];
  let events = 0;
  for (let i = 0; i < SESSIONS; i++) {
    const audio$ = new Observable<Uint8Array>((subscriber) => void sinks.push(subscriber));
    transcribeOnMemory(audio$, sockets, {
      next: (event) => {
        if (event.type === 'Results') events++;
      },
      error: (error: unknown) => {
        throw error;
      },
    });
  }
  await new Promise((resolveOpen) => setTimeout(resolveOpen, 50));
  // The raw loop's handler, on a socket of its own.
  const rawSocket = new MemorySocket();
  let rawMessages = 0;
  rawSocket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data as string) as { type: string };
    if (message.type === 'Results') rawMessages++;
  });

  let rxNs = 0;
  let rawNs = 0;
  let messages = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < SESSIONS; i++) {
      for (let c = 0; c < SECONDS_PER_ROUND * 10; c++) sinks[i]!.next(CHUNK);
    }
    // Round r's Results lies in the audio each session sent in that round.
    const frame = frameAt(recorded[round % recorded.length]!, round * SECONDS_PER_ROUND);
    for (let i = 0; i < SESSIONS; i++) {
      const t0 = process.hrtime.bigint();
      sockets[i]!.receive(frame);
      const t1 = process.hrtime.bigint();
      rawSocket.receive(frame);
      const t2 = process.hrtime.bigint();
      rxNs += Number(t1 - t0);
      rawNs += Number(t2 - t1);
      messages++;
    }
  }
  if (events !== messages || rawMessages !== messages) {
    throw new Error(`${messages} frames: ${events} Results events, ${rawMessages} parsed`);
  }
  const us = (ns: number): string => (ns / messages / 1000).toFixed(2);
  console.log(
    `node ${process.execArgv.join(' ') || '(default flags)'}: ${messages} messages; deepgram-rx ${us(rxNs)} µs ` +
      `per message, JSON.parse + callback ${us(rawNs)} µs, difference ${us(rxNs - rawNs)} µs`,
  );
  process.exit(0);
}

void main();
