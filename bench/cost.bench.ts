/**
 * Cost: billed seconds ÷ speech seconds and word loss, on the same audio, for
 *   - no gating (every byte sent),
 *   - `gateSilence` with its defaults (−50 dBFS, 300 ms preroll, 500 ms hangover),
 *   - a fixed-RMS-threshold filter with a 1 s hangover and no preroll (the approach of a popular
 *     voice-agent framework): a chunk is sent when its RMS reaches the threshold or when it starts
 *     less than 1 s after the last such chunk; everything else is dropped. At −50 dBFS (our
 *     threshold, so only the design differs) and at −40 dBFS.
 * Audio is cut in 20 ms chunks. Billed seconds are the emulator's `Metadata.duration` after
 * streaming the filtered audio to it over a loopback socket (checked against bytes ÷ bytes/s).
 *
 *   node bench/run.mjs cost [--quick]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import WebSocket from 'ws';
import { parseWav, type WavFormat } from '../src/audio/wavHeader';
import { gateSilence, type GatedSpan } from '../src/operators/gateSilence';
import { bytesPerSample, rmsDbfs, sumOfSquares } from '../src/protocol/audioFormat';
import { startEmulator, type Emulator } from '../src/server';
import { markdownTable, parseFlags, publish } from './lib/report';
import { fmt, median } from './lib/stats';

/** The project's shared recordings, beside the repository (npm run bench runs in its root). */
const SHARED = resolve('../shared');

const flags = parseFlags(process.argv.slice(2));
const CHUNK_MS = 20;
const CLEAR_SPEECH_DBFS = -40;
const LONG_PAUSE_S = 1;

interface Word {
  word: string;
  start: number;
  end: number;
}

interface AudioCase {
  name: string;
  path: string;
  /** Words with known timings: all of them (a script) or a sample (recorded Deepgram results). */
  words: Word[];
  wordsNote: string;
  /** How speech seconds are counted for this file. */
  speech: 'words' | 'energy';
}

/** Words of the recorded Deepgram Results for one audio file (the fixtures' `audio` field). */
function recordedWords(audio: string): Word[] {
  const dir = resolve(SHARED, 'fixtures/deepgram-recorded');
  const seen = new Map<string, Word>();
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    const fixture = JSON.parse(readFileSync(`${dir}/${name}`, 'utf8')) as {
      audio: string;
      response: { channel: { alternatives: { words: Word[] }[] } };
    };
    if (fixture.audio !== audio) continue;
    for (const w of fixture.response.channel.alternatives[0]?.words ?? []) {
      seen.set(`${w.start}/${w.word}`, { word: w.word, start: w.start, end: w.end });
    }
  }
  return [...seen.values()].sort((a, b) => a.start - b.start);
}

const CASES: AudioCase[] = [
  {
    name: 'pauses-16k.wav',
    path: 'samples/pauses-16k.wav',
    words: (JSON.parse(readFileSync('samples/pauses-16k.words.json', 'utf8')) as { words: Word[] }).words,
    wordsNote: 'script (every word)',
    speech: 'words',
  },
  {
    name: 'preamble-rest.wav',
    path: resolve(SHARED, 'audio/preamble-rest.wav'),
    words: [],
    wordsNote: 'none known',
    speech: 'energy',
  },
  {
    name: 'preamble-websocket.wav',
    path: resolve(SHARED, 'audio/preamble-websocket.wav'),
    words: recordedWords('preamble-websocket.wav'),
    wordsNote: 'recorded Deepgram results (a sample)',
    speech: 'energy',
  },
];

/** A byte range of the source that was not sent. */
interface Dropped {
  from: number;
  to: number;
}

interface FilterRun {
  sent: Uint8Array[];
  dropped: Dropped[];
}

interface Filter {
  name: string;
  run: (chunks: Uint8Array[], format: WavFormat) => Promise<FilterRun>;
}

function blockAlign(format: WavFormat): number {
  return bytesPerSample(format.encoding) * format.channels;
}

function bytesPerSecond(format: WavFormat): number {
  return blockAlign(format) * format.sample_rate;
}

const noGating: Filter = {
  name: 'no gating',
  run: (chunks) => Promise.resolve({ sent: chunks, dropped: [] }),
};

const ourGate: Filter = {
  name: 'gateSilence (defaults: −50 dBFS, 300 ms preroll, 500 ms hangover)',
  run: async (chunks, format) => {
    const spans: GatedSpan[] = [];
    const sent = await lastValueFrom(
      from(chunks).pipe(
        gateSilence({
          encoding: format.encoding,
          sample_rate: format.sample_rate,
          channels: format.channels,
          onGate: (span) => spans.push(span),
        }),
        toArray(),
      ),
    );
    const rate = bytesPerSecond(format);
    const dropped = spans.map((s) => ({ from: Math.round(s.from * rate), to: Math.round(s.to * rate) }));
    return { sent, dropped };
  },
};

