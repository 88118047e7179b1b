/** An in-memory WebSocket for the in-process benches (no network, no `ws`), and `transcribe` on it. */
import type { Observable, Observer, Subscription } from 'rxjs';
import type { LiveEvent } from '../../src/session/liveEvent';
import { transcribe } from '../../src/session/transcribe';
import type { WebSocketLike, WebSocketLikeEventMap } from '../../src/socket/webSocketLike';

type Listener = (event: unknown) => void;

/** A WebSocket that opens on the next turn of the event loop and counts what it is sent. */
export class MemorySocket implements WebSocketLike {
  binaryType = 'arraybuffer';
  readyState = 0;
  bufferedAmount = 0;
  protocol = '';
  binary = 0;
  text = 0;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor() {
    setImmediate(() => {
      this.readyState = 1;
      this.emit('open', {});
    });
  }

  send(data: string | ArrayBufferView): void {
    if (typeof data === 'string') this.text++;
    else this.binary++;
  }

  close(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    queueMicrotask(() => this.emit('close', { code: 1000, reason: '' }));
  }

  addEventListener<K extends keyof WebSocketLikeEventMap>(
    type: K,
    listener: (e: WebSocketLikeEventMap[K]) => void,
  ): void {
    let set = this.listeners.get(type);
    if (set === undefined) this.listeners.set(type, (set = new Set()));
    set.add(listener as Listener);
  }

  removeEventListener<K extends keyof WebSocketLikeEventMap>(
    type: K,
    listener: (e: WebSocketLikeEventMap[K]) => void,
  ): void {
    this.listeners.get(type)?.delete(listener as Listener);
  }

  /** Delivers a text frame from the server to the socket's `message` listeners. */
  receive(data: string): void {
    this.emit('message', { data });
  }

  private emit(type: string, event: unknown): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }
}

/**
 * Subscribes `transcribe` (no reconnection) to `audio$` on a new in-memory socket, which it adds to
 * `sockets`.
 */
export function transcribeOnMemory(
  audio$: Observable<Uint8Array>,
  sockets: MemorySocket[],
  observer?: Partial<Observer<LiveEvent>>,
): Subscription {
  return audio$
    .pipe(
      transcribe({
        url: 'ws://127.0.0.1:9/v1/listen',
        apiKey: 'bench-key',
        options: { model: 'nova-3', encoding: 'linear16', sample_rate: 16000, interim_results: true },
        webSocket: () => {
          const socket = new MemorySocket();
          sockets.push(socket);
          return socket;
        },
        reconnect: false,
      }),
    )
    .subscribe(observer);
}
