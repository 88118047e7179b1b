/**
 * A plain `ws` server on 127.0.0.1 for transport tests: it records upgrade requests and frames,
 * can refuse a handshake with any status/headers/body, and sets `dg-request-id` on a 101.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { Observable, type Subscription } from 'rxjs';
import WebSocket, { WebSocketServer } from 'ws';

export interface Refusal {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface ReceivedFrame {
  isBinary: boolean;
  data: Buffer;
}

export interface Peer {
  socket: WebSocket;
  request: IncomingMessage;
  frames: ReceivedFrame[];
  /** Resolves with the n-th frame (0-based) once it has arrived. */
  frame(n: number): Promise<ReceivedFrame>;
  /** Resolves with the close code and reason the server saw. */
  closed: Promise<{ code: number; reason: string }>;
}

export interface Loopback {
  url: string;
  /** Upgrade requests, accepted or refused, in order. */
  requests: IncomingMessage[];
  /** Resolves with the n-th accepted connection (0-based). */
  peer(n: number): Promise<Peer>;
  /** When set, each upgrade request is refused with what it returns (or accepted on undefined). */
  refuse: ((request: IncomingMessage) => Refusal | undefined) | undefined;
  /** Request id sent in `dg-request-id` on a successful upgrade. */
  requestId: string;
  close(): Promise<void>;
}

export async function startLoopback(): Promise<Loopback> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  const requests: IncomingMessage[] = [];
  const peers: Peer[] = [];
  const waiting: Array<{ n: number; resolve: (peer: Peer) => void }> = [];
  const rawSockets = new Set<Socket>();
  http.on('connection', (socket: Socket) => {
    rawSockets.add(socket);
    socket.on('close', () => rawSockets.delete(socket));
  });

  const loopback: Loopback = {
    url: '',
    requests,
    refuse: undefined,
    requestId: '587b3227-f6ca-4818-bb4d-028182adf4ea',
    peer: (n) =>
      new Promise((resolve) => {
        const known = peers[n];
        if (known !== undefined) resolve(known);
        else waiting.push({ n, resolve });
      }),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      for (const socket of rawSockets) socket.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };

  wss.on('headers', (headers) => {
    headers.push(`dg-request-id: ${loopback.requestId}`);
  });

  http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    requests.push(request);
    const refusal = loopback.refuse?.(request);
    if (refusal !== undefined) {
      const body = refusal.body ?? '';
      const lines = [
        `HTTP/1.1 ${refusal.status} Refused`,
        `content-length: ${Buffer.byteLength(body)}`,
        'connection: close',
        ...Object.entries(refusal.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
      ];
      socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const frames: ReceivedFrame[] = [];
      const frameWaiters: Array<{ n: number; resolve: (frame: ReceivedFrame) => void }> = [];
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        frames.push({ isBinary, data: Buffer.from(data) });
        for (const waiter of [...frameWaiters]) {
          const frame = frames[waiter.n];
          if (frame !== undefined) {
            frameWaiters.splice(frameWaiters.indexOf(waiter), 1);
            waiter.resolve(frame);
          }
        }
      });
      const closed = new Promise<{ code: number; reason: string }>((resolve) => {
        ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }));
      });
      const peer: Peer = {
        socket: ws,
        request,
        frames,
        closed,
        frame: (n) =>
          new Promise((resolve) => {
            const frame = frames[n];
            if (frame !== undefined) resolve(frame);
            else frameWaiters.push({ n, resolve });
          }),
      };
      peers.push(peer);
      for (const waiter of [...waiting]) {
        if (waiter.n === peers.length - 1) {
          waiting.splice(waiting.indexOf(waiter), 1);
          waiter.resolve(peer);
        }
      }
    });
  });

  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  loopback.url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/v1/listen`;
  return loopback;
}

/** A port on 127.0.0.1 with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Recording<T> {
  events: T[];
  /** Resolves when the stream ends: `{ error }` or `{ completed: true }`. */
  ended: Promise<{ completed: boolean; error?: unknown }>;
  /** Resolves with the n-th event (0-based). */
  event(n: number): Promise<T>;
  subscription: Subscription;
}

/** Subscribes and records every event, the completion or the error. */
export function record<T>(source: Observable<T>): Recording<T> {
  const events: T[] = [];
  const waiters: Array<{ n: number; resolve: (event: T) => void }> = [];
  let settle: (result: { completed: boolean; error?: unknown }) => void = () => undefined;
  const ended = new Promise<{ completed: boolean; error?: unknown }>((resolve) => (settle = resolve));
  const subscription = source.subscribe({
    next: (event) => {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.n === events.length - 1) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    },
    error: (error: unknown) => settle({ completed: false, error }),
    complete: () => settle({ completed: true }),
  });
  return {
    events,
    ended,
    subscription,
    event: (n) =>
      new Promise((resolve, reject) => {
        const known = events[n];
        if (known !== undefined) resolve(known);
        else {
          waiters.push({ n, resolve });
          void ended.then((end) =>
            reject(new Error(`stream ended before event ${n}: ${JSON.stringify(end)}`)),
          );
        }
      }),
  };
}