function rmsFilter(thresholdDbfs: number, hangoverMs: number): Filter {
  return {
    name: `fixed RMS ${thresholdDbfs} dBFS, ${hangoverMs / 1000} s hangover, no preroll`,
    run: (chunks, format) => {
      const rate = bytesPerSecond(format);
      const hangoverBytes = (hangoverMs / 1000) * rate;
      const sent: Uint8Array[] = [];
      const dropped: Dropped[] = [];
      let position = 0;
      let lastLoudEnd = -Infinity;
      for (const chunk of chunks) {
        const { sum, samples } = sumOfSquares(chunk, format.encoding);
        const loud = rmsDbfs(sum, samples) >= thresholdDbfs;
        const end = position + chunk.length;
        if (loud) lastLoudEnd = end;
        if (loud || position < lastLoudEnd + hangoverBytes) sent.push(chunk);
        else {
          const last = dropped[dropped.length - 1];
          if (last !== undefined && last.to === position) last.to = end;
          else dropped.push({ from: position, to: end });
        }
        position = end;
      }
      return Promise.resolve({ sent, dropped });
    },
  };
}

const FILTERS: Filter[] = [noGating, ourGate, rmsFilter(-50, 1000), rmsFilter(-40, 1000)];

/** Streams the audio to the emulator as fast as it takes it; resolves with `Metadata.duration`. */
function billedSeconds(emulator: Emulator, format: WavFormat, sent: Uint8Array[]): Promise<number> {
  const query = `encoding=${format.encoding}&sample_rate=${format.sample_rate}&channels=${format.channels}`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${emulator.url}?${query}`, { perMessageDeflate: false });
    let duration: number | undefined;
    socket.on('open', () => {
      for (const chunk of sent) socket.send(chunk);
      socket.send('{"type":"CloseStream"}');
    });
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { type: string; duration?: number };
      if (message.type === 'Metadata') duration = message.duration;
    });
    socket.on('error', reject);
    socket.on('close', (code) => {
      if (duration === undefined) reject(new Error(`closed ${code} without Metadata`));
      else resolve(duration);
    });
  });
}

/** 10 ms frames of the source: level (dBFS) of each. */
function frameLevels(data: Uint8Array, format: WavFormat): { frameBytes: number; levels: number[] } {
  const frameBytes = Math.round(format.sample_rate / 100) * blockAlign(format);
  const levels: number[] = [];
  for (let at = 0; at + frameBytes <= data.length; at += frameBytes) {
    const { sum, samples } = sumOfSquares(data, format.encoding, at, frameBytes);
    levels.push(rmsDbfs(sum, samples));
  }
  return { frameBytes, levels };
}

/**
 * Speech seconds from energy, for files without a complete script: the stretches from the first to
 * the last clearly spoken 10 ms frame (≥ −40 dBFS), split at silences of 1 s or more.
 */
function energySpeechSeconds(levels: number[]): number {
  const loud = levels.flatMap((level, i) => (level >= CLEAR_SPEECH_DBFS ? [i] : []));
  let total = 0;
  let runStart = loud[0];
  let previous = loud[0];
  for (const i of [...loud.slice(1), undefined]) {
    if (i === undefined || (i - previous!) * 0.01 >= LONG_PAUSE_S) {
      if (runStart !== undefined) total += (previous! - runStart + 1) * 0.01;
      runStart = i;
    }
    previous = i;
  }
  return total;
}

function overlap(a: Dropped, from: number, to: number): number {
  return Math.max(0, Math.min(a.to, to) - Math.max(a.from, from));
}

interface Row {
  audio: string;
  filter: string;
  audioSeconds: number;
  speechSeconds: number;
  billedSeconds: number;
  bytesSeconds: number;
  billedPerSpeech: number;
  savedPercent: number;
  wordsKnown: number;
  wordsMissing: string[];
  wordsClipped: string[];
  clippedMs: number;
  clearSpeechFramesDropped: number;
  /** For each gap followed by audio: ms kept between the end of the gap and the next speech. */
  leadInsMs: number[];
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ sha256: 'incomplete' });
  const rows: Row[] = [];
  try {
    for (const audioCase of CASES) {
      const { format, data } = parseWav(new Uint8Array(readFileSync(audioCase.path)), audioCase.path);
      const rate = bytesPerSecond(format);
      const chunkBytes = Math.round((format.sample_rate * CHUNK_MS) / 1000) * blockAlign(format);
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < data.length; at += chunkBytes) chunks.push(data.subarray(at, at + chunkBytes));
      const { frameBytes, levels } = frameLevels(data, format);
      const speechSeconds =
        audioCase.speech === 'words'
          ? audioCase.words.reduce((s, w) => s + (w.end - w.start), 0)
          : energySpeechSeconds(levels);

      for (const filter of FILTERS) {
        const { sent, dropped } = await filter.run(chunks, format);
        const sentBytes = sent.reduce((n, c) => n + c.length, 0);
        const droppedBytes = dropped.reduce((n, d) => n + d.to - d.from, 0);
        if (sentBytes + droppedBytes !== data.length) {
          throw new Error(`${filter.name}: ${sentBytes} sent + ${droppedBytes} dropped ≠ ${data.length}`);
        }
        const billed = await billedSeconds(emulator, format, sent);
        const wordsMissing: string[] = [];
        const wordsClipped: string[] = [];
        let clippedMs = 0;
        for (const w of audioCase.words) {
          const from = Math.floor(w.start * rate);
          const to = Math.ceil(w.end * rate);
          const lost = dropped.reduce((n, d) => n + overlap(d, from, to), 0);
          if (lost === 0) continue;
          clippedMs += (lost / rate) * 1000;
          if (lost >= to - from) wordsMissing.push(w.word);
          else wordsClipped.push(`${w.word} (${fmt((lost / rate) * 1000, 0)} ms)`);
        }
        let clearSpeechFramesDropped = 0;
        levels.forEach((level, i) => {
          if (level < CLEAR_SPEECH_DBFS) return;
          const from = i * frameBytes;
          if (dropped.some((d) => overlap(d, from, from + frameBytes) > 0)) clearSpeechFramesDropped++;
        });
        // Speech onsets: word starts (script) or the first clearly spoken frame of each stretch.
        const onsets =
          audioCase.speech === 'words'
            ? audioCase.words.map((w) => w.start * rate)
            : levels.flatMap((level, i) =>
                level >= CLEAR_SPEECH_DBFS && !(levels[i - 1]! >= CLEAR_SPEECH_DBFS) ? [i * frameBytes] : [],
              );
        const leadInsMs = dropped.flatMap((d) => {
          const next = onsets.find((o) => o >= d.to);
          return d.to < data.length && next !== undefined ? [((next - d.to) / rate) * 1000] : [];
        });
        rows.push({
          audio: audioCase.name,
          filter: filter.name,
          audioSeconds: data.length / rate,
          speechSeconds,
          billedSeconds: billed,
          bytesSeconds: sentBytes / rate,
          billedPerSpeech: billed / speechSeconds,
          savedPercent: (1 - billed / (data.length / rate)) * 100,
          wordsKnown: audioCase.words.length,
          wordsMissing,
          wordsClipped,
          clippedMs,
          clearSpeechFramesDropped,
          leadInsMs,
        });
      }
    }
  } finally {
    await emulator.close();
  }

  for (const r of rows) {
    if (Math.abs(r.billedSeconds - r.bytesSeconds) > 1e-6) {
      throw new Error(`${r.audio} / ${r.filter}: Metadata.duration ${r.billedSeconds} ≠ ${r.bytesSeconds}`);
    }
  }
  const table = markdownTable(
    [
      'audio',
      'filter',
      'billed s',
      'billed ÷ speech',
      'saved vs no gating',
      'words lost (missing + clipped) / known',
      'clear-speech frames dropped',
      'lead-in kept before speech after a gap, min / median',
    ],
    rows.map((r) => [
      `${r.audio} (${fmt(r.audioSeconds, 1)} s, speech ${fmt(r.speechSeconds, 2)} s)`,
      r.filter,
      fmt(r.billedSeconds, 2),
      `${fmt(r.billedPerSpeech, 2)}`,
      `${fmt(r.savedPercent, 1)} %`,
      r.wordsKnown === 0
        ? 'n/a'
        : `${r.wordsMissing.length + r.wordsClipped.length} / ${r.wordsKnown}` +
          (r.wordsMissing.length + r.wordsClipped.length > 0
            ? `: ${[...r.wordsMissing.map((w) => `${w} (all)`), ...r.wordsClipped].join(', ')}`
            : ''),
      String(r.clearSpeechFramesDropped),
      r.leadInsMs.length === 0
        ? 'no gap'
        : `${fmt(Math.min(...r.leadInsMs), 0)} / ${fmt(median(r.leadInsMs), 0)} ms (${r.leadInsMs.length} gaps)`,
    ]),
  );
  const notes = CASES.map(
    (c) =>
      `${c.name}: speech seconds = ${c.speech === 'words' ? 'sum of the script’s word spans' : 'energy stretches (first to last ≥ −40 dBFS frame, split at ≥ 1 s silences)'}; known words: ${c.wordsNote}.`,
  ).join(' ');
  publish('cost', flags, {
    config: { chunkMs: CHUNK_MS, filters: FILTERS.map((f) => f.name), clearSpeechDbfs: CLEAR_SPEECH_DBFS },
    tables: {
      cost:
        `${table}\n\n${CHUNK_MS} ms chunks. Billed seconds = the emulator's Metadata.duration for the ` +
        `filtered stream (equal to bytes sent ÷ bytes per second in every row). A word is lost when any ` +
        `sample of its span was dropped ("all" = entirely). Clear speech = 10 ms frames at ≥ −40 dBFS. ` +
        `Lead-in = audio kept between the end of a dropped span and the next word (script) or clearly ` +
        `spoken frame: what the recogniser hears before the speech resumes. ${notes}`,
    },
    rows,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
