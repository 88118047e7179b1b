/**
 * One emulator session on the wire: audio, control messages, SchemaErrors, the inactivity timeout,
 * the audio clock and the session record.
 */
import { startEmulator, NET0001_REASON, type Emulator } from '../../src/server';
import { scriptRecognizer } from '../../src/server/engine';
import {
  chunks,
  linear16Silence,
  linear16Tone,
  mulawSilence,
  sleep,
  TestClient,
  type Message,
} from './support';

const IDLE_MS = 300;
/** A longer window for the tests that hold a connection open with KeepAlive every 100 ms. */
const HOLD_IDLE_MS = 600;
const PCM = 'encoding=linear16&sample_rate=16000';

let emulator: Emulator;
const clients: TestClient[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ idleTimeoutMs: IDLE_MS });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});

afterAll(async () => {
  await emulator.close();
});

async function connect(query = PCM): Promise<TestClient> {
  const client = await TestClient.connect(`${emulator.url}?${query}`);
  clients.push(client);
  return client;
}

/** Sends a Sync and waits for its echo: every message due before it has then arrived. */
async function barrier(client: TestClient, id: number): Promise<void> {
  client.send(JSON.stringify({ type: 'Sync', id }));
  await client.waitUntil((ms) => ms.some((m) => m.type === 'Sync' && m['id'] === id), 2000, `Sync ${id}`);
}

function types(messages: Message[]): string[] {
  return messages.map((m) => m.type);
}

function finals(messages: Message[]): Message[] {
  return messages.filter((m) => m.type === 'Results' && m['is_final'] === true);
}

describe('inactivity timeout (NET-0001)', () => {
  test('a silent connection gets the Metadata, then close 1011 with the exact NET-0001 reason', async () => {
    const client = await connect();
    const close = await client.closed;
    expect(close).toEqual({ code: 1011, reason: NET0001_REASON });
    expect(types(client.messages)).toEqual(['Metadata']);
    expect(client.messages[0]).toMatchObject({ duration: 0 });
    const session = await emulator.waitForClose();
    expect(session).toMatchObject({ closeCode: 1011, closeReason: NET0001_REASON, closedBy: 'server' });
  });

  test('the window is counted from the last frame: audio then silence times out after the audio', async () => {
    const client = await connect();
    client.send(linear16Silence(0.1));
    const close = await client.closed;
    expect(close.code).toBe(1011);
    const session = await emulator.waitForClose();
    expect(session.audioBytes).toBe(3200);
    expect(session.closedAt! - session.openedAt).toBeGreaterThanOrEqual(IDLE_MS);
  });

  test('KeepAlive every 100 ms holds the connection open across three windows', async () => {
    const holding = await startEmulator({ idleTimeoutMs: HOLD_IDLE_MS });
    try {
      const client = await TestClient.connect(`${holding.url}?${PCM}`);
      clients.push(client);
      const count = Math.ceil((3 * HOLD_IDLE_MS) / 100) + 1;
      for (let i = 0; i < count; i++) {
        client.send('{"type":"KeepAlive"}');
        await sleep(100);
      }
      expect(client.closedAt).toBeUndefined();
      client.send('{"type":"CloseStream"}');
      expect((await client.closed).code).toBe(1000);
      const session = await holding.waitForClose();
      expect(session.keepAlives).toBe(count);
      expect(session.keepAliveTimes).toHaveLength(count);
      expect(session.keepAliveGaps).toHaveLength(count);
      expect(session.keepAliveTimes.every((t, i, all) => i === 0 || t >= all[i - 1]!)).toBe(true);
      expect(session.closedAt! - session.openedAt).toBeGreaterThanOrEqual(3 * HOLD_IDLE_MS);
      expect(session.audioBytes).toBe(0);
    } finally {
      await holding.close();
    }
  });

  test('KeepAlive gets no reply', async () => {
    const client = await connect();
    client.send('{"type":"KeepAlive"}');
    await barrier(client, 1);
    expect(types(client.messages)).toEqual(['Sync']);
  });

  test('with debug=true an Error of variant Closing precedes the close', async () => {
    const client = await connect(`${PCM}&debug=true`);
    await client.closed;
    expect(types(client.messages)).toEqual(['Metadata', 'Error']);
    expect(client.messages[1]).toEqual({
      type: 'Error',
      variant: 'Closing',
      code: 'NET-0001',
      description: NET0001_REASON,
    });
  });

  test('strictKeepAlive: KeepAlive alone does not hold a connection that never sent audio', async () => {
    const strict = await startEmulator({ idleTimeoutMs: IDLE_MS, strictKeepAlive: true });
    try {
      const client = await TestClient.connect(`${strict.url}?${PCM}`);
      clients.push(client);
      const keepAlives = setInterval(() => client.send('{"type":"KeepAlive"}'), IDLE_MS / 4);
      const close = await client.closed;
      clearInterval(keepAlives);
      expect(close.code).toBe(1011);
      expect((await strict.waitForClose()).keepAlives).toBeGreaterThan(0);
    } finally {
      await strict.close();
    }
  });

  test('strictKeepAlive: after the first audio, KeepAlive holds the connection', async () => {
    const strict = await startEmulator({ idleTimeoutMs: HOLD_IDLE_MS, strictKeepAlive: true });
    try {
      const client = await TestClient.connect(`${strict.url}?${PCM}`);
      clients.push(client);
      client.send(linear16Silence(0.02));
      for (let i = 0; i < Math.ceil((2 * HOLD_IDLE_MS) / 100); i++) {
        await sleep(100);
        client.send('{"type":"KeepAlive"}');
      }
      expect(client.closedAt).toBeUndefined();
    } finally {
      await strict.close();
    }
  });
});

