/**
 * The built `deepgram-rx` binary end to end, against the emulator (in-process in the CLI, in this
 * test process, or `deepgram-rx serve`). See cliBinary.ts for which binary runs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { NET0000_REASON } from '../../src/server/closeReasons';
import { startEmulator } from '../../src/server/emulator';
import { loadScriptRecognizer } from '../../src/server/engine';
import type { Emulator } from '../../src/server/emulatorTypes';
import { cleanupCli, cliPath, ROOT, runCli, startCli, type CliRun } from './cliBinary';
import { writeWav } from './wavFile';

const SAMPLE = 'samples/pauses-16k.wav';
const script = JSON.parse(readFileSync(join(ROOT, 'samples/pauses-16k.words.json'), 'utf8')) as {
  words: { punctuated_word: string }[];
};
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Every word of the sample's script, in order, anywhere in the text. */
const ALL_WORDS_IN_ORDER = new RegExp(script.words.map((w) => escape(w.punctuated_word)).join('[\\s\\S]*?'));

let work: string;
const emulators: Emulator[] = [];

beforeAll(() => {
  cliPath(); // builds the bundle once, if needed
  work = mkdtempSync(join(tmpdir(), 'deepgram-rx-cli-'));
});

afterEach(async () => {
  await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  cleanupCli();
});

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('deepgram-rx transcribe against the built-in emulator', () => {
  /** One `transcribe SAMPLE --fast` run, shared by the tests that read its output. */
  let fastRun: Promise<CliRun> | undefined;
  const sampleFast = (): Promise<CliRun> => (fastRun ??= runCli(['transcribe', SAMPLE, '--fast']));

  test('--fast prints the sample script in order, says it used the emulator, and a summary; exit 0', async () => {
    const run = await sampleFast();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('using the built-in Deepgram emulator at ws://127.0.0.1:');
    expect(run.stdout).toContain(
      'The emulator is not a speech recognizer: its transcripts come from the script',
    );
    expect(run.stdout).toMatch(ALL_WORDS_IN_ORDER);
    expect(run.stdout).toMatch(
      /Summary\n {2}billed, gated +\d+\.\d s {3}Metadata\.duration .* · reconciled\n/,
    );
    expect(run.stdout).toMatch(/billed, no gate +38\.2 s {3}the whole file/);
    expect(run.stdout).toMatch(
      /saved by gating +\d+\.\d s {3}\d+\.\d % less \(the gate dropped \d+\.\d s of silence\)/,
    );
    expect(run.stdout).toMatch(/connections +1\n/);
  });

  test('transcript times are on the file timeline even though the gate dropped the pauses', async () => {
    const run = await sampleFast();
    expect(run.stdout).toMatch(/\[ {3}1\.0 s\] Hello/);
    expect(run.stdout).toMatch(/\[ {2}22\.0 s\] Still/);
  });

  test('--no-gate bills the whole file and still prints every word', async () => {
    const run = await runCli(['transcribe', SAMPLE, '--fast', '--no-gate']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(ALL_WORDS_IN_ORDER);
    expect(run.stdout).toMatch(/audio billed +38\.2 s/);
    expect(run.stdout).toContain('--no-gate: the silence was streamed and billed');
  });

  test('--json prints only JSON lines, each with a type, and the notice on stderr', async () => {
    const run = await runCli(['transcribe', SAMPLE, '--fast', '--json']);
    expect(run.code).toBe(0);
    const events = lines(run.stdout).map((line) => JSON.parse(line) as { type: unknown });
    for (const event of events) expect(typeof event.type).toBe('string');
    const types = events.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['Open', 'Results', 'Metadata', 'Usage']));
    expect(types[types.length - 1]).toBe('Usage');
    expect(run.stderr).toContain(
      'deepgram-rx: No DEEPGRAM_API_KEY, --api-key or --url: using the built-in Deepgram emulator',
    );
  });

  (process.platform === 'win32' ? test.skip : test)(
    'a WAV piped in as /dev/stdin, which can be read only once, streams whole; exit 0',
    async () => {
      const run = await runCli(['transcribe', '/dev/stdin', '--fast', '--no-gate'], { pipeIn: SAMPLE });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Streaming /dev/stdin (38.2 s, linear16 16000 Hz mono)');
      expect(run.stdout).toMatch(/audio billed +38\.2 s/);
    },
  );

  test('in real time, a pause longer than --idle-ms is held open by KeepAlives that are printed and counted', async () => {
    const file = join(work, 'pause.wav');
    writeWav(file, [{ tone: 0.4 }, { silence: 2.2 }, { tone: 0.4 }]);
    const run = await runCli(['transcribe', file, '--idle-ms', '300']);
    expect(run.code).toBe(0);
    const keepAliveLines = lines(run.stdout).filter((line) =>
      /^ {2}· KeepAlive at \d+\.\d s \(pause\)$/.test(line),
    );
    expect(keepAliveLines.length).toBeGreaterThan(0);
    expect(run.stdout).toMatch(new RegExp(`KeepAlives sent +${keepAliveLines.length} `));
    expect(run.stdout).toContain('has no script');
  });
});

