/**
 * The floor: a hand-written loop over raw `ws`. Audio goes straight to `socket.send`, a fixed
 * `setInterval` sends KeepAlive every `keepAliveMs` from open to CloseStream, and every server
 * message is parsed with `JSON.parse` (as any real client must to read its results).
 */
import WebSocket from 'ws';
import { API_KEY, LIVE_QUERY } from '../plan';
import type { ClientFactory } from './types';

const KEEP_ALIVE = '{"type":"KeepAlive"}';
const CLOSE_STREAM = '{"type":"CloseStream"}';

export const rawClient: ClientFactory = (url, keepAliveMs) => {
  const query = new URLSearchParams(
    Object.entries(LIVE_QUERY).map(([key, value]) => [key, String(value)]),
  ).toString();
  const target = `${url}?${query}`;
  return (callbacks) => {
    const socket = new WebSocket(target, {
      perMessageDeflate: false,
      headers: { Authorization: `Token ${API_KEY}` },
    });
    const waiting: Uint8Array[] = [];
    let ending = false;
    let keepAlive: ReturnType<typeof setInterval> | undefined;
    socket.on('open', () => {
      callbacks.opened();
      for (const chunk of waiting) socket.send(chunk);
      waiting.length = 0;
      if (ending) socket.send(CLOSE_STREAM);
      else {
        keepAlive = setInterval(() => {
          socket.send(KEEP_ALIVE);
          callbacks.keepAlive();
        }, keepAliveMs);
      }
    });
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { type?: unknown };
      callbacks.message(message.type === 'Results');
    });
    socket.on('error', (error) => callbacks.error(error.message));
    socket.on('close', (code) => {
      clearInterval(keepAlive);
      callbacks.closed(code);
    });
    return {
      send: (chunk) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(chunk);
        else waiting.push(chunk);
      },
      end: () => {
        ending = true;
        clearInterval(keepAlive);
        if (socket.readyState === WebSocket.OPEN) socket.send(CLOSE_STREAM);
      },
    };
  };
};
