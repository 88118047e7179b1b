/**
 * End to end in headless Chromium: the browser example streams a WAV, played by Chromium's fake
 * microphone, through fromMicrophone → gateSilence → transcribe (native WebSocket, `token`
 * subprotocol auth) to the emulator, and shows the transcript, the KeepAlives and the cost.
 *
 * Needs Debian's `chromium` (`apt-get install -y chromium`; `.ci/run` installs it): see browserSupport.ts.
 *
 * The WAV is cut from samples/pauses-16k.wav: 1.5 s of silence, "Hello from Deepgram RX.", a 2.5 s
 * pause, "This sample pauses for twelve seconds.", 1 s of silence. The page gates silence, so the
 * emulator's audio clock (the audio it receives) skips most of the pauses. The emulator's script is
 * therefore written on that clock: every phrase is sent from `prerollMs` (300 ms) before its first
 * word, and the gate closes `hangoverMs` (500 ms, up to one 100 ms chunk more) after the phrase.
 * The gated part of the middle pause (~1.6 s) is longer than the emulator's 1 s inactivity
 * timeout: only the KeepAlives keep the session open.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseWav } from '../../src/audio/wavHeader';
import { scriptRecognizer, type EmulatorSession, type ScriptWord } from 'deepgram-rx/node';
import {
  browserTestDir,
  startBrowserTest,
  stopBrowserTest,
  writePcmWav,
  type BrowserTest,
} from './browserSupport';

const root = resolve(__dirname, '../..');
const KEY = 'browser-e2e-key';
const RATE = 16000;
const PREROLL = 0.3; // gateSilence's default prerollMs
const HANGOVER = 0.5; // gateSilence's default hangoverMs

const LEAD = 1.5; // s of silence before the first phrase
const PAUSE = 2.5; // s between the phrases
const TAIL = 1.0; // s after the second phrase
const PHRASES = [
  { from: 1.0, to: 3.482 }, // "Hello from Deepgram RX." in the sample
  { from: 6.482, to: 10.013 }, // "This sample pauses for twelve seconds."
];

interface SampleWord {
  word: string;
  start: number;
  end: number;
  punctuated_word: string;
}

/** The test WAV (16 kHz mono linear16) and the script on the emulator's (gated) audio clock. */
function buildFixture(dir: string): { wav: string; words: ScriptWord[] } {
  const sample = parseWav(readFileSync(join(root, 'samples/pauses-16k.wav')), 'pauses-16k.wav');
  expect(sample.format).toEqual({ encoding: 'linear16', sample_rate: RATE, channels: 1 });
  const bytes = (seconds: number): number => Math.round(seconds * RATE) * 2;
  const silence = (seconds: number): Uint8Array => new Uint8Array(bytes(seconds));
  const cut = (p: { from: number; to: number }): Uint8Array =>
    sample.data.subarray(bytes(p.from), bytes(p.to));
  const parts = [silence(LEAD), cut(PHRASES[0]!), silence(PAUSE), cut(PHRASES[1]!), silence(TAIL)];
  const wav = join(dir, 'microphone.wav');
  writePcmWav(wav, Buffer.concat(parts), RATE);

  const script = JSON.parse(readFileSync(join(root, 'samples/pauses-16k.words.json'), 'utf8')) as {
    words: SampleWord[];
  };
  // Where each phrase starts on the gated clock: the first at its preroll, the next one after the
  // previous phrase, its hangover and its own preroll.
  let phraseStart = PREROLL;
  const words: ScriptWord[] = [];
  for (const phrase of PHRASES) {
    for (const w of script.words.filter((x) => x.start >= phrase.from && x.end <= phrase.to)) {
      const shift = phraseStart - phrase.from;
      words.push({
        word: w.word,
        start: w.start + shift,
        end: w.end + shift,
        punctuated_word: w.punctuated_word,
      });
    }
    phraseStart += phrase.to - phrase.from + HANGOVER + PREROLL;
  }
  return { wav, words };
}

const normalise = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/[^a-z0-9]/g, ''))
    .filter((w) => w !== '');

interface Snapshot {
  audioBytes: number;
  keepAlives: number;
}

interface Run {
  words: ScriptWord[];
  finals: string[];
  interims: string[];
  keepAlivesShown: number;
  costShown: string;
  stateShown: string | null;
  errorShown: string;
  pageErrors: string[];
  snapshots: Snapshot[];
  session: EmulatorSession;
}

let work: string | undefined;
let started: BrowserTest | undefined;
let run: Run;

