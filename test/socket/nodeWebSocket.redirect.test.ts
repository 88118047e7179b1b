/**
 * Redirects and credentials: ws strips `authorization` on a cross-host redirect, but not the
 * subprotocols, so subprotocol auth refuses followRedirects.
 */
import type { Socket } from 'node:net';
import { lastValueFrom, toArray } from 'rxjs';
import { nodeWebSocket } from '../../src/socket/nodeWebSocket';
import { liveSocket } from '../../src/socket/liveSocket';
import { accept, KEY, rawServer, type RawServer } from './rawServer';

let other: RawServer;
let origin: RawServer;
afterEach(async () => {
  await origin?.close();
  await other?.close();
});

async function setup(): Promise<void> {
  other = await rawServer((req, socket, head, srv) => {
    void accept(srv, req, socket, head).then((ws) => ws.close(1000));
  });
  origin = await rawServer((_req, socket: Socket) => {
    socket.end(
      `HTTP/1.1 302 Found\r\nlocation: ${other.url}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`,
    );
  });
}

describe('redirect to another host', () => {
  it('header auth: the Authorization header is not forwarded to the other host (ws strips it)', async () => {
    await setup();
    const events = liveSocket({
      url: origin.url,
      credentials: { scheme: 'token', secret: KEY },
      webSocket: nodeWebSocket({ wsOptions: { followRedirects: true } }),
    });
    await lastValueFrom(events.pipe(toArray())).catch(() => undefined);
    expect(other.requests).toHaveLength(1);
    expect(JSON.stringify(other.requests[0]!.headers)).not.toContain(KEY);
  });

  it('subprotocol auth cannot be combined with followRedirects: the key would follow a redirect to any host', () => {
    expect(() => nodeWebSocket({ auth: 'subprotocol', wsOptions: { followRedirects: true } })).toThrow(
      RangeError,
    );
  });
});
