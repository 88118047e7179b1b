/**
 * The official `@deepgram/sdk` 5.13 live client, used as its documentation shows: one
 * `DeepgramClient`, `listen.v1.connect(...)` per session, `sendMedia` for audio, a manual
 * `setInterval` calling `sendKeepAlive` every `keepAliveMs` from open, `sendCloseStream` at the end.
 * Its own reconnects are off (`reconnectAttempts: 0`), like the other clients.
 */
import { DeepgramClient } from '@deepgram/sdk';
import { API_KEY } from '../plan';
import type { ClientFactory } from './types';

type SdkSocket = Awaited<ReturnType<DeepgramClient['listen']['v1']['connect']>>;

export const sdkClient: ClientFactory = (url, keepAliveMs) => {
  const client = new DeepgramClient({ apiKey: API_KEY, baseUrl: new URL(url).origin });
  return (callbacks) => {
    const waiting: Uint8Array[] = [];
    let socket: SdkSocket | undefined;
    let open = false;
    let ending = false;
    let keepAlive: ReturnType<typeof setInterval> | undefined;
    client.listen.v1
      .connect({
        model: 'nova-3',
        encoding: 'linear16',
        sample_rate: 16000,
        channels: 1,
        interim_results: 'true',
        reconnectAttempts: 0,
      })
      .then((connected) => {
        socket = connected;
        connected.on('open', () => {
          open = true;
          callbacks.opened();
          for (const chunk of waiting) connected.sendMedia(chunk);
          waiting.length = 0;
          if (ending) connected.sendCloseStream({ type: 'CloseStream' });
          else {
            keepAlive = setInterval(() => {
              connected.sendKeepAlive({ type: 'KeepAlive' });
              callbacks.keepAlive();
            }, keepAliveMs);
          }
        });
        connected.on('message', (message) => callbacks.message(message.type === 'Results'));
        connected.on('error', (error) => callbacks.error(String(error)));
        connected.on('close', (event) => {
          clearInterval(keepAlive);
          callbacks.closed(event.code);
        });
        connected.connect();
      })
      .catch((error: unknown) => {
        callbacks.error(String(error));
        callbacks.closed('error');
      });
    return {
      send: (chunk) => {
        if (open && socket !== undefined) socket.sendMedia(chunk);
        else waiting.push(chunk);
      },
      end: () => {
        ending = true;
        clearInterval(keepAlive);
        if (open && socket !== undefined) socket.sendCloseStream({ type: 'CloseStream' });
      },
    };
  };
};