describe('deepgram-rx transcribe failures: one line on stderr and a distinct exit code', () => {
  test('a wrong --api-key is exit 3 with the reason, and the key is printed nowhere', async () => {
    const emulator = await startEmulator({ apiKey: 'the-right-key-42' });
    emulators.push(emulator);
    const run = await runCli([
      'transcribe',
      SAMPLE,
      '--fast',
      '--url',
      emulator.url,
      '--api-key',
      'wrong-key-98765',
    ]);
    expect(run.code).toBe(3);
    expect(lines(run.stderr)).toEqual([
      'deepgram-rx: authentication failed (401 INVALID_AUTH): check the key given with --api-key',
    ]);
    expect(run.stdout + run.stderr).not.toContain('wrong-key-98765');
  });

  test('a wrong DEEPGRAM_API_KEY is exit 3 and names the variable', async () => {
    const emulator = await startEmulator({ apiKey: 'the-right-key-42' });
    emulators.push(emulator);
    const run = await runCli(['transcribe', SAMPLE, '--fast', '--url', emulator.url], {
      env: { DEEPGRAM_API_KEY: 'wrong-env-key-555' },
    });
    expect(run.code).toBe(3);
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(/^deepgram-rx: authentication failed \(401.*check DEEPGRAM_API_KEY$/),
    ]);
    expect(run.stdout + run.stderr).not.toContain('wrong-env-key-555');
  });

  test('a key that the server quotes back in its messages is masked in the human output', async () => {
    const key = 'quoted-key-24680';
    const quoting = (text: string): { kind: 'malformed'; payload: { text: string } } => ({
      kind: 'malformed',
      payload: { text },
    });
    const emulator = await startEmulator({
      faults: [
        quoting(JSON.stringify({ type: 'Error', variant: 'X', description: `rejected Token ${key}` })),
        quoting(JSON.stringify({ type: 'Results', channel_index: key, channel: 5 })),
      ],
    });
    emulators.push(emulator);
    const file = join(work, 'tone-half-s.wav');
    writeWav(file, [{ tone: 0.5 }]);
    const run = await runCli(['transcribe', file, '--fast', '--url', emulator.url], {
      env: { DEEPGRAM_API_KEY: key },
    });
    expect(run.stdout).toContain('  ! server error (X): rejected Token ***');
    expect(run.stdout).toContain('  ! undecodable server message:');
    expect(run.stdout + run.stderr).not.toContain(key);
  });

  test("control characters in a server's messages are printed as text, not sent to the terminal", async () => {
    const emulator = await startEmulator({
      faults: {
        kind: 'malformed',
        payload: {
          text: JSON.stringify({
            type: 'Error',
            variant: 'X',
            description: 'bad\u001b[2J\u001b]0;pwned\u0007',
          }),
        },
      },
    });
    emulators.push(emulator);
    const file = join(work, 'tone-half-s-control.wav');
    writeWav(file, [{ tone: 0.5 }]);
    const run = await runCli(['transcribe', file, '--fast', '--url', emulator.url]);
    expect(run.stdout).toContain('  ! server error (X): bad\\x1b[2J\\x1b]0;pwned\\x07');
    expect(run.stdout + run.stderr).not.toContain('\u001b');
    expect(run.stdout + run.stderr).not.toContain('\u0007');
  });

  test('a file that is not a WAV is exit 2 with one line naming it', async () => {
    const file = join(work, 'notes.txt');
    writeFileSync(file, 'just some text, long enough to have a header-sized prefix\n');
    const run = await runCli(['transcribe', file]);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([`deepgram-rx: ${file}: not a WAV file (no RIFF/WAVE header)`]);
    expect(run.stdout).toBe('');
  });

  test('a missing file is exit 2 with one line', async () => {
    const run = await runCli(['transcribe', 'samples/no-such-file.wav']);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual(['deepgram-rx: samples/no-such-file.wav: no such file']);
  });

  test('an unreachable server is exit 4 with one line', async () => {
    const port = await closedPort();
    const run = await runCli(['transcribe', SAMPLE, '--fast', '--url', `ws://127.0.0.1:${port}/v1/listen`]);
    expect(run.code).toBe(4);
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(
        new RegExp(`^deepgram-rx: could not connect to ws://127\\.0\\.0\\.1:${port}/v1/listen`),
      ),
    ]);
  });

  test('--no-keepalive through a pause longer than the server window is exit 5 (NET-0001)', async () => {
    const file = join(work, 'long-pause.wav');
    writeWav(file, [{ tone: 0.4 }, { silence: 2.5 }, { tone: 0.4 }]);
    const run = await runCli([
      'transcribe',
      file,
      '--no-keepalive',
      '--no-reconnect',
      '--emulator-idle-timeout',
      '700',
    ]);
    expect(run.code).toBe(5);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/^deepgram-rx: .*NET-0001/)]);
    expect(run.stdout).not.toMatch(/· KeepAlive at [0-9]/);
  });

  test('a server that closes after the audio without sending Metadata is exit 1: the transcript may be incomplete', async () => {
    const file = join(work, 'tone-1s.wav');
    writeWav(file, [{ tone: 1 }]);
    // A normal close (1000) right after the last audio byte, without the Metadata Deepgram sends first.
    const emulator = await startEmulator({ faults: { kind: 'close', code: 1000, afterAudioBytes: 32000 } });
    emulators.push(emulator);
    const run = await runCli(['transcribe', file, '--fast', '--no-gate', '--url', emulator.url]);
    expect([run.code, lines(run.stderr)]).toEqual([
      1,
      [
        'deepgram-rx: the server closed the connection without sending Metadata: the transcript may be incomplete',
      ],
    ]);
    expect(run.stdout).toContain('no Metadata received');
    expect(emulator.sessions()[0]?.audioBytes).toBe(32000);
  });

  test('a server that stalls after the audio (no Metadata, no close) is exit 5 once closeTimeoutMs (10 s) has passed', async () => {
    const file = join(work, 'tone-1s-stall.wav');
    writeWav(file, [{ tone: 1 }]);
    // Silent after the last audio byte: it never answers CloseStream, as a dead server would not.
    const emulator = await startEmulator({ faults: { kind: 'stall', afterAudioBytes: 32000 } });
    emulators.push(emulator);
    const started = Date.now();
    const run = await runCli([
      'transcribe',
      file,
      '--fast',
      '--no-gate',
      '--no-reconnect',
      '--url',
      emulator.url,
    ]);
    expect([run.code, lines(run.stderr)]).toEqual([
      5,
      [
        'deepgram-rx: the server did not close in time after the end of the audio (a stalled connection?): the transcript may be incomplete',
      ],
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
    expect(emulator.sessions()[0]?.audioBytes).toBe(32000);
  }, 40_000);

  test('a bad option is exit 2 with one line', async () => {
    const run = await runCli(['transcribe', SAMPLE, '--idle-ms', '12000']);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/^deepgram-rx: .*--idle-ms/);
  });
});

