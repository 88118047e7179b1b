/**
 * The Deepgram emulator: a local `/v1/listen` WebSocket server that behaves like Deepgram on the
 * wire (handshake, auth, errors, control messages, timeouts, close codes) for development and tests.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import * as E from 'fp-ts/lib/Either.js';
import { WebSocketServer, type WebSocket } from 'ws';
import { isTimerDelay, MAX_TIMER_MS } from '../protocol/timerLimit';
import { authenticate, offeredProtocols, type AuthScheme } from './auth';
import { EmulatorConnection } from './connection';
import { createEngine, resolveRecognizer } from './engine';
import type { EngineConfig } from './engine/types';
import type {
  Emulator,
  EmulatorConfig,
  EmulatorEvents,
  EmulatorSession,
  HandshakeRecord,
  WaitOptions,
} from './emulatorTypes';
import {
  checkRefusal,
  normalizeFaultPlan,
  type HandshakeRefusal,
  type SessionFault,
  type SessionFaults,
} from './faults';
import {
  corsHeaderLines,
  defaultHandshakeError,
  errorBody,
  headerSafe,
  writeHandshakeError,
  type HandshakeError,
} from './httpResponses';
import { parseQuery, validateListenQuery, type ListenParams, type ListenQuery } from './query';

const LISTEN_PATH = '/v1/listen';
const DEFAULT_IDLE_TIMEOUT_MS = 10_000;
const DEFAULT_WAIT_MS = 10_000;

/** What the upgrade handler decided for a request that is being upgraded. */
interface Accepted {
  readonly requestId: string;
  readonly origin: string | undefined;
  readonly protocol: string | undefined;
}

function checkConfig(config: EmulatorConfig): void {
  const idle = config.idleTimeoutMs;
  if (idle !== undefined && !isTimerDelay(idle)) {
    throw new RangeError(
      `startEmulator: idleTimeoutMs must be a number > 0 and <= ${MAX_TIMER_MS} (Node's longest timer), got ${idle}`,
    );
  }
  const port = config.port;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new RangeError(`startEmulator: port must be an integer 0–65535, got ${port}`);
  }
  if (config.faults !== undefined && typeof config.faults !== 'function') normalizeFaultPlan(config.faults);
  if (config.refuseHandshakes !== undefined) checkRefusal(config.refuseHandshakes);
}

