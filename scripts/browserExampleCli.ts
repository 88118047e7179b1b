/**
 * `node scripts/browser-example.mjs`: runs the browser example (or, with `--angular`, the Angular
 * example's component) locally. Starts the emulator
 * (with a made-up key, so the page exercises the browser's `token` subprotocol auth) and the dev
 * server on loopback, and prints the page's address. Ctrl-C stops both.
 *
 * Options: `--port N` (page, default 5173), `--emulator-port N` (default 0: a free port),
 * `--no-emulator` (only the page; point it at Deepgram in the form, or with `?url=…&key=…` for the
 * Angular page), `--angular` (serve `examples/angular` instead of `examples/browser`).
 */
import { startEmulator, type Emulator } from '../src/node';
import { startBrowserExample } from './browserExample';

/** The emulator's key for local runs. Not a Deepgram key: the emulator only compares strings. */
const DEV_KEY = 'dev-key';

function option(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new RangeError(`${name} needs a port number from 0 to 65535, got ${String(argv[i + 1])}`);
  }
  return value;
}

/** Starts everything; resolves with a function that stops it. */
export async function main(argv: string[], root: string): Promise<() => Promise<void>> {
  const port = option(argv, '--port', 5173);
  const emulator: Emulator | undefined = argv.includes('--no-emulator')
    ? undefined
    : await startEmulator({ port: option(argv, '--emulator-port', 0), apiKey: DEV_KEY });
  const example = argv.includes('--angular') ? 'angular' : 'browser';
  const server = await startBrowserExample({ example, port, root });
  const query = new URLSearchParams(emulator ? { url: emulator.url, key: DEV_KEY } : {});
  console.log(`${example} example: ${server.url}${emulator ? `?${query.toString()}` : ''}`);
  if (emulator) {
    console.log(`emulator: ${emulator.url} (no recognizer for live speech: timing and empty transcripts)`);
  }
  console.log(
    example === 'angular'
      ? 'for Deepgram itself, open the page with ?url=wss://api.deepgram.com/v1/listen&key=YOUR_KEY'
      : 'for Deepgram itself, set wss://api.deepgram.com/v1/listen in the page and paste a key or token there',
  );
  const stop = async (): Promise<void> => {
    await server.close();
    await emulator?.close();
  };
  const onSignal = (): void => {
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return stop;
}
