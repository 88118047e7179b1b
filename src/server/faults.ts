/**
 * Fault injection for the emulator: per-session faults (close, drop, stall, malformed frame) and
 * refused handshakes, so that client tests can exercise every failure path on real sockets.
 */
import { MAX_TIMER_MS } from '../protocol/timerLimit';
import type { ListenQuery } from './query';

/**
 * When a session fault fires: once the session has received `afterAudioBytes` bytes of audio
 * (after the frame that reaches it has been processed), or `atMs` ms after the connection opened,
 * whichever comes first. With neither, the fault fires as soon as the connection opens. `atMs` is
 * at most 2147483647 (Node's longest timer).
 */
export interface FaultTrigger {
  readonly afterAudioBytes?: number;
  readonly atMs?: number;
}

/** Close the connection with a close frame carrying `code` and `reason` (default empty). */
export interface CloseFault extends FaultTrigger {
  readonly kind: 'close';
  /** 1000, 1001–1003, 1007–1014 or 3000–4999 (codes a server may send). */
  readonly code: number;
  readonly reason?: string;
  /** Send the session `Metadata` first, as Deepgram does before its own closes (default false). */
  readonly metadata?: boolean;
}

/** Drop the TCP connection without a close frame (the client sees 1006). */
export interface DropFault extends FaultTrigger {
  readonly kind: 'drop';
}

/**
 * Stop answering: a half-open connection. The TCP connection stays open, nothing more is read or
 * sent, no close frame (not even in answer to the client's), and no inactivity timeout. Like a
 * dead server it does not notice the client leaving: the session stays open until
 * `emulator.close()`.
 */
export interface StallFault extends FaultTrigger {
  readonly kind: 'stall';
}

/**
 * Send one text frame that is not a valid server message; the session then goes on normally.
 * `'not-json'`: a truncated JSON object; `'wrong-types'`: a `Results` whose fields have the wrong
 * types; `{ text }`: exactly that text.
 */
export interface MalformedFault extends FaultTrigger {
  readonly kind: 'malformed';
  readonly payload?: 'not-json' | 'wrong-types' | { readonly text: string };
}

/**
 * One fault of a session.
 *
 * @example
 * ```ts
 * import { startEmulator, NET0000_REASON } from 'deepgram-rx/node';
 * // Every session: a NET-0000 close after 5 s of 16 kHz linear16 audio.
 * await startEmulator({
 *   faults: { kind: 'close', code: 1011, reason: NET0000_REASON, metadata: true, afterAudioBytes: 160_000 },
 * });
 * // Only the first connection drops after 200 ms; reconnects then succeed.
 * await startEmulator({ faults: ({ index }) => (index === 0 ? { kind: 'drop', atMs: 200 } : undefined) });
 * ```
 */
export type SessionFault = CloseFault | DropFault | StallFault | MalformedFault;

/** The faults of one session: one fault or several (each fires at most once). */
export type FaultPlan = SessionFault | readonly SessionFault[];

/** What a per-session fault function learns about the connection. */
export interface FaultContext {
  readonly requestId: string;
  readonly query: ListenQuery;
  /** 0 for the first accepted connection of this emulator, 1 for the second, … */
  readonly index: number;
}

/** Faults for every session (a plan) or chosen per session (a function; undefined = no fault). */
export type SessionFaults = FaultPlan | ((context: FaultContext) => FaultPlan | undefined);

/**
 * Refuse handshakes with an HTTP error instead of upgrading: the next `count` handshakes (default:
 * all until changed). `retryAfter` adds a `Retry-After` header (seconds, or any string).
 * `errCode`/`errMsg` default to Deepgram's for the status (e.g. 429 `TOO_MANY_REQUESTS`).
 *
 * @example
 * ```ts
 * import { startEmulator } from 'deepgram-rx/node';
 * const emulator = await startEmulator({ refuseHandshakes: { status: 429, count: 2, retryAfter: 1 } });
 * emulator.refuseHandshakes({ status: 503 }); // from now on, until refuseHandshakes(undefined)
 * ```
 */
export interface HandshakeRefusal {
  /** 400–599, e.g. 401, 429 or 503. */
  readonly status: number;
  readonly count?: number;
  readonly retryAfter?: number | string;
  readonly errCode?: string;
  readonly errMsg?: string;
}