describe('control messages', () => {
  test('Finalize flushes the pending audio as a final with from_finalize and the session stays open', async () => {
    const client = await connect();
    client.send(linear16Tone(0.5));
    client.send('{"type":"Finalize"}');
    await client.waitUntil(
      (ms) => ms.some((m) => m['from_finalize'] === true),
      2000,
      'a from_finalize result',
    );
    const flushed = client.messages.find((m) => m['from_finalize'] === true)!;
    expect(flushed).toMatchObject({ type: 'Results', is_final: true, start: 0, duration: 0.5 });
    await barrier(client, 7);
    expect(client.closedAt).toBeUndefined();
    expect(emulator.sessions().at(-1)!.finalizes).toBe(1);
  });

  test('Finalize with nothing pending sends nothing', async () => {
    const client = await connect();
    client.send('{"type":"Finalize","channel":0}');
    await barrier(client, 2);
    expect(types(client.messages)).toEqual(['Sync']);
    expect(emulator.sessions().at(-1)!.finalizes).toBe(1);
  });

  test('CloseStream sends the remaining finals, then the Metadata, then closes 1000', async () => {
    const client = await connect();
    client.send(linear16Tone(0.7));
    client.send('{"type":"CloseStream"}');
    expect(await client.closed).toEqual({ code: 1000, reason: '' });
    expect(client.messages.at(-1)!.type).toBe('Metadata');
    expect(finals(client.messages).length).toBeGreaterThan(0);
    const session = await emulator.waitForClose();
    expect(session).toMatchObject({ closeStreams: 1, closeCode: 1000, closedBy: 'server' });
  });

  test('an empty binary frame is handled like CloseStream (the legacy close signal)', async () => {
    const client = await connect();
    client.send(linear16Silence(0.2));
    client.send(new Uint8Array(0));
    expect((await client.closed).code).toBe(1000);
    expect(client.messages.at(-1)!.type).toBe('Metadata');
    const session = await emulator.waitForClose();
    expect(session).toMatchObject({ emptyFrames: 1, closeStreams: 1, audioBytes: 6400 });
  });

  test('frames after CloseStream are ignored', async () => {
    const client = await connect();
    client.send('{"type":"CloseStream"}');
    client.send(linear16Silence(0.1));
    await client.closed;
    expect((await emulator.waitForClose()).audioBytes).toBe(0);
  });

  test('Sync is echoed with its id', async () => {
    const client = await connect();
    client.send('{"type":"Sync","id":42}');
    expect(await client.waitFor('Sync')).toEqual({ type: 'Sync', id: 42 });
    expect(emulator.sessions().at(-1)!.syncs).toBe(1);
  });

  test('Configure with keyterms on Nova-3 is answered with ConfigureSuccess', async () => {
    const client = await connect(`${PCM}&model=nova-3`);
    client.send('{"type":"Configure","keyterms":["Deepgram"],"features":{"numerals":true}}');
    const reply = await client.waitFor('ConfigureSuccess');
    expect(reply).toEqual({
      type: 'ConfigureSuccess',
      request_id: emulator.sessions().at(-1)!.requestId,
      keyterms: ['Deepgram'],
    });
  });

  test('Configure with keyterms on another model gets an InvalidConfigureMessage error and the stream goes on', async () => {
    const client = await connect(`${PCM}&model=nova-2`);
    client.send('{"type":"Configure","keyterms":["Deepgram"]}');
    expect(await client.waitFor('Error')).toMatchObject({
      variant: 'InvalidConfigureMessage',
      code: 'KeytermsNotSupported',
    });
    await barrier(client, 3);
    expect(client.closedAt).toBeUndefined();
  });

  test('unknown keys in a control message are ignored', async () => {
    const client = await connect();
    client.send('{"type":"KeepAlive","note":"hi"}');
    await barrier(client, 4);
    expect(emulator.sessions().at(-1)!).toMatchObject({ keepAlives: 1, schemaErrors: 0 });
  });
});