describe('deepgram-rx transcribe when the server closes the connection with 1011 NET-0000 mid-stream', () => {
  /** An emulator replaying the sample's script that closes its first connection after 4 s of audio. */
  async function closingOnce(): Promise<Emulator> {
    const emulator = await startEmulator({
      recognizer: loadScriptRecognizer(join(ROOT, 'samples/pauses-16k.words.json')),
      faults: ({ index }) =>
        index === 0
          ? { kind: 'close', code: 1011, reason: NET0000_REASON, metadata: true, afterAudioBytes: 4 * 32000 }
          : undefined,
    });
    emulators.push(emulator);
    return emulator;
  }

  /** The words of the transcript lines (`[  1.0 s] Hello from …`), in order. */
  function transcriptWords(stdout: string): string[] {
    return lines(stdout).flatMap((line) => {
      const match = /^\[ *\d+\.\d s\] (.*)$/.exec(line);
      return match === null ? [] : match[1]!.split(' ');
    });
  }

  test('reconnects by default: says so, prints every word of the sample once and in order, exit 0', async () => {
    const server = await closingOnce();
    const run = await runCli(['transcribe', SAMPLE, '--fast', '--no-gate', '--url', server.url]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/↻ connection lost: .*NET-0000.*; reconnecting in \d+ ms \(retry 1\)/);
    expect(run.stdout).toMatch(/↻ reconnected \(connection 2, request id /);
    expect(transcriptWords(run.stdout)).toEqual(script.words.map((w) => w.punctuated_word));
    expect(run.stdout).toMatch(/connections +2\n/);
    expect(server.sessions()).toHaveLength(2);
  });

  test('--no-reconnect ends the run at that close: exit 5 with one line naming NET-0000', async () => {
    const server = await closingOnce();
    const run = await runCli([
      'transcribe',
      SAMPLE,
      '--fast',
      '--no-gate',
      '--no-reconnect',
      '--url',
      server.url,
    ]);
    expect(run.code).toBe(5);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/^deepgram-rx: .*NET-0000/)]);
    expect(run.stdout).not.toContain('↻');
    expect(server.sessions()).toHaveLength(1);
  });
});