beforeAll(async () => {
  work = browserTestDir('browser');
  const { wav, words } = buildFixture(work);
  started = await startBrowserTest({
    example: 'browser',
    emulator: { apiKey: KEY, idleTimeoutMs: 1000, recognizer: scriptRecognizer(words) },
    workDir: work,
    wav,
  });
  const { emulator, server, page, pageErrors } = started;
  // Test instrumentation: remember every interim transcript the page showed.
  await page.addInitScript(() => {
    const w = window as unknown as { interims: string[] };
    w.interims = [];
    document.addEventListener('DOMContentLoaded', () => {
      const interim = document.getElementById('interim')!;
      new MutationObserver(() => {
        if (interim.textContent) w.interims.push(interim.textContent);
      }).observe(interim, { childList: true, characterData: true, subtree: true });
    });
  });

  const query = new URLSearchParams({ url: emulator.url, key: KEY, keepAliveMs: '300', chunkMs: '100' });
  await page.goto(`${server.url}?${query.toString()}`);
  // The emulator's record while the page streams: audio bytes and KeepAlives over time.
  const snapshots: Snapshot[] = [];
  const poll = setInterval(() => {
    const s = emulator?.sessions()[0];
    if (s) snapshots.push({ audioBytes: s.audioBytes, keepAlives: s.keepAlives });
  }, 25);
  try {
    await page.click('#start');
    const lastWord = words[words.length - 1]!.word;
    await page.waitForFunction(
      (word) =>
        (document.getElementById('finals')?.textContent ?? '').toLowerCase().includes(word) ||
        document.getElementById('state')?.dataset['state'] === 'error',
      lastWord,
      { timeout: 25_000 },
    );
    await page.click('#stop');
    await page.waitForFunction(
      () => ['closed', 'error'].includes(document.getElementById('state')?.dataset['state'] ?? ''),
      undefined,
      {
        timeout: 15_000,
      },
    );
  } finally {
    clearInterval(poll);
  }
  const session = await emulator.waitForClose({ timeoutMs: 5000 });
  mkdirSync(join(root, 'test-output'), { recursive: true });
  await page.screenshot({ path: join(root, 'test-output/browser-example.png'), fullPage: true });
  run = {
    words,
    finals: await page.locator('#finals p').allTextContents(),
    interims: await page.evaluate(() => (window as unknown as { interims: string[] }).interims),
    keepAlivesShown: Number(await page.textContent('#keepalives')),
    costShown: (await page.textContent('#cost')) ?? '',
    stateShown: await page.getAttribute('#state', 'data-state'),
    errorShown: (await page.textContent('#error')) ?? '',
    pageErrors,
    snapshots,
    session,
  };
}, 90_000);

afterAll(() => stopBrowserTest(started, work));

test('the session ends cleanly: no error on the page, and the page shows it closed', () => {
  expect(run.errorShown).toBe('');
  expect(run.pageErrors).toEqual([]);
  expect(run.stateShown).toBe('closed');
});

test('the browser authenticates with the token subprotocol and the emulator answers token', () => {
  expect(run.session.authScheme).toBe('token-protocol');
  expect(run.session.protocol).toBe('token');
});

test('the microphone audio arrives as 16 kHz linear16 with the gated silence left out', () => {
  expect(run.session.query).toMatchObject({ encoding: 'linear16', sample_rate: '16000', channels: '1' });
  expect(run.session.binaryControlFrames).toBe(0);
  // Both phrases, each with its preroll, the first with its full hangover (Stop may cut the second
  // one short), plus at most a chunk or two of rounding: none of the other ~4.5 s of silence.
  const speech = PHRASES.reduce((s, p) => s + p.to - p.from, 0);
  expect(run.session.audioSeconds).toBeGreaterThanOrEqual(speech + 2 * PREROLL + HANGOVER);
  expect(run.session.audioSeconds).toBeLessThan(speech + 2 * (PREROLL + HANGOVER) + 0.25);
});

test('the final transcripts on the page are the script words, in order', () => {
  expect(normalise(run.finals.join(' '))).toEqual(run.words.map((w) => w.word));
});

test('interim transcripts are shown while the words come in', () => {
  const interimWords = new Set(run.interims.flatMap(normalise));
  expect(interimWords.size).toBeGreaterThan(0);
  for (const word of interimWords) expect(run.words.map((w) => w.word)).toContain(word);
});

test('KeepAlives reach the emulator during the pause between the phrases, and audio resumes after them', () => {
  const finalBytes = run.session.audioBytes;
  const firstAudio = run.snapshots.findIndex((s) => s.audioBytes > 0);
  const allAudio = run.snapshots.findIndex((s) => s.audioBytes === finalBytes);
  expect(firstAudio).toBeGreaterThanOrEqual(0);
  expect(allAudio).toBeGreaterThan(firstAudio);
  const duringSpeech = run.snapshots[allAudio]!.keepAlives - run.snapshots[firstAudio]!.keepAlives;
  // ~1.6 s gated at 300 ms per KeepAlive: 4 or 5 (the emulator would have closed after 1 s without).
  expect(duringSpeech).toBeGreaterThanOrEqual(3);
});

test('the page counts the KeepAlives that were sent and shows a running cost', () => {
  expect(run.keepAlivesShown).toBe(run.session.keepAlives);
  expect(run.costShown).toMatch(/^\$0\.\d{5}$/);
  expect(Number(run.costShown.slice(1))).toBeGreaterThan(0);
});

test('Stop closes the stream gracefully: CloseStream, then the emulator closes with 1000', () => {
  expect(run.session.closeStreams).toBe(1);
  expect(run.session.closeCode).toBe(1000);
  expect(run.session.closedBy).toBe('server');
});

test('Stop pressed before the socket opens keeps the page closing until the session has closed', async () => {
  const { emulator, server, page } = started!;
  const query = new URLSearchParams({ url: emulator.url, key: KEY, keepAliveMs: '300', chunkMs: '100' });
  await page.goto(`${server.url}?${query.toString()}`);
  await page.evaluate(() => {
    const state = document.getElementById('state')!;
    const seen: string[] = [];
    (window as unknown as { states: string[] }).states = seen;
    new MutationObserver(() => seen.push(state.dataset['state'] ?? '')).observe(state, { attributes: true });
    // Both in one task: the socket cannot have opened in between.
    document.getElementById('start')!.click();
    document.getElementById('stop')!.click();
  });
  await page.waitForFunction(
    () => ['closed', 'error'].includes(document.getElementById('state')?.dataset['state'] ?? ''),
    undefined,
    { timeout: 15_000 },
  );
  // The observer sees the state after each batch of changes: 'closing' (Start and Stop, one task), then
  // whatever follows, which must not go back to 'open' (Stop would be enabled again and do nothing).
  const states = await page.evaluate(() => (window as unknown as { states: string[] }).states);
  expect([states[0], states.at(-1), states.includes('open')]).toEqual(['closing', 'closed', false]);
});