/** Why `ws` would refuse this upgrade request (RFC 6455 §4.2.1), or undefined when it is valid. */
function malformedUpgrade(request: IncomingMessage): string | undefined {
  if (request.method !== 'GET') return `method ${request.method ?? '(none)'}, expected GET`;
  if (request.headers.upgrade?.toLowerCase() !== 'websocket') return 'Upgrade header is not websocket';
  const key = request.headers['sec-websocket-key'];
  if (key === undefined || !/^[+/0-9A-Za-z]{22}==$/.test(key)) return 'missing or invalid Sec-WebSocket-Key';
  const version = request.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') return 'missing or unsupported Sec-WebSocket-Version';
  return undefined;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** A copy of a query record, arrays (a repeated key) included: records given out are snapshots. */
function cloneQuery<Q extends Readonly<Record<string, string | readonly string[]>>>(query: Q): Q {
  return Object.fromEntries(
    Object.entries(query).map(([key, value]: [string, string | readonly string[]]) => [
      key,
      typeof value === 'string' ? value : [...value],
    ]),
  ) as Q;
}

function snapshot(record: EmulatorSession): EmulatorSession {
  return {
    ...record,
    query: cloneQuery(record.query),
    keepAliveTimes: [...record.keepAliveTimes],
    keepAliveGaps: [...record.keepAliveGaps],
    faultsFired: [...record.faultsFired],
    warnings: [...record.warnings],
  };
}

function newRecord(
  requestId: string,
  query: ListenQuery,
  index: number,
  auth: { scheme: AuthScheme; protocol?: string },
  params: ListenParams,
): EmulatorSession {
  return {
    requestId,
    query,
    audioBytes: 0,
    keepAlives: 0,
    finalizes: 0,
    closeStreams: 0,
    binaryControlFrames: 0,
    index,
    state: 'open',
    openedAt: Date.now(),
    audioSeconds: 0,
    binaryFrames: 0,
    textFrames: 0,
    emptyFrames: 0,
    configures: 0,
    syncs: 0,
    schemaErrors: 0,
    messagesSent: 0,
    keepAliveTimes: [],
    keepAliveGaps: [],
    authScheme: auth.scheme,
    ...(auth.protocol !== undefined ? { protocol: auth.protocol } : {}),
    faultsFired: [],
    warnings: [...params.warnings],
  };
}

function engineConfigFor(
  config: EmulatorConfig,
  params: ListenParams,
  query: ListenQuery,
  requestId: string,
): EngineConfig {
  const recognizer = resolveRecognizer(config.recognizer, query);
  return {
    requestId,
    ...(params.encoding !== undefined ? { encoding: params.encoding } : {}),
    ...(params.sampleRate !== undefined ? { sampleRate: params.sampleRate } : {}),
    channels: params.channels,
    multichannel: params.multichannel,
    interimResults: params.interimResults,
    endpointing: params.endpointing,
    ...(params.utteranceEndMs !== undefined ? { utteranceEndMs: params.utteranceEndMs } : {}),
    vadEvents: params.vadEvents,
    punctuate: params.punctuate,
    smartFormat: params.smartFormat,
    diarize: params.diarize,
    detectEntities: params.detectEntities,
    model: params.model,
    ...(params.extra !== undefined ? { extra: { ...params.extra } } : {}),
    recognizer,
    created: new Date().toISOString(),
    ...(config.sha256 !== undefined ? { sha256: config.sha256 } : {}),
    ...(config.tuning !== undefined ? { tuning: config.tuning } : {}),
  };
}

function refusalError(refusal: HandshakeRefusal): HandshakeError {
  const base = defaultHandshakeError(refusal.status);
  return {
    status: refusal.status,
    errCode: refusal.errCode ?? base.errCode,
    errMsg: refusal.errMsg ?? base.errMsg,
    ...(refusal.retryAfter !== undefined ? { headers: { 'retry-after': String(refusal.retryAfter) } } : {}),
  };
}

/** The request's target as a URL, or undefined when it cannot be read as one (e.g. `//[`). */
function requestTarget(request: IncomingMessage): URL | undefined {
  try {
    return new URL(request.url ?? '/', 'http://emulator');
  } catch {
    return undefined;
  }
}

/**
 * Starts a Deepgram-compatible `/v1/listen` server on loopback for development and tests.
 *
 * It validates the query like Deepgram (400 `INVALID_QUERY_PARAMETER` with `dg-error`), checks
 * auth when `apiKey`/`accessTokens` are set (401 `INVALID_AUTH`), answers every response with a
 * `dg-request-id`, transcribes with its engine (timing from the real audio bytes; words from a
 * script recognizer or none), handles KeepAlive, Finalize, CloseStream, Sync and Configure,
 * answers malformed text with a `SchemaError`, closes idle sessions with 1011 NET-0001 after
 * `idleTimeoutMs`, and injects faults on demand. Every connection is recorded in `sessions()`.
 *
 * Resolves once listening; rejects when the port cannot be bound. `close()` terminates every
 * client and stops the server (safe in jest: nothing is left open).
 *
 * @throws RangeError (synchronously, as a rejected promise) for an invalid config value
 * @example
 * ```ts
 * import { startEmulator } from 'deepgram-rx/node';
 *
 * const emulator = await startEmulator({ apiKey: 'test-key', idleTimeoutMs: 500 });
 * // connect a client to emulator.url with `Authorization: Token test-key` …
 * const session = await emulator.waitForClose();
 * console.log(session.audioBytes, session.keepAlives, session.closeCode);
 * await emulator.close();
 * ```
 */
export async function startEmulator(config: EmulatorConfig = {}): Promise<Emulator> {
  checkConfig(config);
  const host = config.host ?? '127.0.0.1';
  const idleTimeoutMs = config.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const newRequestId = config.requestId ?? randomUUID;
  const makeEngine = config.createEngine ?? createEngine;
  const events = new EventEmitter<EmulatorEvents>();
  events.setMaxListeners(0);

  let sessionFaults: SessionFaults | undefined = config.faults;
  let refusal: HandshakeRefusal | undefined = config.refuseHandshakes;
  let refusalsLeft = refusal?.count ?? Infinity;
  let records: EmulatorSession[] = [];
  let handshakeRecords: HandshakeRecord[] = [];
  const connections = new Set<EmulatorConnection>();
  /** Sockets of refused handshakes whose client has not closed its side yet. */
  const refused = new Set<Duplex>();
  const accepted = new WeakMap<IncomingMessage, Accepted>();
  let acceptedCount = 0;
  let closing: Promise<void> | undefined;

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (_protocols, request) => accepted.get(request)?.protocol ?? false,
  });
  wss.on('headers', (headers, request) => {
    const info = accepted.get(request);
    if (info === undefined) return;
    headers.push(...corsHeaderLines(info.origin), `dg-request-id: ${info.requestId}`);
  });
  wss.on('error', () => undefined);

  const recordHandshake = (record: HandshakeRecord): void => {
    handshakeRecords.push(record);
    if (events.listenerCount('handshake') > 0) {
      events.emit('handshake', { ...record, query: cloneQuery(record.query) });
    }
  };

  const onHttpRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const requestId = newRequestId();
    const path = requestTarget(request)?.pathname;
    const error: HandshakeError =
      path === undefined
        ? defaultHandshakeError(400)
        : path === LISTEN_PATH
          ? {
              status: 426,
              errCode: 'UPGRADE_REQUIRED',
              errMsg: 'This endpoint only accepts WebSocket upgrades.',
            }
          : defaultHandshakeError(404);
    const origin = request.headers.origin;
    const cors = corsHeaderLines(origin).map((line) => line.split(': ') as [string, string]);
    response.writeHead(error.status, [
      ['content-type', 'application/json'],
      ['dg-error', headerSafe(error.errMsg)],
      ...cors,
      ['dg-request-id', requestId],
    ]);
    response.end(errorBody(error, requestId));
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => undefined);
    if (closing !== undefined) {
      socket.destroy();
      return;
    }
    const requestId = newRequestId();
    const origin = request.headers.origin;
    const url = requestTarget(request);
    const query = url === undefined ? {} : parseQuery(url.search);
    const protocols = offeredProtocols(request.headers['sec-websocket-protocol']);
    const auth = authenticate(request.headers.authorization, protocols, {
      ...(config.apiKey !== undefined ? { apiKey: config.apiKey } : {}),
      ...(config.accessTokens !== undefined ? { accessTokens: config.accessTokens } : {}),
    });
    const path = url === undefined ? (request.url ?? '') : url.pathname;
    const base = { requestId, at: Date.now(), path, query, authScheme: auth.scheme };
    const refuse = (error: HandshakeError): void => {
      recordHandshake({ ...base, status: error.status, errCode: error.errCode, errMsg: error.errMsg });
      writeHandshakeError(socket, error, requestId, origin);
      // The answer ends our side; a client that keeps its own open must not hold close() up.
      if (!socket.destroyed) {
        refused.add(socket);
        socket.once('close', () => refused.delete(socket));
      }
    };

    // A target Node's parser lets through but URL cannot read (`//[`): answered, not a crash.
    if (url === undefined) return refuse(defaultHandshakeError(400));
    if (url.pathname !== LISTEN_PATH) return refuse(defaultHandshakeError(404));
    // What ws would refuse with its own bare 400: answered, and recorded, here instead.
    const malformed = malformedUpgrade(request);
    if (malformed !== undefined) {
      return refuse({
        status: 400,
        errCode: 'Bad Request',
        errMsg: `Invalid WebSocket upgrade: ${malformed}`,
      });
    }
    if (refusal !== undefined && refusalsLeft > 0) {
      refusalsLeft--;
      return refuse(refusalError(refusal));
    }
    if (!auth.ok) return refuse(defaultHandshakeError(401));
    const validated = validateListenQuery(query, config.defaultModel);
    if (E.isLeft(validated)) return refuse(validated.left);
    const params = validated.right;

    const index = acceptedCount;
    let faults: readonly SessionFault[];
    let engine;
    try {
      const plan =
        typeof sessionFaults === 'function' ? sessionFaults({ requestId, query, index }) : sessionFaults;
      faults = normalizeFaultPlan(plan);
      engine = makeEngine(engineConfigFor(config, params, query, requestId));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return refuse({
        status: 500,
        errCode: 'INTERNAL_SERVER_ERROR',
        errMsg: `Emulator setup failed: ${message}`,
      });
    }
    acceptedCount++;
    accepted.set(request, { requestId, origin, protocol: auth.protocol });

    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      recordHandshake({ ...base, status: 101 });
      const record = newRecord(requestId, query, index, auth, params);
      records.push(record);
      const connection = new EmulatorConnection({
        ws,
        socket,
        record,
        params,
        engine,
        idleTimeoutMs,
        strictKeepAlive: config.strictKeepAlive ?? false,
        faults,
        onClosed: () => {
          connections.delete(connection);
          if (events.listenerCount('close') > 0) events.emit('close', snapshot(record));
        },
      });
      connections.add(connection);
      if (events.listenerCount('open') > 0) events.emit('open', snapshot(record));
    });
  };

  const server = createServer(onHttpRequest);
  server.on('upgrade', onUpgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => undefined);
  const port = (server.address() as AddressInfo).port;

  const findRecord = (requestId: string): EmulatorSession | undefined =>
    records.find((r) => r.requestId === requestId);

  /** The waits in progress: `close()` rejects those its own closes did not settle. */
  const waits = new Set<() => void>();
  const waitFor = <T>(
    options: WaitOptions | undefined,
    what: string,
    subscribe: (done: (value: T) => void) => () => void,
  ): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (closing !== undefined) {
        reject(new Error(`emulator: closed, not waiting for ${what}`));
        return;
      }
      const timeoutMs: unknown = options?.timeoutMs;
      if (
        timeoutMs !== undefined &&
        !(typeof timeoutMs === 'number' && timeoutMs >= 0 && timeoutMs <= MAX_TIMER_MS)
      ) {
        // A longer (or NaN, negative) delay would make Node fire the timer after 1 ms.
        reject(
          new RangeError(
            `emulator: timeoutMs must be a number from 0 to ${MAX_TIMER_MS}, got ${typeof timeoutMs === 'number' ? timeoutMs : typeof timeoutMs}`,
          ),
        );
        return;
      }
      let unsubscribe: () => void = () => undefined;
      const settle = (): void => {
        clearTimeout(timer);
        unsubscribe();
        waits.delete(closed);
      };
      const closed = (): void => {
        settle();
        reject(new Error(`emulator: closed while waiting for ${what}`));
      };
      const timer = setTimeout(() => {
        settle();
        reject(
          new Error(
            `emulator: timed out after ${options?.timeoutMs ?? DEFAULT_WAIT_MS} ms waiting for ${what}`,
          ),
        );
      }, options?.timeoutMs ?? DEFAULT_WAIT_MS);
      waits.add(closed);
      unsubscribe = subscribe((value) => {
        settle();
        resolve(value);
      });
    });

  const closeOf = (requestId: string, options: WaitOptions | undefined): Promise<EmulatorSession> => {
    const record = findRecord(requestId);
    if (record?.state === 'closed') return Promise.resolve(snapshot(record));
    return waitFor(options, `session ${requestId} to close`, (done) => {
      const listener = (session: EmulatorSession): void => {
        if (session.requestId === requestId) done(session);
      };
      events.on('close', listener);
      return () => events.off('close', listener);
    });
  };

  const emulator: Emulator = {
    url: `ws://${urlHost(host)}:${port}${LISTEN_PATH}`,
    port,
    sessions: () => records.map(snapshot),
    handshakes: () => handshakeRecords.map((r) => ({ ...r, query: cloneQuery(r.query) })),
    clearRecords: () => {
      // Sessions still closing are kept too: only closed ones are forgotten.
      records = records.filter((r) => r.state !== 'closed');
      handshakeRecords = [];
    },
    events,
    nextSession: (options) =>
      waitFor(options, 'the next session', (done) => {
        events.on('open', done);
        return () => events.off('open', done);
      }),
    waitForClose: (options) => {
      if (options?.requestId !== undefined) return closeOf(options.requestId, options);
      const latest = records[records.length - 1];
      if (latest !== undefined) return closeOf(latest.requestId, options);
      // One deadline for both waits: timeoutMs bounds the whole call.
      const startedAt = Date.now();
      const timeoutMs = options?.timeoutMs ?? DEFAULT_WAIT_MS;
      return emulator.nextSession(options).then((session) =>
        closeOf(session.requestId, {
          ...options,
          timeoutMs: Math.max(0, timeoutMs - (Date.now() - startedAt)),
        }),
      );
    },
    setFaults: (faults) => {
      if (faults !== undefined && typeof faults !== 'function') normalizeFaultPlan(faults);
      sessionFaults = faults;
    },
    refuseHandshakes: (next) => {
      if (next !== undefined) checkRefusal(next);
      refusal = next;
      refusalsLeft = next?.count ?? Infinity;
    },
    close: () => {
      closing ??= (async () => {
        const open = [...connections];
        for (const connection of open) connection.terminate();
        for (const socket of refused) socket.destroy();
        await Promise.all(open.map((c) => c.closed));
        // A session closed above settled its waitForClose(); nothing else can come now.
        for (const closed of [...waits]) closed();
        await new Promise<void>((resolve) => {
          wss.close(() => resolve());
        });
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
  return emulator;
}
