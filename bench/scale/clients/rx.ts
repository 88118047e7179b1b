/**
 * deepgram-rx: `transcribe` over `nodeWebSocket()`, the audio pushed chunk by chunk into a cold
 * Observable whose subscriber is kept (what a microphone or telephony source looks like; a `Subject`
 * would add rxjs's own per-chunk allocations, see bench/session.bench.ts). KeepAlive comes from the
 * session's own `withKeepAlive` (default idle 3000 ms); server messages are decoded by
 * `decodeServerMessage` and rebased on the session's timeline.
 */
import { Observable, type Subscriber } from 'rxjs';
import { transcribe } from '../../../src/session/transcribe';
import { nodeWebSocket } from '../../../src/socket/nodeWebSocket';
import { API_KEY, LIVE_QUERY } from '../plan';
import type { ClientFactory } from './types';

const SERVER_MESSAGES = new Set(['Results', 'Metadata', 'UtteranceEnd', 'SpeechStarted', 'Error', 'Unknown']);

export const rxClient: ClientFactory = (url, keepAliveMs) => {
  const operator = transcribe({
    url,
    apiKey: API_KEY,
    options: { ...LIVE_QUERY },
    webSocket: nodeWebSocket(),
    keepAlive: { idleMs: keepAliveMs },
    reconnect: false,
  });
  return (callbacks) => {
    let sink: Subscriber<Uint8Array> | undefined;
    const audio$ = new Observable<Uint8Array>((subscriber) => {
      sink = subscriber;
    });
    audio$.pipe(operator).subscribe({
      next: (event) => {
        if (event.type === 'Open') callbacks.opened();
        else if (event.type === 'KeepAlive') callbacks.keepAlive();
        else if (SERVER_MESSAGES.has(event.type)) callbacks.message(event.type === 'Results');
      },
      error: (error: unknown) => {
        callbacks.error(String(error));
        const code = (error as { closeCode?: unknown }).closeCode;
        callbacks.closed(typeof code === 'number' ? code : 'error');
      },
      complete: () => callbacks.closed(1000),
    });
    // transcribe subscribes the audio at once (it buffers until the socket opens).
    if (sink === undefined) throw new Error('transcribe did not subscribe the audio');
    const audio = sink;
    return { send: (chunk) => audio.next(chunk), end: () => audio.complete() };
  };
};