describe('SchemaError', () => {
  test.each([
    ['malformed JSON', '{"type":"KeepAlive"', undefined],
    ['an unknown type', '{"type":"Flush"}', 'unknown variant `Flush`'],
    ['a case-mismatched type', '{"type":"keepalive"}', 'unknown variant `keepalive`'],
    ['a type with a trailing space', '{ "type": "KeepAlive "}', 'unknown variant `KeepAlive `'],
    ['no type', '{"kind":"KeepAlive"}', 'missing field `type`'],
    ['a non-object', '["KeepAlive"]', 'invalid type'],
    ['a Finalize channel of the wrong type', '{"type":"Finalize","channel":"0"}', 'invalid type'],
    ['plain text', 'KeepAlive', undefined],
  ])(
    '%s is answered with a SchemaError echoing the text, and the session stays open',
    async (_what, text, detail) => {
      const client = await connect();
      client.send(text);
      const error = await client.waitFor('Error');
      expect(error).toMatchObject({ type: 'Error', variant: 'SchemaError', message: text });
      expect(error['description']).toMatch(/^Could not deserialize last text message: /);
      if (detail !== undefined) expect(error['description']).toContain(detail);
      await barrier(client, 5);
      expect(client.closedAt).toBeUndefined();
      expect(emulator.sessions().at(-1)!).toMatchObject({ schemaErrors: 1, keepAlives: 0 });
    },
  );

  test('the SchemaError for an unknown type lists the accepted types as Deepgram does', async () => {
    const client = await connect();
    client.send('{"type":"Flush"}');
    expect((await client.waitFor('Error'))['description']).toBe(
      'Could not deserialize last text message: unknown variant `Flush`, expected one of ' +
        '`CloseStream`, `Configure`, `Sync`, `KeepAlive`, `Finalize`',
    );
  });
});

describe('audio', () => {
  test('a control message sent as a binary frame is counted, and its bytes are handled as audio', async () => {
    const client = await connect();
    const frame = Buffer.from('{"type":"KeepAlive"}');
    client.send(frame);
    client.send(Buffer.from('{"type":"CloseStream"}'));
    await barrier(client, 6);
    const session = emulator.sessions().at(-1)!;
    expect(session).toMatchObject({ binaryControlFrames: 2, keepAlives: 0, closeStreams: 0, audioBytes: 42 });
    expect(client.closedAt).toBeUndefined();
  });

  test('ordinary audio bytes are not counted as binary control frames', async () => {
    const client = await connect();
    client.send(linear16Tone(0.1));
    await barrier(client, 8);
    expect(emulator.sessions().at(-1)!.binaryControlFrames).toBe(0);
  });

  test('Metadata.duration is exactly the linear16 audio received, and finals tile the clock', async () => {
    const client = await connect(`${PCM}&interim_results=true`);
    for (const chunk of chunks(linear16Tone(1.5), 3200)) client.send(chunk);
    client.send('{"type":"CloseStream"}');
    await client.closed;
    const metadata = client.messages.at(-1)!;
    expect(metadata).toMatchObject({ type: 'Metadata', duration: 1.5, channels: 1 });
    let end = 0;
    for (const final of finals(client.messages)) {
      expect(final['start']).toBeCloseTo(end, 6);
      end = (final['start'] as number) + (final['duration'] as number);
    }
    expect(end).toBeCloseTo(1.5, 6);
    expect((await emulator.waitForClose()).audioSeconds).toBe(1.5);
  });

  test('Metadata.duration is exactly the mu-law audio received', async () => {
    const client = await connect('encoding=mulaw&sample_rate=8000');
    for (const chunk of chunks(mulawSilence(1.25), 800)) client.send(chunk);
    client.send('{"type":"CloseStream"}');
    await client.closed;
    expect(client.messages.at(-1)).toMatchObject({ type: 'Metadata', duration: 1.25 });
    expect((await emulator.waitForClose()).audioBytes).toBe(10000);
  });

  test('audio the emulator cannot decode closes the session 1008 DATA-0000', async () => {
    const client = await connect('encoding=opus&sample_rate=48000&debug=true');
    client.send(new Uint8Array(960));
    expect(await client.closed).toEqual({ code: 1008, reason: 'DATA-0000' });
    expect(client.messages).toEqual([
      expect.objectContaining({ type: 'Error', variant: 'Closing', code: 'DATA-0000' }),
    ]);
    const session = await emulator.waitForClose();
    expect(session.fatalDetail).toContain('opus');
  });
});