/** The text a malformed-frame fault sends. */
export function malformedText(payload: MalformedFault['payload'], requestId: string): string {
  if (payload === undefined || payload === 'not-json') return '{"type":"Results","channel_index":[0,1],"dura';
  if (payload === 'wrong-types') {
    return JSON.stringify({
      type: 'Results',
      channel_index: '0,1',
      duration: '1.0',
      start: null,
      is_final: 'yes',
      channel: { alternatives: [{ transcript: 42, confidence: '0.9', words: {} }] },
      metadata: { request_id: requestId },
    });
  }
  return payload.text;
}

function isSendableCloseCode(code: number): boolean {
  return (
    Number.isInteger(code) &&
    ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999))
  );
}

function checkTrigger(fault: SessionFault): void {
  const afterAudioBytes = fault.afterAudioBytes;
  if (afterAudioBytes !== undefined && !(Number.isFinite(afterAudioBytes) && afterAudioBytes >= 0)) {
    throw new RangeError(
      `emulator fault '${fault.kind}': afterAudioBytes must be a finite number >= 0, got ${afterAudioBytes}`,
    );
  }
  const atMs = fault.atMs;
  if (atMs !== undefined && !(Number.isFinite(atMs) && atMs >= 0 && atMs <= MAX_TIMER_MS)) {
    throw new RangeError(
      `emulator fault '${fault.kind}': atMs must be a number >= 0 and <= ${MAX_TIMER_MS} (Node's longest timer), got ${atMs}`,
    );
  }
}

/**
 * Checks a fault plan and returns its faults as a list.
 *
 * @throws RangeError for an unknown fault kind (a typo would otherwise do nothing in silence), a
 *   close code a server cannot send (e.g. 1005, 1006), a close reason that is not a string of at
 *   most 123 bytes, a malformed payload other than 'not-json', 'wrong-types' or `{ text }`, or a
 *   negative/non-finite trigger.
 */
export function normalizeFaultPlan(plan: FaultPlan | undefined): readonly SessionFault[] {
  if (plan === undefined) return [];
  const faults: readonly SessionFault[] = Array.isArray(plan) ? plan : [plan as SessionFault];
  for (const fault of faults) {
    const kind: unknown = (fault as { kind?: unknown } | null)?.kind;
    if (kind !== 'close' && kind !== 'drop' && kind !== 'stall' && kind !== 'malformed') {
      throw new RangeError(
        `emulator fault: kind must be 'close', 'drop', 'stall' or 'malformed', got ${JSON.stringify(kind) ?? String(kind)}`,
      );
    }
    checkTrigger(fault);
    if (fault.kind === 'malformed') {
      const payload: unknown = fault.payload;
      const text = (payload as { text?: unknown } | null)?.text;
      if (
        payload !== undefined &&
        payload !== 'not-json' &&
        payload !== 'wrong-types' &&
        typeof text !== 'string'
      ) {
        throw new RangeError(
          `emulator fault 'malformed': payload must be 'not-json', 'wrong-types' or { text }`,
        );
      }
    }
    if (fault.kind === 'close') {
      if (fault.reason !== undefined && typeof fault.reason !== 'string') {
        throw new RangeError(`emulator fault 'close': reason must be a string`);
      }
      if (!isSendableCloseCode(fault.code)) {
        throw new RangeError(
          `emulator fault 'close': code ${fault.code} cannot be sent in a close frame (use kind 'drop' for 1006)`,
        );
      }
      if (Buffer.byteLength(fault.reason ?? '') > 123) {
        throw new RangeError(`emulator fault 'close': reason is longer than 123 bytes`);
      }
    }
  }
  return faults;
}

/**
 * Checks a handshake refusal.
 *
 * @throws RangeError when `status` is not 400–599 or `count` is not a non-negative integer.
 */
export function checkRefusal(refusal: HandshakeRefusal): void {
  if (!Number.isInteger(refusal.status) || refusal.status < 400 || refusal.status > 599) {
    throw new RangeError(`emulator handshake refusal: status must be 400–599, got ${refusal.status}`);
  }
  if (refusal.count !== undefined && !(Number.isInteger(refusal.count) && refusal.count >= 0)) {
    throw new RangeError(`emulator handshake refusal: count must be an integer >= 0, got ${refusal.count}`);
  }
  const retryAfter: unknown = refusal.retryAfter;
  const validRetryAfter =
    retryAfter === undefined ||
    (typeof retryAfter === 'number' && Number.isInteger(retryAfter) && retryAfter >= 0) ||
    (typeof retryAfter === 'string' && retryAfter.trim() !== '');
  if (!validRetryAfter) {
    throw new RangeError(
      `emulator handshake refusal: retryAfter must be whole seconds >= 0 or an HTTP date, got ${typeof retryAfter === 'number' ? retryAfter : typeof retryAfter}`,
    );
  }
}