describe('deepgram-rx serve', () => {
  test('prints its URL, serves transcribe --url, logs the session and exits 0 on SIGTERM', async () => {
    const serve = startCli(['serve', '--port', '0', '--script', 'samples/pauses-16k.words.json']);
    const banner = await serve.waitForLine(/listening on ws:\/\//);
    const url = /(ws:\/\/\S+)/.exec(banner)![1]!;
    const run = await runCli(['transcribe', SAMPLE, '--fast', '--no-gate', '--url', url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(ALL_WORDS_IN_ORDER);
    await serve.waitForLine(/^session \S+: 38\.2 s audio, 0 KeepAlives, closed 1000/);
    serve.kill('SIGTERM');
    const result = await serve.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'It is not a speech recognizer: its transcripts replay the script samples/pauses-16k.words.json',
    );
    expect(result.stderr).toBe('');
  });

  /** `deepgram-rx serve` on a free port, and a `ws` client connected to it. */
  async function serveWithClient(): Promise<{ serve: ReturnType<typeof startCli>; client: WebSocket }> {
    const serve = startCli(['serve', '--port', '0']);
    const banner = await serve.waitForLine(/listening on ws:\/\//);
    const url = /(ws:\/\/\S+)/.exec(banner)![1]!;
    const client = new WebSocket(`${url}?encoding=linear16&sample_rate=16000`);
    await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
    return { serve, client };
  }

  test('a session still open at SIGINT gets its line too', async () => {
    const { serve, client } = await serveWithClient();
    try {
      client.send(new Uint8Array(32000));
      // The emulator answers a Sync sent after the audio once it has read the audio.
      client.send(JSON.stringify({ type: 'Sync', id: 1 }));
      await new Promise<void>((resolve) =>
        client.on('message', (data: Buffer) => {
          if ((JSON.parse(data.toString()) as { type?: string }).type === 'Sync') resolve();
        }),
      );
      serve.kill('SIGINT');
      const result = await serve.done;
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /^Stopping the emulator\.\nsession \S+: 1\.0 s audio, 0 KeepAlives, closed/m,
      );
    } finally {
      client.terminate();
    }
  });

  test("a client's close reason is printed with its control characters as text", async () => {
    const { serve, client } = await serveWithClient();
    try {
      client.close(4000, 'bye\u001b[2J\n');
      await serve.waitForLine(/^session \S+: /);
      serve.kill('SIGTERM');
      const result = await serve.done;
      expect(result.stdout).toMatch(
        /^session \S+: 0\.0 s audio, 0 KeepAlives, closed 4000 by the client \(bye\\x1b\[2J\\x0a\)$/m,
      );
      expect(result.stdout).not.toContain('\u001b');
    } finally {
      client.terminate();
    }
  });

  test('a port already in use is exit 4 with one line', async () => {
    const emulator = await startEmulator();
    emulators.push(emulator);
    const run = await runCli(['serve', '--port', String(emulator.port)]);
    expect(run.code).toBe(4);
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(/^deepgram-rx: cannot listen on 127\.0\.0\.1: .*EADDRINUSE/),
    ]);
  });
});
