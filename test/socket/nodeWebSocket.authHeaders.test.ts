/**
 * auth: 'subprotocol' with a user Authorization header, and the server echoing the key as protocol.
 */
import { lastValueFrom, take, toArray } from 'rxjs';
import { nodeWebSocket } from '../../src/socket/nodeWebSocket';
import { liveSocket } from '../../src/socket/liveSocket';
import { accept, KEY, rawServer, type RawServer } from './rawServer';

let srv: RawServer;
afterEach(async () => {
  await srv?.close();
});

it("auth 'subprotocol': a user Authorization header is replaced by the credentials (not sent beside them)", async () => {
  srv = await rawServer(
    (req, socket, head, s) => void accept(s, req, socket, head).then((ws) => ws.close(1000)),
  );
  await lastValueFrom(
    liveSocket({
      url: srv.url,
      credentials: { scheme: 'token', secret: KEY },
      webSocket: nodeWebSocket({
        auth: 'subprotocol',
        headers: { Authorization: 'Token stale-key-0000000' },
      }),
    }).pipe(toArray()),
  ).catch(() => undefined);
  const headers = srv.requests[0]!.headers;
  expect(headers['sec-websocket-protocol']).toBe(`token,${KEY}`);
  expect(headers.authorization).toBeUndefined();
});

it('the key echoed as the selected subprotocol is masked in the open event', async () => {
  srv = await rawServer((req, socket, head, s) => {
    s.wss.options.handleProtocols = (protocols: Set<string>) => [...protocols][1] ?? false;
    void accept(s, req, socket, head).then((ws) => setTimeout(() => ws.close(1000), 20));
  });
  const events = await lastValueFrom(
    liveSocket({
      url: srv.url,
      credentials: { scheme: 'token', secret: KEY },
      webSocket: nodeWebSocket({ auth: 'subprotocol' }),
    }).pipe(take(1), toArray()),
  );
  expect(JSON.stringify(events)).not.toContain(KEY);
});
