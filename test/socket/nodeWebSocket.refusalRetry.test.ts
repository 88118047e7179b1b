/**
 * A 401 whose body is slow to arrive: the status and headers are recorded at once, so a timeout
 * that ends the attempt first still gives an `auth` error, not a retried `network` one.
 */
import type { Socket } from 'node:net';
import { lastValueFrom, NEVER, toArray } from 'rxjs';
import { transcribe } from '../../src/index';
import { nodeWebSocket, type NodeWebSocketOptions } from '../../src/socket/nodeWebSocket';
import { rawServer, KEY, type RawServer } from './rawServer';

let srv: RawServer;
afterEach(async () => {
  await srv?.close();
});

async function run(
  ws: NodeWebSocketOptions,
  openTimeoutMs?: number,
): Promise<{ types: string[]; error: unknown }> {
  srv = await rawServer((_r, socket: Socket) => {
    const body = '{"err_code":"INVALID_AUTH","err_msg":"Invalid credentials."}';
    socket.write(
      `HTTP/1.1 401 Unauthorized\r\ndg-error: Invalid credentials.\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
  });
  const types: string[] = [];
  let error: unknown;
  await lastValueFrom(
    NEVER.pipe(
      transcribe({
        url: srv.url,
        apiKey: KEY,
        webSocket: nodeWebSocket(ws),
        reconnect: { maxAttempts: 2, initialDelayMs: 10, jitter: 0 },
        ...(openTimeoutMs === undefined ? {} : { openTimeoutMs }),
      }),
      toArray(),
    ),
  ).then(
    (events) => types.push(...(events as Array<{ type: string }>).map((e) => e.type)),
    (e: unknown) => (error = e),
  );
  return { types, error };
}

it('handshakeTimeoutMs: a 401 with a stalled body is not retried and errors with kind auth', async () => {
  const { error } = await run({ handshakeTimeoutMs: 200 });
  expect(error).toMatchObject({ kind: 'auth', status: 401 });
  expect(srv.requests).toHaveLength(1);
});

it('openTimeoutMs: a 401 with a stalled body is not retried and errors with kind auth', async () => {
  const { error } = await run({}, 300);
  expect(error).toMatchObject({ kind: 'auth', status: 401 });
  expect(srv.requests).toHaveLength(1);
});
