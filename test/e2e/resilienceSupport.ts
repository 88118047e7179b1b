/**
 * Helpers of the resilience fault matrix (real `ws` on loopback against the emulator): a transport
 * that records which audio each connection was handed, and the checks every fault case shares.
 */
import { from, type Observable } from 'rxjs';
import type { Word } from '../../src/protocol/messages';
import type { LiveEvent } from '../../src/session/liveEvent';
import { nodeWebSocket, type NodeWebSocketOptions } from '../../src/socket/nodeWebSocket';
import { NodeWebSocketAdapter } from '../../src/socket/nodeWebSocketAdapter';
import type { WebSocketFactory, WebSocketLike } from '../../src/socket/webSocketLike';
import type { EmulatorSession } from '../../src/server';
import { loadScript } from '../../src/server/engine';
import { sampleChunks, SAMPLE_WORDS, type Outcome } from '../session/emulatorSupport';

export const script = loadScript(SAMPLE_WORDS);

/**
 * Reconnect settings of the fault matrix: short delays, no jitter, replay not paced, and a replay
 * ring as long as the sample (the whole file is handed to the socket at once with pace 'fast', so
 * the audio not yet final when a fault hits can be most of the file).
 */
export const FAST_RECONNECT = {
  maxAttempts: 5,
  replayMs: 60000,
  initialDelayMs: 50,
  maxDelayMs: 400,
  jitter: 0,
  replayRate: 1000,
};

/** The sample's chunks, with the byte offset of each chunk in the audio. */
export interface SampleAudio {
  readonly chunks: Uint8Array[];
  readonly offsets: Map<Uint8Array, number>;
  readonly totalBytes: number;
  readonly audio$: Observable<Uint8Array>;
}

export async function sampleAudio(): Promise<SampleAudio> {
  const chunks = await sampleChunks();
  const offsets = new Map<Uint8Array, number>();
  let offset = 0;
  for (const chunk of chunks) {
    offsets.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { chunks, offsets, totalBytes: offset, audio$: from(chunks) };
}

/** Byte offset (on a 100 ms chunk boundary) of the middle of the script's `index`-th word. */
export function midWordBytes(index: number): number {
  const word = script.words[index]!;
  const seconds = (word.start + word.end) / 2;
  return Math.round((seconds * 32000) / 3200) * 3200;
}

/** One socket the client opened, and the audio spans (`[offset, length]`) it was handed, in order. */
export interface RecordedSocket {
  readonly socket: WebSocketLike;
  readonly sent: Array<[number, number]>;
}

/** `nodeWebSocket()` that records what audio each socket was handed (offsets from `offsets`). */
export function recordingWebSocket(
  offsets: Map<Uint8Array, number>,
  options: NodeWebSocketOptions = {},
): {
  factory: WebSocketFactory;
  sockets: RecordedSocket[];
} {
  const base = nodeWebSocket(options);
  const sockets: RecordedSocket[] = [];
  const factory: WebSocketFactory = (request) => {
    const socket = base(request);
    const sent: Array<[number, number]> = [];
    sockets.push({ socket, sent });
    // Recorded on the ws socket: audio goes to it directly (the adapter's sendTarget), control
    // frames through the adapter.
    if (!(socket instanceof NodeWebSocketAdapter))
      throw new Error('nodeWebSocket() made another kind of socket');
    const ws = socket.ws;
    const send = ws.send.bind(ws) as (data: string | ArrayBufferView) => void;
    ws.send = ((data: string | ArrayBufferView): void => {
      if (typeof data !== 'string') {
        sent.push([offsets.get(data as Uint8Array) ?? Number.NaN, data.byteLength]);
      }
      send(data);
    }) as typeof ws.send;
    return socket;
  };
  return { factory, sockets };
}

/**
 * The spans of the audio some emulator session received: for each session, the frames its socket
 * was handed, as many as the session counted bytes (frames arrive whole and in order).
 */
export function receivedSpans(
  sockets: readonly RecordedSocket[],
  sessions: readonly EmulatorSession[],
): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const session of sessions) {
    const recorded = sockets.find(
      (s) => s.socket.upgradeResponse?.headers['dg-request-id'] === session.requestId,
    );
    if (recorded === undefined) throw new Error(`no client socket for session ${session.requestId}`);
    let bytes = session.audioBytes;
    for (const [offset, length] of recorded.sent) {
      if (bytes < length) break;
      bytes -= length;
      spans.push([offset, offset + length]);
    }
  }
  return spans;
}

/** Byte spans of `[0, total)` that no span covers. */
export function uncovered(spans: ReadonlyArray<[number, number]>, total: number): Array<[number, number]> {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const holes: Array<[number, number]> = [];
  let reached = 0;
  for (const [from, to] of sorted) {
    if (from > reached) holes.push([reached, from]);
    reached = Math.max(reached, to);
  }
  if (reached < total) holes.push([reached, total]);
  return holes;
}

/** The words of the final Results, in order. */
export function finalWords(events: readonly LiveEvent[]): Word[] {
  return events.flatMap((event) =>
    event.type === 'Results' && event.is_final ? (event.channel.alternatives[0]?.words ?? []) : [],
  );
}

/** Whether each word starts after the previous one ended (and ends after it starts). */
export function strictlyMonotonic(words: readonly Word[]): boolean {
  return words.every(
    (word, i) => word.end > word.start && (i === 0 || word.start >= words[i - 1]!.end - 1e-6),
  );
}

/** The events of a type, e.g. every `Reconnecting`. */
export function ofKind<T extends LiveEvent['type']>(
  result: Outcome,
  type: T,
): Array<Extract<LiveEvent, { type: T }>> {
  return result.events.filter((event): event is Extract<LiveEvent, { type: T }> => event.type === type);
}