describe('recognizers and engine settings', () => {
  test('encoding without sample_rate is accepted, and the first audio closes 1008 DATA-0000', async () => {
    const next = emulator.nextSession();
    const client = await connect('encoding=linear16');
    expect((await next).warnings).toEqual([expect.stringContaining('sample_rate')]);
    client.send(linear16Silence(0.1));
    expect(await client.closed).toEqual({ code: 1008, reason: 'DATA-0000' });
  });

  test('a recognizer factory is called with each session query and its words reach the transcript', async () => {
    const queries: unknown[] = [];
    const scripted = await startEmulator({
      idleTimeoutMs: IDLE_MS,
      recognizer: (query) => {
        queries.push(query);
        return scriptRecognizer([{ word: 'hello', start: 0.2, end: 0.6 }]);
      },
    });
    try {
      const client = await TestClient.connect(`${scripted.url}?${PCM}&tag=scripted`);
      clients.push(client);
      client.send(linear16Tone(1));
      client.send('{"type":"CloseStream"}');
      await client.closed;
      expect(queries).toEqual([{ encoding: 'linear16', sample_rate: '16000', tag: 'scripted' }]);
      const transcripts = finals(client.messages).map(
        (m) => (m['channel'] as { alternatives: Array<{ transcript: string }> }).alternatives[0]!.transcript,
      );
      expect(transcripts.join(' ')).toContain('hello');
    } finally {
      await scripted.close();
    }
  });
});

describe('session records', () => {
  test('a client close is recorded with its code, and no Metadata is sent', async () => {
    const client = await connect();
    client.send(linear16Silence(0.1));
    await barrier(client, 9);
    client.ws.close(1000, 'bye');
    await client.closed;
    const session = await emulator.waitForClose();
    expect(session).toMatchObject({
      closeCode: 1000,
      closeReason: 'bye',
      closedBy: 'client',
      state: 'closed',
    });
    expect(types(client.messages)).toEqual(['Sync']);
  });

  test('the record counts frames, bytes and messages of the session', async () => {
    const next = emulator.nextSession();
    const client = await connect(`${PCM}&interim_results=true`);
    const opened = await next;
    expect(opened).toMatchObject({ state: 'open', audioBytes: 0, query: { encoding: 'linear16' } });
    client.send(linear16Tone(0.6));
    client.send(linear16Tone(0.6));
    client.send('{"type":"KeepAlive"}');
    client.send('{"type":"Finalize"}');
    client.send('{"type":"nope"}');
    client.send('{"type":"CloseStream"}');
    await client.closed;
    const session = await emulator.waitForClose({ requestId: opened.requestId });
    expect(session).toMatchObject({
      requestId: opened.requestId,
      index: opened.index,
      state: 'closed',
      audioBytes: 38400,
      audioSeconds: 1.2,
      binaryFrames: 2,
      textFrames: 4,
      keepAlives: 1,
      finalizes: 1,
      closeStreams: 1,
      schemaErrors: 1,
      binaryControlFrames: 0,
      messagesSent: client.texts.length,
      closeCode: 1000,
    });
    expect(session.firstAudioMs).toBeLessThanOrEqual(session.lastFrameMs!);
    expect(session.closedAt).toBeGreaterThanOrEqual(session.openedAt);
    expect(emulator.sessions().find((s) => s.requestId === opened.requestId)).toEqual(session);
  });

  test('waitForClose and nextSession reject after their timeout instead of hanging', async () => {
    await expect(emulator.nextSession({ timeoutMs: 20 })).rejects.toThrow(/timed out/);
    const client = await connect();
    client.send('{"type":"KeepAlive"}');
    await expect(
      emulator.waitForClose({ requestId: emulator.sessions().at(-1)!.requestId, timeoutMs: 20 }),
    ).rejects.toThrow(/timed out/);
  });
});
