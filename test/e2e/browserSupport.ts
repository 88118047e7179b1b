/**
 * What the headless-Chromium tests share: Debian's `chromium` (`apt-get install -y chromium`;
 * `.ci/run` installs it), launched with a fake microphone that plays a WAV file once (written with
 * `writePcmWav`), an example page served by the examples' dev server, the emulator, and the
 * teardown of all of it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startEmulator, type Emulator, type EmulatorConfig } from 'deepgram-rx/node';
import {
  startBrowserExample,
  type BrowserExampleName,
  type BrowserExampleServer,
} from '../../scripts/browserExample';

export { writePcmWav } from '../cli/wavFile';

const CHROMIUM = '/usr/bin/chromium';

/** A running browser test: everything {@link startBrowserTest} started. */
export interface BrowserTest {
  readonly emulator: Emulator;
  readonly server: BrowserExampleServer;
  readonly browser: BrowserContext;
  /** Not navigated yet. */
  readonly page: Page;
  /** Uncaught errors in the page, as they happen. */
  readonly pageErrors: string[];
}

/** A temporary directory for a browser test's WAV and Chromium profile. */
export function browserTestDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `deepgram-rx-${name}-`));
}

/**
 * Headless Chromium with a profile in `workDir` whose microphone plays `wav` once (then silence),
 * permission granted without a prompt.
 *
 * @throws Error when Debian's chromium is not installed
 */
async function launchChromiumWithMicrophone(workDir: string, wav: string): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  }
  return chromium.launchPersistentContext(join(workDir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-audio-capture=${wav}%noloop`,
    ],
  });
}

/**
 * Starts the emulator, serves `example` (and checks that it bundles), and opens Chromium with `wav`
 * as its microphone. What started is stopped again if a later step fails.
 */
export async function startBrowserTest(options: {
  example: BrowserExampleName;
  emulator: EmulatorConfig;
  workDir: string;
  wav: string;
}): Promise<BrowserTest> {
  let emulator: Emulator | undefined;
  let server: BrowserExampleServer | undefined;
  try {
    emulator = await startEmulator(options.emulator);
    server = await startBrowserExample({ example: options.example });
    const bundle = await fetch(`${server.url}main.js`);
    if (!bundle.ok) throw new Error(`examples/${options.example} does not bundle: ${await bundle.text()}`);
    const browser = await launchChromiumWithMicrophone(options.workDir, options.wav);
    const page = browser.pages()[0] ?? (await browser.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return { emulator, server, browser, page, pageErrors };
  } catch (error) {
    await server?.close();
    await emulator?.close();
    throw error;
  }
}

/** Stops what {@link startBrowserTest} started, in reverse order, and removes `workDir`. */
export async function stopBrowserTest(
  started: BrowserTest | undefined,
  workDir: string | undefined,
): Promise<void> {
  await started?.browser.close();
  await started?.server.close();
  await started?.emulator.close();
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
}
