/**
 * The official `@deepgram/sdk` (5.13.0) live client against the emulator: it loads in jest from
 * its CJS build, connects with `baseUrl` pointing at the emulator, and `reconnectAttempts: 0`
 * turns its own reconnects off.
 */
import { DeepgramClient, type listen } from '@deepgram/sdk';
import { scriptRecognizer } from '../../src/server/engine';
import { NET0001_REASON, startEmulator, type Emulator } from '../../src/server';
import { join } from 'node:path';
import { SHARED_AUDIO } from '../audio/wavBytes';
import { checkServerFrame, chunks, sleep, wavData } from './support';

type SdkSocket = Awaited<ReturnType<DeepgramClient['listen']['v1']['connect']>>;
type SdkMessage =
  | listen.ListenV1Results
  | listen.ListenV1Metadata
  | listen.ListenV1UtteranceEnd
  | listen.ListenV1SpeechStarted;

const KEY = 'sdk-test-key';
const AUDIO = wavData(join(SHARED_AUDIO, 'testing-websocket.wav'));

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({
    apiKey: KEY,
    accessTokens: ['sdk.jwt.token'],
    idleTimeoutMs: 400,
    recognizer: scriptRecognizer([
      { word: 'testing', start: 0.4, end: 0.9, punctuated_word: 'Testing.' },
      { word: '123', start: 1.3, end: 2.1, punctuated_word: '123.' },
    ]),
  });
});

afterAll(async () => {
  await emulator.close();
});

interface Run {
  socket: SdkSocket;
  messages: SdkMessage[];
  closed: Promise<{ code: number; reason: string }>;
  errors: Error[];
}

async function open(
  client: DeepgramClient,
  args: Partial<Parameters<DeepgramClient['listen']['v1']['connect']>[0]> = {},
): Promise<Run> {
  const socket = await client.listen.v1.connect({
    model: 'nova-3',
    encoding: 'mulaw',
    sample_rate: 8000,
    interim_results: 'true',
    reconnectAttempts: 0,
    ...args,
  });
  const messages: SdkMessage[] = [];
  const errors: Error[] = [];
  socket.on('message', (message) => {
    // The emulator's frame, re-serialised: it must still decode as its own type.
    checkServerFrame(JSON.stringify(message));
    messages.push(message);
  });
  socket.on('error', (error) => errors.push(error));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (event) => resolve({ code: event.code, reason: event.reason }));
  });
  socket.connect();
  return { socket, messages, closed, errors };
}

function sdkClient(auth: { apiKey?: string; accessToken?: string }): DeepgramClient {
  return new DeepgramClient({ ...auth, baseUrl: `ws://127.0.0.1:${emulator.port}` });
}

test('the SDK streams a mu-law file with KeepAlive, Finalize and CloseStream and gets Results and Metadata', async () => {
  const run = await open(sdkClient({ apiKey: KEY }));
  await run.socket.waitForOpen();
  const parts = chunks(AUDIO, 1600);
  parts.slice(0, 10).forEach((part) => run.socket.sendMedia(part));
  run.socket.sendKeepAlive({ type: 'KeepAlive' });
  run.socket.sendFinalize({ type: 'Finalize' });
  parts.slice(10).forEach((part) => run.socket.sendMedia(part));
  run.socket.sendCloseStream({ type: 'CloseStream' });
  expect(await run.closed).toMatchObject({ code: 1000 });

  const results = run.messages.filter((m): m is listen.ListenV1Results => m.type === 'Results');
  const metadata = run.messages.at(-1) as listen.ListenV1Metadata;
  expect(results.length).toBeGreaterThan(0);
  for (const result of results) {
    expect(result.channel_index).toEqual([0, 1]);
    expect(typeof result.start).toBe('number');
    expect(typeof result.duration).toBe('number');
    expect(typeof result.channel.alternatives[0]!.transcript).toBe('string');
    expect(result.metadata.request_id).toBe(metadata.request_id);
    expect(result.metadata.model_info).toEqual(expect.objectContaining({ arch: expect.any(String) }));
  }
  expect(results.some((r) => r.from_finalize === true)).toBe(true);
  const transcript = results
    .filter((r) => r.is_final)
    .map((r) => r.channel.alternatives[0]!.transcript)
    .join(' ');
  expect(transcript).toContain('testing');
  expect(metadata).toMatchObject({ type: 'Metadata', transaction_key: 'deprecated', channels: 1 });
  expect(metadata.duration).toBe(AUDIO.length / 8000);

  const session = await emulator.waitForClose({ requestId: metadata.request_id });
  expect(session).toMatchObject({
    audioBytes: AUDIO.length,
    keepAlives: 1,
    finalizes: 1,
    closeStreams: 1,
    binaryControlFrames: 0,
    schemaErrors: 0,
    authScheme: 'token',
    query: { model: 'nova-3', encoding: 'mulaw', sample_rate: '8000', interim_results: 'true' },
  });
});

test('the SDK authenticates with an access token as Bearer', async () => {
  const run = await open(sdkClient({ accessToken: 'sdk.jwt.token' }));
  await run.socket.waitForOpen();
  run.socket.sendCloseStream({ type: 'CloseStream' });
  await run.closed;
  expect(run.messages.map((m) => m.type)).toEqual(['Metadata']);
  expect(emulator.sessions().at(-1)!.authScheme).toBe('bearer');
});

test('with a wrong key the SDK gets the 401 and, with reconnectAttempts 0, does not retry', async () => {
  const before = emulator.handshakes().length;
  const run = await open(sdkClient({ apiKey: 'wrong' }));
  await run.closed;
  expect(run.errors.map((e) => e.message)).toEqual([expect.stringContaining('401')]);
  await sleep(300);
  expect(
    emulator
      .handshakes()
      .slice(before)
      .map((h) => h.status),
  ).toEqual([401]);
});

test('an idle SDK connection receives the Metadata, then the NET-0001 close', async () => {
  const run = await open(sdkClient({ apiKey: KEY }));
  await run.socket.waitForOpen();
  const close = await run.closed;
  expect(close).toEqual({ code: 1011, reason: NET0001_REASON });
  expect(run.messages.map((m) => m.type)).toEqual(['Metadata']);
});
