/**
 * End to end in headless Chromium: the Angular example's component (`examples/angular`), bootstrapped
 * by its `main.ts` (zoneless, JIT) and served by the examples' dev server. Chromium's fake
 * microphone plays the sample's first 11 s; Start transcribes it through `TranscriptionService` with
 * the browser's own WebSocket to the emulator, Stop ends it gracefully.
 *
 * The emulator's recognizer replays the sample's word script by the audio it receives, so the page
 * must end up showing the first two sentences word for word. Needs Debian's `chromium` (see
 * browserSupport.ts).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseWav } from '../../src/audio/wavHeader';
import { loadScript, scriptRecognizer, type EmulatorSession } from 'deepgram-rx/node';
import {
  browserTestDir,
  startBrowserTest,
  stopBrowserTest,
  writePcmWav,
  type BrowserTest,
} from './browserSupport';

const root = resolve(__dirname, '../..');
const KEY = 'angular-e2e-key';
const RATE = 16000;
/** The words of the sample's first 11 s (its first two sentences; the next words come after 22 s). */
const FIRST_11_S = 'Hello from Deepgram RX. This sample pauses for twelve seconds.';

interface Run {
  transcript: string;
  state: string;
  alert: string | null;
  pageErrors: string[];
  consoleErrors: string[];
  session: EmulatorSession;
}

let work: string | undefined;
let started: BrowserTest | undefined;
let run: Run;

const caption = {
  transcript: 'app-live-caption p:not([role])',
  state: 'app-live-caption small',
  alert: 'app-live-caption p[role=alert]',
};

beforeAll(async () => {
  work = browserTestDir('angular');
  const sample = parseWav(readFileSync(join(root, 'samples/pauses-16k.wav')), 'pauses-16k.wav');
  expect(sample.format).toEqual({ encoding: 'linear16', sample_rate: RATE, channels: 1 });
  const wav = join(work, 'microphone.wav');
  writePcmWav(wav, sample.data.subarray(0, 11 * RATE * 2), RATE);

  const script = loadScript(join(root, 'samples/pauses-16k.words.json'));
  started = await startBrowserTest({
    example: 'angular',
    emulator: { apiKey: KEY, recognizer: scriptRecognizer(script.words) },
    workDir: work,
    wav,
  });
  const { emulator, server, page, pageErrors } = started;
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });

  await page.goto(`${server.url}?${new URLSearchParams({ url: emulator.url, key: KEY }).toString()}`);
  await page.getByRole('button', { name: 'Start' }).click();
  await page.waitForFunction(
    ({ transcript, alert }) =>
      (document.querySelector(transcript)?.textContent ?? '').includes('seconds.') ||
      document.querySelector(alert) !== null,
    caption,
    { timeout: 25_000 },
  );
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.waitForFunction(
    (state) => ['stopped', 'failed'].includes(document.querySelector(state)?.textContent?.trim() ?? ''),
    caption.state,
    { timeout: 15_000 },
  );
  const session = await emulator.waitForClose({ timeoutMs: 5000 });
  mkdirSync(join(root, 'test-output'), { recursive: true });
  await page.screenshot({ path: join(root, 'test-output/angular-example.png'), fullPage: true });
  run = {
    transcript: ((await page.textContent(caption.transcript)) ?? '').trim(),
    state: ((await page.textContent(caption.state)) ?? '').trim(),
    alert: await page.evaluate(
      (selector) => document.querySelector(selector)?.textContent ?? null,
      caption.alert,
    ),
    pageErrors,
    consoleErrors,
    session,
  };
}, 90_000);

afterAll(() => stopBrowserTest(started, work));

test('the component renders and the session ends stopped, with no error on the page', () => {
  expect(run.alert).toBeNull();
  expect(run.pageErrors).toEqual([]);
  expect(run.consoleErrors).toEqual([]);
  expect(run.state).toBe('stopped');
});

test('the transcript on the page is the first two sentences, word for word', () => {
  expect(run.transcript).toBe(FIRST_11_S);
});

test('Stop ends the audio gracefully: one CloseStream, and the server closes with 1000', () => {
  expect(run.session).toMatchObject({ closeStreams: 1, closedBy: 'server', closeCode: 1000 });
});

test('the page authenticates with the token subprotocol and streams 16 kHz linear16 from the microphone', () => {
  expect(run.session.authScheme).toBe('token-protocol');
  expect(run.session.query).toMatchObject({ encoding: 'linear16', sample_rate: '16000', channels: '1' });
  expect(run.session.audioSeconds).toBeGreaterThan(10);
});

test('an invalid configuration (an empty key) is shown on the page when Start throws, and nothing starts', async () => {
  const { emulator, server, page } = started!;
  const sessionsBefore = emulator.sessions().length;
  await page.goto(`${server.url}?${new URLSearchParams({ url: emulator.url, key: '' }).toString()}`);
  await page.getByRole('button', { name: 'Start' }).click();
  const alert = await page.waitForSelector(caption.alert, { timeout: 10_000 });
  expect([await alert.textContent(), (await page.textContent(caption.state))?.trim()]).toEqual([
    'transcribe: apiKey is an empty string',
    'idle',
  ]);
  expect(emulator.sessions()).toHaveLength(sessionsBefore);
});
