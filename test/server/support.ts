/**
 * Helpers shared by the emulator's wire tests: a recording `ws` client that checks every text
 * frame the emulator sends with the project's `decodeServerMessage`, raw handshakes, and audio.
 *
 * Importing this module registers an `afterEach` that fails the test when any frame received in it
 * did not decode as its own type.
 */
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import * as E from 'fp-ts/lib/Either.js';
import WebSocket from 'ws';
import { decodeServerMessage } from '../../src/protocol/decode';

/** A server message as parsed JSON (after it passed the decode check). */
export type Message = { type: string } & Record<string, unknown>;

const MODELLED = new Set(['Results', 'Metadata', 'UtteranceEnd', 'SpeechStarted', 'Error']);
let decodeProblems: string[] = [];

afterEach(() => {
  const problems = decodeProblems;
  decodeProblems = [];
  expect(problems).toEqual([]);
});

/**
 * Checks one text frame: it must decode with `decodeServerMessage`, as its own type when the type
 * is modelled and as `Unknown` otherwise. Returns the parsed message, or undefined (and records a
 * problem that fails the test) when it does not.
 */
export function checkServerFrame(text: string): Message | undefined {
  const decoded = decodeServerMessage(text);
  if (E.isLeft(decoded)) {
    decodeProblems.push(`${text.slice(0, 200)}: ${decoded.left.errors.join('; ')}`);
    return undefined;
  }
  const parsed = JSON.parse(text) as Message;
  const expected = MODELLED.has(parsed.type) ? parsed.type : 'Unknown';
  if (decoded.right.type !== expected) {
    decodeProblems.push(`${text.slice(0, 200)}: decoded as ${decoded.right.type}, expected ${expected}`);
    return undefined;
  }
  return parsed;
}

/** How a connection ended, as the client saw it. */
export interface ClientClose {
  code: number;
  reason: string;
}

/** Options of {@link TestClient.connect}. */
export interface ConnectOptions {
  headers?: Record<string, string>;
  protocols?: string[];
  /** Frames that are not valid server messages are expected (malformed-frame faults): skip the decode check. */
  allowMalformed?: boolean;
}

/** A `ws` client that records every frame and the close. */
export class TestClient {
  /** Every text frame received, in order. */
  readonly texts: string[] = [];
  /** The parsed messages that passed the decode check (all of them unless `allowMalformed`). */
  readonly messages: Message[] = [];
  /** Resolves when the socket closes (never rejects). */
  readonly closed: Promise<ClientClose>;
  /** Wall time (ms, `performance.now()`) of the close. */
  closedAt: number | undefined;
  private listeners: Array<() => void> = [];

  private constructor(
    readonly ws: WebSocket,
    private readonly allowMalformed: boolean,
  ) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        decodeProblems.push('the emulator sent a binary frame');
        return;
      }
      const text = (data as Buffer).toString('utf8');
      this.texts.push(text);
      const parsed = this.allowMalformed ? tryParse(text) : checkServerFrame(text);
      if (parsed) this.messages.push(parsed);
      for (const listener of [...this.listeners]) listener();
    });
    ws.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        this.closedAt = performance.now();
        resolve({ code, reason: reason.toString('utf8') });
        for (const listener of [...this.listeners]) listener();
      });
    });
  }

  /** Opens a connection; rejects with the HTTP status when the handshake is refused. */
  static connect(url: string, options: ConnectOptions = {}): Promise<TestClient> {
    const ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {} });
    const client = new TestClient(ws, options.allowMalformed ?? false);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        ws.terminate();
        reject(new Error(`handshake refused: ${res.statusCode}`));
      });
      ws.once('error', reject);
    });
  }

  /** Messages of a type received so far. */
  ofType(type: string): Message[] {
    return this.messages.filter((m) => m.type === type);
  }

  /** Resolves when `predicate` holds for the messages received so far (checked on every frame). */
  waitUntil(
    predicate: (messages: Message[]) => boolean,
    timeoutMs = 5000,
    what = 'a condition',
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (predicate(this.messages)) {
          finish();
          resolve();
        } else if (this.closedAt !== undefined) {
          finish();
          reject(new Error(`socket closed while waiting for ${what}; got ${JSON.stringify(this.texts)}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.texts)}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
      };
      this.listeners.push(check);
      check();
    });
  }

  /** Resolves with the first message of `type` (already received or the next one). */
  async waitFor(type: string, timeoutMs = 5000): Promise<Message> {
    await this.waitUntil((ms) => ms.some((m) => m.type === type), timeoutMs, `a ${type} message`);
    return this.ofType(type)[0]!;
  }

  send(frame: string | Uint8Array): void {
    this.ws.send(frame);
  }

  /** Terminates the socket if it is still open and waits for the close. */
  async dispose(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
    await this.closed;
  }
}

function tryParse(text: string): Message | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && 'type' in value ? (value as Message) : undefined;
  } catch {
    return undefined;
  }
}

/** The outcome of a raw handshake. */
export interface HandshakeResult {
  status: number;
  headers: IncomingHttpHeaders;
  /** The response body of a refused handshake (empty for 101). */
  body: string;
  /** The subprotocol the server chose (101 only). */
  protocol?: string;
}

/**
 * Performs one handshake and reports the HTTP response: a refused one through `ws`'s
 * `unexpected-response` (status, headers, body), an accepted one through its `upgrade` event (the
 * 101's headers); the socket is then terminated.
 */
export function handshake(
  url: string,
  options: { headers?: Record<string, string>; protocols?: string[] } = {},
): Promise<HandshakeResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {} });
    let upgradeHeaders: IncomingHttpHeaders = {};
    ws.on('error', reject);
    ws.once('upgrade', (res: IncomingMessage) => {
      upgradeHeaders = res.headers;
    });
    ws.once('open', () => {
      const protocol = ws.protocol;
      ws.once('close', () => resolve({ status: 101, headers: upgradeHeaders, body: '', protocol }));
      ws.terminate();
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        ws.terminate();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
  });
}

/** `n` bytes of digital silence in linear16 (zeros). */
export function linear16Silence(seconds: number, sampleRate = 16000): Uint8Array {
  return new Uint8Array(Math.round(seconds * sampleRate) * 2);
}

/** A 440 Hz tone at -6 dBFS in linear16 (loud enough to count as speech for an energy detector). */
export function linear16Tone(seconds: number, sampleRate = 16000): Uint8Array {
  const samples = Math.round(seconds * sampleRate);
  const bytes = new Uint8Array(samples * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples; i++) {
    view.setInt16(i * 2, Math.round(16000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate)), true);
  }
  return bytes;
}

/** `seconds` of mu-law silence (0xFF is mu-law zero). */
export function mulawSilence(seconds: number, sampleRate = 8000): Uint8Array {
  return new Uint8Array(Math.round(seconds * sampleRate)).fill(0xff);
}

/** The samples of a WAV file's `data` chunk (the bytes after its header). */
export function wavData(path: string): Uint8Array {
  const file = readFileSync(path);
  let offset = 12;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    if (id === 'data') return new Uint8Array(file.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${path}: no data chunk`);
}

/** Splits audio into chunks of `size` bytes. */
export function chunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, Math.min(bytes.length, i + size)));
  return out;
}

/** Sleeps (only for tests that must let wall time pass, e.g. inactivity windows). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
