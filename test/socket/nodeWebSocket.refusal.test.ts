/**
 * Refused handshakes through nodeWebSocket(): bodies read with maxErrorBodyBytes, the LiveError
 * made of them, and the key never in it.
 */
import type { Socket } from 'node:net';
import { lastValueFrom, toArray } from 'rxjs';
import { nodeWebSocket, type NodeWebSocketOptions } from '../../src/socket/nodeWebSocket';
import { NodeWebSocketAdapter } from '../../src/socket/nodeWebSocketAdapter';
import { liveSocket } from '../../src/socket/liveSocket';
import { LiveError } from '../../src/socket/liveError';
import { KEY, rawServer, type RawServer } from './rawServer';

let srv: RawServer;
const made: NodeWebSocketAdapter[] = [];
afterEach(async () => {
  for (const s of made.splice(0)) s.ws.terminate();
  await srv?.close();
});

function adapter(options: NodeWebSocketOptions): NodeWebSocketAdapter {
  const s = nodeWebSocket(options)({ url: srv.url, credentials: { scheme: 'token', secret: KEY } });
  made.push(s as NodeWebSocketAdapter);
  return s as NodeWebSocketAdapter;
}

function closed(s: NodeWebSocketAdapter): Promise<number> {
  return new Promise((r) => s.addEventListener('close', (e) => r(e.code)));
}

async function errorOf(options: NodeWebSocketOptions): Promise<unknown> {
  const events = liveSocket({
    url: srv.url,
    credentials: { scheme: 'token', secret: KEY },
    webSocket: nodeWebSocket(options),
  });
  return lastValueFrom(events.pipe(toArray())).then(
    () => 'completed',
    (e: unknown) => e,
  );
}

describe('maxErrorBodyBytes', () => {
  it('keeps at most maxErrorBodyBytes BYTES of a multi-byte body', async () => {
    const body = '€'.repeat(100); // 300 bytes of UTF-8
    srv = await rawServer((_r, socket: Socket) => {
      socket.end(
        `HTTP/1.1 400 Bad\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    });
    const s = adapter({ maxErrorBodyBytes: 30 });
    await closed(s);
    const kept = s.upgradeResponse?.body ?? '';
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(30);
  });

  it('stops reading an endless refusal body (bounded read)', async () => {
    let written = 0;
    let timer: NodeJS.Timeout | undefined;
    srv = await rawServer((_r, socket: Socket) => {
      socket.write('HTTP/1.1 401 Unauthorized\r\ntransfer-encoding: chunked\r\n\r\n');
      const chunk = 'x'.repeat(1024);
      timer = setInterval(() => {
        if (socket.destroyed) return clearInterval(timer);
        socket.write(`${(1024).toString(16)}\r\n${chunk}\r\n`);
        written += 1024;
      }, 1);
    });
    const s = adapter({ maxErrorBodyBytes: 4096 });
    await closed(s);
    clearInterval(timer);
    expect(s.upgradeResponse?.status).toBe(401);
    expect(s.upgradeResponse?.body?.length).toBe(4096);
    expect(written).toBeLessThan(1024 * 1024);
  });
});

describe('refusal body arrives slowly', () => {
  it('a 401 whose body stalls past handshakeTimeoutMs still errors with kind auth', async () => {
    srv = await rawServer((_r, socket: Socket) => {
      const body = '{"err_code":"INVALID_AUTH","err_msg":"Invalid credentials."}';
      socket.write(
        `HTTP/1.1 401 Unauthorized\r\ndg-error: Invalid credentials.\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
      );
      // the rest never comes
    });
    const error = await errorOf({ handshakeTimeoutMs: 300 });
    expect(error).toBeInstanceOf(LiveError);
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
  });
});

describe('the key never appears', () => {
  it('a refusal that echoes the key in dg-error, body and request id', async () => {
    srv = await rawServer((_r, socket: Socket) => {
      const body = JSON.stringify({
        err_code: `BAD_${KEY}`,
        err_msg: `key Token ${KEY} refused`,
        request_id: KEY,
      });
      socket.end(
        `HTTP/1.1 401 Unauthorized\r\ndg-error: Token ${KEY} is invalid\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
      );
    });
    const error = (await errorOf({})) as LiveError;
    expect(error).toBeInstanceOf(LiveError);
    const all = JSON.stringify({ ...error, message: error.message, stack: error.stack });
    expect(all).not.toContain(KEY);
  });

  it('a refusal that echoes the key in Retry-After / other headers is not surfaced', async () => {
    srv = await rawServer((_r, socket: Socket) => {
      socket.end(
        `HTTP/1.1 429 Too Many\r\nretry-after: 1\r\ndg-request-id: ${KEY}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`,
      );
    });
    const error = (await errorOf({})) as LiveError;
    const all = JSON.stringify({ ...error, message: error.message, stack: error.stack });
    expect(all).not.toContain(KEY);
  });
});
