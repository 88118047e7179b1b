/**
 * Handshake authentication: Token and Bearer headers, browser subprotocols, 401 on anything else.
 */
import { startEmulator, type Emulator } from '../../src/server';
import { handshake } from './support';

const KEY = '0123456789abcdef0123456789abcdef01234567';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ apiKey: KEY, accessTokens: [JWT] });
});

afterAll(async () => {
  await emulator.close();
});

function lastSessionScheme(): string | undefined {
  return emulator.sessions().at(-1)?.authScheme;
}

test('Authorization: Token KEY is accepted', async () => {
  expect((await handshake(emulator.url, { headers: { Authorization: `Token ${KEY}` } })).status).toBe(101);
  expect(lastSessionScheme()).toBe('token');
});

test('the Token scheme is case-insensitive', async () => {
  expect((await handshake(emulator.url, { headers: { Authorization: `token ${KEY}` } })).status).toBe(101);
  expect((await handshake(emulator.url, { headers: { Authorization: `TOKEN ${KEY}` } })).status).toBe(101);
});

test('Authorization: Bearer with an accepted access token is accepted', async () => {
  expect((await handshake(emulator.url, { headers: { Authorization: `Bearer ${JWT}` } })).status).toBe(101);
  expect(lastSessionScheme()).toBe('bearer');
});

test('the subprotocols token, KEY are accepted and the server answers with exactly "token"', async () => {
  const result = await handshake(emulator.url, { protocols: ['token', KEY] });
  expect(result.status).toBe(101);
  expect(result.protocol).toBe('token');
  expect(result.headers['sec-websocket-protocol']).toBe('token');
  expect(lastSessionScheme()).toBe('token-protocol');
});

test('the subprotocols bearer, JWT are accepted and the server answers with exactly "bearer"', async () => {
  const result = await handshake(emulator.url, { protocols: ['bearer', JWT] });
  expect(result.status).toBe(101);
  expect(result.headers['sec-websocket-protocol']).toBe('bearer');
});

test('a wrong key is refused with 401 INVALID_AUTH', async () => {
  const result = await handshake(emulator.url, { headers: { Authorization: 'Token wrong' } });
  expect(result.status).toBe(401);
  expect(result.headers['dg-error']).toBe('Invalid credentials.');
  expect(result.headers['dg-request-id']).toBeDefined();
  expect(JSON.parse(result.body)).toEqual({
    err_code: 'INVALID_AUTH',
    err_msg: 'Invalid credentials.',
    request_id: result.headers['dg-request-id'],
  });
});

test('a missing Authorization is refused with 401', async () => {
  expect((await handshake(emulator.url)).status).toBe(401);
});

test('a wrong key in the subprotocols is refused with 401', async () => {
  expect((await handshake(emulator.url, { protocols: ['token', 'wrong'] })).status).toBe(401);
});

test('an unknown Bearer token is refused with 401', async () => {
  expect((await handshake(emulator.url, { headers: { Authorization: 'Bearer not-a-token' } })).status).toBe(
    401,
  );
});

test('the API key used as a Bearer token is refused', async () => {
  expect((await handshake(emulator.url, { headers: { Authorization: `Bearer ${KEY}` } })).status).toBe(401);
});

test('an Authorization header without a scheme is refused', async () => {
  expect((await handshake(emulator.url, { headers: { Authorization: KEY } })).status).toBe(401);
});

test('a query that is invalid but unauthenticated gets 401 first', async () => {
  expect((await handshake(`${emulator.url}?encoding=nope`)).status).toBe(401);
});

test('the key never appears in records, responses or headers', async () => {
  const refused = await handshake(emulator.url, { headers: { Authorization: `Token ${KEY}x` } });
  expect(JSON.stringify(refused)).not.toContain(KEY);
  expect(JSON.stringify(emulator.sessions())).not.toContain(KEY);
  expect(JSON.stringify(emulator.handshakes())).not.toContain(KEY);
});

test('with no apiKey configured any credentials, or none, are accepted', async () => {
  const open = await startEmulator();
  try {
    expect((await handshake(open.url)).status).toBe(101);
    expect((await handshake(open.url, { headers: { Authorization: 'Token anything' } })).status).toBe(101);
    expect((await handshake(open.url, { protocols: ['token', 'anything'] })).status).toBe(101);
    expect(open.sessions().map((s) => s.authScheme)).toEqual(['none', 'token', 'token-protocol']);
  } finally {
    await open.close();
  }
});

test('with an apiKey and no accessTokens every Bearer token is refused', async () => {
  const keyOnly = await startEmulator({ apiKey: KEY });
  try {
    expect((await handshake(keyOnly.url, { headers: { Authorization: `Bearer ${JWT}` } })).status).toBe(401);
  } finally {
    await keyOnly.close();
  }
});

test('accessTokens may be a validator function', async () => {
  const validated = await startEmulator({ accessTokens: (token) => token.startsWith('ok.') });
  try {
    expect((await handshake(validated.url, { headers: { Authorization: 'Bearer ok.1' } })).status).toBe(101);
    expect((await handshake(validated.url, { headers: { Authorization: 'Bearer no.1' } })).status).toBe(401);
    expect((await handshake(validated.url, { headers: { Authorization: 'Token ok.1' } })).status).toBe(401);
  } finally {
    await validated.close();
  }
});
