/** A raw HTTP server on loopback whose upgrade handler each test writes: to answer handshakes byte by byte. */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

export const KEY = 'f00dfeedc0ffee0123456789abcdef0123456789';

/** A raw http server whose upgrade handler is given; tracks sockets for teardown. */
export interface RawServer {
  url: string;
  port: number;
  http: Server;
  wss: WebSocketServer;
  requests: IncomingMessage[];
  close(): Promise<void>;
}

export async function rawServer(
  onUpgrade: (req: IncomingMessage, socket: Socket, head: Buffer, srv: RawServer) => void,
  host = '127.0.0.1',
): Promise<RawServer> {
  const http = createServer();
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<Socket>();
  http.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const srv: RawServer = {
    url: '',
    port: 0,
    http,
    wss,
    requests: [],
    close: async () => {
      for (const c of wss.clients) c.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    srv.requests.push(req);
    onUpgrade(req, socket, head, srv);
  });
  http.listen(0, host);
  await once(http, 'listening');
  srv.port = (http.address() as AddressInfo).port;
  srv.url = `ws://${host}:${srv.port}/v1/listen`;
  return srv;
}

export function accept(
  srv: RawServer,
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
): Promise<WebSocket> {
  return new Promise((resolve) => srv.wss.handleUpgrade(req, socket, head, (ws) => resolve(ws)));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
