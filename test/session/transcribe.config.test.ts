/**
 * transcribe() validates its whole configuration when it is called, before anything connects.
 */
import { defer, NEVER } from 'rxjs';
import { LiveOptionsError } from '../../src/protocol/liveOptions';
import { transcribe, type TranscribeConfig } from '../../src/session/transcribe';
import { resolveTranscribeConfig } from '../../src/session/transcribeConfig';
import type { WebSocketFactory } from '../../src/socket/webSocketLike';

const factory: WebSocketFactory = () => {
  throw new Error('must not connect');
};
const call = (config: TranscribeConfig) => () => transcribe({ webSocket: factory, ...config });

it('throws a LiveOptionsError naming the option when the options are invalid', () => {
  expect(call({ options: { utterance_end_ms: 1000 } })).toThrow(LiveOptionsError);
  expect(call({ options: { utterance_end_ms: 1000 } })).toThrow(/utterance_end_ms/);
  expect(call({ options: { encoding: 'linear16' } })).toThrow(/sample_rate/);
});

it('throws a LiveOptionsError for a url that is not a WebSocket or HTTP URL', () => {
  expect(call({ url: 'not a url' })).toThrow(LiveOptionsError);
  expect(call({ url: 'ftp://example.com/v1/listen' })).toThrow(LiveOptionsError);
});

it('turns an http(s) url into the ws(s) url of the same endpoint', () => {
  expect(resolveTranscribeConfig({ url: 'https://api.eu.deepgram.com/v1/listen' }).url).toBe(
    'wss://api.eu.deepgram.com/v1/listen',
  );
  expect(
    resolveTranscribeConfig({ url: 'http://127.0.0.1:8080/v1/listen', options: { model: 'nova-3' } }).url,
  ).toBe('ws://127.0.0.1:8080/v1/listen?model=nova-3');
});

it('defaults the url to Deepgram’s production endpoint', () => {
  expect(resolveTranscribeConfig({}).url).toBe('wss://api.deepgram.com/v1/listen');
});

it('throws a RangeError from withKeepAlive for KeepAlive delays outside (0, 10000)', () => {
  expect(call({ keepAlive: { idleMs: 10000 } })).toThrow(RangeError);
  expect(call({ keepAlive: { intervalMs: 0 } })).toThrow(RangeError);
});

it('throws a TypeError for a keepAlive that is neither an object nor false', () => {
  expect(call({ keepAlive: true as unknown as false })).toThrow(TypeError);
});

it.each([0, -1, Number.NaN, Infinity, 2 ** 31])(
  'throws a RangeError for closeTimeoutMs %p',
  (closeTimeoutMs) => {
    expect(call({ closeTimeoutMs })).toThrow(
      new RangeError(
        `transcribe: closeTimeoutMs must be > 0 and at most 2147483647 (the longest timer), got ${closeTimeoutMs}`,
      ),
    );
  },
);

// A JavaScript timer longer than 2^31 − 1 ms fires after 1 ms: a healthyAfterMs meant as "never"
// would reset the retry count at once, a closeTimeoutMs meant as "very long" would end the session.
it.each<[string, TranscribeConfig]>([
  ['closeTimeoutMs', { closeTimeoutMs: 2 ** 31 }],
  ['openTimeoutMs', { openTimeoutMs: 2 ** 31 }],
  ['reconnect.initialDelayMs', { reconnect: { initialDelayMs: 2 ** 31 } }],
  ['reconnect.maxDelayMs', { reconnect: { maxDelayMs: Number.MAX_SAFE_INTEGER } }],
  ['reconnect.healthyAfterMs', { reconnect: { healthyAfterMs: 2 ** 31 } }],
  ['reconnect.serverSilenceMs', { reconnect: { serverSilenceMs: 2 ** 32 } }],
  ['backpressure.pollMs', { backpressure: { pollMs: 2 ** 31 } }],
  ['meter.everyMs', { meter: { everyMs: 2 ** 31 } }],
])('throws a RangeError for a %s longer than the longest timer', (name, config) => {
  expect(call(config)).toThrow(RangeError);
  expect(call(config)).toThrow(`transcribe: ${name} must be `);
  expect(call(config)).toThrow('at most 2147483647 (the longest timer), got ');
});

it('accepts every delay up to the longest timer', () => {
  const longest = 2 ** 31 - 1;
  expect(
    call({
      closeTimeoutMs: longest,
      openTimeoutMs: longest,
      reconnect: {
        initialDelayMs: longest,
        maxDelayMs: longest,
        healthyAfterMs: longest,
        serverSilenceMs: longest,
      },
      backpressure: { pollMs: longest },
      meter: { everyMs: longest },
    }),
  ).not.toThrow();
});

it('defaults closeTimeoutMs to 10000', () => {
  expect(resolveTranscribeConfig({}).closeTimeoutMs).toBe(10000);
});

it.each([0, -1, Number.NaN, Infinity])('throws a RangeError for openTimeoutMs %p', (openTimeoutMs) => {
  expect(call({ openTimeoutMs })).toThrow(
    new RangeError(
      `transcribe: openTimeoutMs must be > 0 and at most 2147483647 (the longest timer), got ${openTimeoutMs}`,
    ),
  );
});

it('defaults openTimeoutMs to 10000', () => {
  expect(resolveTranscribeConfig({}).openTimeoutMs).toBe(10000);
  expect(resolveTranscribeConfig({ openTimeoutMs: 2500 }).openTimeoutMs).toBe(2500);
});

