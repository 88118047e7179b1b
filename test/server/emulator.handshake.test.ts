/**
 * The emulator's upgrade endpoint: 101 and error responses, query validation, CORS, request ids.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { startEmulator, type Emulator } from '../../src/server';
import { handshake, TestClient } from './support';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ idleTimeoutMs: 2000 });
});

afterAll(async () => {
  await emulator.close();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('the emulator url is ws://127.0.0.1:PORT/v1/listen', () => {
  expect(emulator.url).toBe(`ws://127.0.0.1:${emulator.port}/v1/listen`);
  expect(emulator.port).toBeGreaterThan(0);
});

test('a successful upgrade carries a dg-request-id that is the session requestId', async () => {
  const result = await handshake(`${emulator.url}?model=nova-3&encoding=linear16&sample_rate=16000`);
  expect(result.status).toBe(101);
  const id = result.headers['dg-request-id'];
  expect(id).toMatch(UUID);
  expect(emulator.sessions().map((s) => s.requestId)).toContain(id);
});

test('utterance_end_ms=999 is refused with 400 exactly as Deepgram answers it', async () => {
  const result = await handshake(`${emulator.url}?interim_results=true&utterance_end_ms=999`);
  const id = result.headers['dg-request-id'];
  expect(result.status).toBe(400);
  expect(id).toMatch(UUID);
  expect(result.headers['content-type']).toBe('application/json');
  expect(result.headers['dg-error']).toBe("Invalid 'utterance_end_ms' value of '999'.");
  expect(result.body).toBe(
    `{"err_code":"INVALID_QUERY_PARAMETER","err_msg":"Invalid 'utterance_end_ms' value of '999'.","request_id":"${id as string}"}`,
  );
  expect(result.headers['content-length']).toBe('145');
});

test.each([
  ['utterance_end_ms', '5001', 'interim_results=true&utterance_end_ms=5001'],
  ['utterance_end_ms', '1500.5', 'interim_results=true&utterance_end_ms=1500.5'],
  ['encoding', 'wav', 'encoding=wav&sample_rate=16000'],
  ['encoding', 'LINEAR16', 'encoding=LINEAR16&sample_rate=16000'],
  ['sample_rate', 'abc', 'encoding=linear16&sample_rate=abc'],
  ['sample_rate', '0', 'encoding=linear16&sample_rate=0'],
  ['channels', '0', 'encoding=linear16&sample_rate=16000&channels=0'],
  ['channels', '-1', 'encoding=linear16&sample_rate=16000&channels=-1'],
  ['endpointing', '-1', 'endpointing=-1'],
  ['endpointing', 'yes', 'endpointing=yes'],
  ['interim_results', 'TRUE', 'interim_results=TRUE'],
  ['punctuate', '1', 'punctuate=1'],
  ['smart_format', '', 'smart_format='],
  ['model', 'nova-2,nova-3', 'model=nova-2&model=nova-3'],
  ['redact', 'everything', 'redact=pci&redact=everything'],
  ['extra', 'nocolon', 'extra=nocolon'],
])("an invalid '%s' value of '%s' is refused with 400 naming it", async (name, value, query) => {
  const result = await handshake(`${emulator.url}?${query}`);
  expect(result.status).toBe(400);
  const body = JSON.parse(result.body) as Record<string, string>;
  expect(body['err_code']).toBe('INVALID_QUERY_PARAMETER');
  expect(body['err_msg']).toBe(`Invalid '${name}' value of '${value}'.`);
  expect(result.headers['dg-error']).toBe(body['err_msg']);
  expect(body['request_id']).toBe(result.headers['dg-request-id']);
});

test('keywords with a Nova-3 model are refused with 400', async () => {
  const result = await handshake(`${emulator.url}?model=nova-3&keywords=deepgram`);
  expect(result.status).toBe(400);
  expect(JSON.parse(result.body)).toMatchObject({
    err_code: 'INVALID_QUERY_PARAMETER',
    err_msg: 'Keywords are not supported for Nova-3. Please use `keyterm` instead.',
  });
});

test('a Flux model on /v1/listen is refused with V2_MODEL_ON_V1_LISTEN_ENDPOINT', async () => {
  const result = await handshake(`${emulator.url}?model=flux-general-en`);
  expect(result.status).toBe(400);
  expect(JSON.parse(result.body)).toMatchObject({ err_code: 'V2_MODEL_ON_V1_LISTEN_ENDPOINT' });
});

test('valid edge values are accepted', async () => {
  const query =
    'model=nova-3&encoding=mulaw&sample_rate=8000&channels=2&multichannel=true&endpointing=false' +
    '&interim_results=true&utterance_end_ms=1000&vad_events=false&punctuate=true&redact=pci&redact=ssn';
  expect((await handshake(`${emulator.url}?${query}`)).status).toBe(101);
  expect(
    (await handshake(`${emulator.url}?endpointing=0&utterance_end_ms=5000&interim_results=true`)).status,
  ).toBe(101);
});

test('unknown parameters are accepted and recorded; repeated keys are recorded as arrays', async () => {
  const next = emulator.nextSession();
  const client = await TestClient.connect(
    `${emulator.url}?model=nova-3&future_flag=1&keyterm=customer%20service&keyterm=rx+js&tag=a`,
  );
  const session = await next;
  expect(session.query).toEqual({
    model: 'nova-3',
    future_flag: '1',
    keyterm: ['customer service', 'rx js'],
    tag: 'a',
  });
  await client.dispose();
});

test('settings that the server ignores are accepted with a warning in the session record', async () => {
  const next = emulator.nextSession();
  const client = await TestClient.connect(`${emulator.url}?utterance_end_ms=1000`);
  const session = await next;
  expect(session.warnings).toEqual([expect.stringContaining('utterance_end_ms')]);
  await client.dispose();
});

test('an upgrade on another path gets 404 with a dg-request-id', async () => {
  const result = await handshake(`ws://127.0.0.1:${emulator.port}/v2/listen`);
  expect(result.status).toBe(404);
  expect(result.headers['dg-request-id']).toMatch(UUID);
  expect(JSON.parse(result.body)).toMatchObject({ request_id: result.headers['dg-request-id'] });
});

test('a plain HTTP request to /v1/listen gets 426 with a JSON body and a dg-request-id', async () => {
  const response = await new Promise<{ status: number; id: unknown; body: string }>((resolve, reject) => {
    request(`http://127.0.0.1:${emulator.port}/v1/listen`, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, id: res.headers['dg-request-id'], body }));
    })
      .on('error', reject)
      .end();
  });
  expect(response.status).toBe(426);
  expect(response.id).toMatch(UUID);
  expect(JSON.parse(response.body)).toMatchObject({ err_code: 'UPGRADE_REQUIRED' });
});

test('an upgrade without a Sec-WebSocket-Key gets a recorded 400 with a JSON body, and uses no session index', async () => {
  const own = await startEmulator();
  try {
    const response = await new Promise<{ status: number; id: unknown; body: string }>((resolve, reject) => {
      request(`http://127.0.0.1:${own.port}/v1/listen?encoding=linear16&sample_rate=16000`, {
        headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13' },
      })
        .on('upgrade', () => reject(new Error('upgraded')))
        .on('response', (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, id: res.headers['dg-request-id'], body }),
          );
        })
        .on('error', reject)
        .end();
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      err_msg: 'Invalid WebSocket upgrade: missing or invalid Sec-WebSocket-Key',
      request_id: response.id,
    });
    expect(own.handshakes().map((h) => h.status)).toEqual([400]);
    await TestClient.connect(`${own.url}?encoding=linear16&sample_rate=16000`); // closed by own.close()
    expect(own.sessions().map((s) => s.index)).toEqual([0]);
  } finally {
    await own.close();
  }
});

test('an upgrade with an Origin gets the CORS headers Deepgram sends, on 101 and on errors', async () => {
  const headers = { Origin: 'http://localhost:60330' };
  for (const result of [
    await handshake(emulator.url, { headers }),
    await handshake(`${emulator.url}?encoding=nope`, { headers }),
  ]) {
    expect(result.headers['access-control-allow-origin']).toBe('http://localhost:60330');
    expect(result.headers['access-control-allow-credentials']).toBe('true');
    expect(result.headers['vary']).toBe(
      'origin, access-control-request-method, access-control-request-headers',
    );
    expect(result.headers['access-control-expose-headers']).toBe(
      'dg-model-name,dg-model-uuid,dg-char-count,dg-request-id,dg-error',
    );
  }
});

test('an upgrade without an Origin gets no CORS headers', async () => {
  const result = await handshake(emulator.url);
  expect(result.headers['access-control-allow-origin']).toBeUndefined();
});

test('a dg-error header never carries a line break from the query', async () => {
  const result = await handshake(`${emulator.url}?encoding=a%0D%0Ax-injected:%201`);
  expect(result.status).toBe(400);
  expect(result.headers['x-injected']).toBeUndefined();
  expect(result.headers['dg-error']).toBe("Invalid 'encoding' value of 'a??x-injected: 1'.");
  expect(JSON.parse(result.body)).toMatchObject({
    err_msg: "Invalid 'encoding' value of 'a\r\nx-injected: 1'.",
  });
});

test('every handshake is recorded with its status', async () => {
  const before = emulator.handshakes().length;
  await handshake(`${emulator.url}?channels=x&encoding=linear16&sample_rate=8000`);
  const records = emulator.handshakes().slice(before);
  expect(records).toEqual([
    expect.objectContaining({ status: 400, errCode: 'INVALID_QUERY_PARAMETER', path: '/v1/listen' }),
  ]);
});

test('a configured requestId generator names the requests', async () => {
  let n = 0;
  const custom = await startEmulator({ requestId: () => `00000000-0000-4000-8000-00000000000${n++}` });
  try {
    const result = await handshake(custom.url);
    expect(result.headers['dg-request-id']).toBe('00000000-0000-4000-8000-000000000000');
  } finally {
    await custom.close();
  }
});

test('invalid config values are refused when the emulator starts', async () => {
  await expect(startEmulator({ idleTimeoutMs: 0 })).rejects.toThrow(RangeError);
  // Longer than Node's longest timer, which would close every session after 1 ms instead.
  await expect(startEmulator({ idleTimeoutMs: 2 ** 31 })).rejects.toThrow(
    new RangeError(
      "startEmulator: idleTimeoutMs must be a number > 0 and <= 2147483647 (Node's longest timer), got 2147483648",
    ),
  );
  await expect(startEmulator({ port: 70000 })).rejects.toThrow(RangeError);
});

/** Sends `text` on a raw TCP connection to the emulator and resolves with what comes back. */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.write(text);
    setTimeout(() => socket.destroy(), 1000);
  });
}

test.each([
  [
    'an upgrade',
    'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n',
  ],
  ['a plain HTTP request', ''],
])(
  '%s whose target is not a URL (//[) gets a 400 with a dg-request-id, and the emulator serves on',
  async (_kind, headers) => {
    const answer = await rawExchange(emulator.port, `GET //[ HTTP/1.1\r\nHost: x\r\n${headers}\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/\r\ndg-request-id: [0-9a-f-]{36}\r\n/i);
    expect((await handshake(`${emulator.url}?encoding=linear16&sample_rate=16000`)).status).toBe(101);
  },
);

test('more than 255 channels are refused with 400 (an emulator limit: each has its own recognizer state)', async () => {
  const query = 'encoding=linear16&sample_rate=16000&multichannel=true';
  expect((await handshake(`${emulator.url}?${query}&channels=256`)).status).toBe(400);
  expect((await handshake(`${emulator.url}?${query}&channels=255`)).status).toBe(101);
});