it('throws a RangeError for a maxBufferBytes that is not > 0 and for bad backpressure settings', () => {
  expect(call({ maxBufferBytes: 0 })).toThrow(RangeError);
  expect(call({ backpressure: { highWaterBytes: -1 } })).toThrow(RangeError);
  expect(call({ backpressure: { pollMs: 0 } })).toThrow(RangeError);
});

it('throws a TypeError when both apiKey and accessToken are given', () => {
  expect(call({ apiKey: 'key-123456', accessToken: 'jwt-123456' })).toThrow(
    new TypeError('transcribe: give either apiKey or accessToken, not both'),
  );
});

it('throws a TypeError that does not echo the value for an empty or non-string key', () => {
  expect(call({ apiKey: '   ' })).toThrow(new TypeError('transcribe: apiKey is an empty string'));
  expect(call({ accessToken: 12345678 as unknown as string })).toThrow(
    new TypeError('transcribe: accessToken must be a string or a function returning one, got number'),
  );
});

it('throws a TypeError that does not echo the key when it holds a newline or a space (it could not go in a header)', () => {
  const problem =
    'contains whitespace, a control or a non-ASCII character (a trailing newline from a token endpoint?); API keys and tokens have none';
  expect(call({ apiKey: 'dg-key-0123456789\n' })).toThrow(new TypeError(`transcribe: apiKey ${problem}`));
  expect(call({ accessToken: 'eyJhbGciOi JIUzI1NiJ9' })).toThrow(
    new TypeError(`transcribe: accessToken ${problem}`),
  );
});

it('throws a TypeError that does not echo a string passed as the whole config (it is often the key)', () => {
  const key = 'dg-key-0123456789abcdef';
  expect(() => transcribe(key as unknown as TranscribeConfig)).toThrow(
    new TypeError('transcribe: config must be an object, got a string'),
  );
});

it('throws a RangeError naming keepAlive.idleMs, without its text, for a delay given as a string', () => {
  expect(call({ keepAlive: { idleMs: '2000' as unknown as number } })).toThrow(
    new RangeError(
      "transcribe: keepAlive.idleMs must be a finite number of milliseconds > 0 and < 10000 (Deepgram's inactivity window), got a string",
    ),
  );
});

it('validates reconnect settings when transcribe() is called', () => {
  expect(call({ reconnect: { maxAttempts: 3, initialDelayMs: 100 } })).not.toThrow();
  expect(call({ reconnect: false })).not.toThrow();
  expect(call({ reconnect: { maxAttempts: 1.5 } })).toThrow(RangeError);
  expect(call({ reconnect: { maxDelayMs: -1 } })).toThrow(RangeError);
});

it('turns reconnection on with the default settings when reconnect is absent, and off with reconnect: false', () => {
  const defaults = resolveTranscribeConfig({}).reconnect;
  expect(defaults).toEqual({
    maxAttempts: 5,
    initialDelayMs: 500,
    maxDelayMs: 10000,
    replayMs: 20000,
    replayRate: 1.25,
    jitter: 0.3,
    healthyAfterMs: 5000,
    serverSilenceMs: 10000,
  });
  expect(resolveTranscribeConfig({ reconnect: {} }).reconnect).toEqual(defaults);
  expect(resolveTranscribeConfig({ reconnect: undefined }).reconnect).toEqual(defaults);
  expect(resolveTranscribeConfig({ reconnect: false }).reconnect).toBeUndefined();
});

it('throws a TypeError for a reconnect that is neither settings nor false', () => {
  expect(call({ reconnect: true as unknown as false })).toThrow(
    /reconnect must be an object or false, got true/,
  );
  expect(call({ reconnect: null as unknown as false })).toThrow(TypeError);
});

it('throws a TypeError for a finalize$ that is not an Observable and a webSocket that is not a function', () => {
  expect(call({ finalize$: [1] as unknown as TranscribeConfig['finalize$'] })).toThrow(TypeError);
  expect(() => transcribe({ webSocket: {} as WebSocketFactory })).toThrow(TypeError);
});

it('throws when gating is asked for without a raw format in the options, or with bad gate settings', () => {
  expect(call({ gate: true })).toThrow(TypeError);
  expect(call({ gate: true, options: { encoding: 'opus', sample_rate: 48000 } })).toThrow(/gate needs/);
  expect(call({ gate: { thresholdDbfs: 3 }, options: { encoding: 'linear16', sample_rate: 16000 } })).toThrow(
    RangeError,
  );
  expect(call({ gate: { prerollMs: 100 }, options: { encoding: 'mulaw', sample_rate: 8000 } })).not.toThrow();
});

it('is cold: nothing connects and the audio is not subscribed until the events are subscribed', () => {
  let connections = 0;
  let audioSubscriptions = 0;
  const counting: WebSocketFactory = () => {
    connections++;
    throw new Error('no transport in this test');
  };
  const audio$ = defer(() => {
    audioSubscriptions++;
    return NEVER;
  });
  const events$ = audio$.pipe(transcribe({ webSocket: counting, keepAlive: false }));
  expect([connections, audioSubscriptions]).toEqual([0, 0]);
  events$.subscribe({ error: () => undefined });
  expect(connections).toBe(1);
});

it('reads each option once: the URL, the audio clock and the gate all see the same values', () => {
  let reads = 0;
  class Options {
    readonly encoding = 'linear16' as const;
    get sample_rate(): number {
      reads++;
      return reads === 1 ? 16000 : 8000; // a getter that would give every reader another value
    }
  }
  const settings = resolveTranscribeConfig({ options: new Options(), gate: true });
  expect([reads, settings.url, settings.bytesPerSecond]).toEqual([
    1,
    'wss://api.deepgram.com/v1/listen?encoding=linear16&sample_rate=16000',
    32000,
  ]);
});
