import { Subject, from } from 'rxjs';
import { GATE_SILENCE_DEFAULTS, gateSilence, type GatedSpan } from '../../src/operators/gateSilence';
import { chunk, concat, encode, join, noise, runGate, silence, tone } from './gateSilenceSignals';

const RATE = 16000;
const BPS = RATE * 2; // linear16 mono bytes per second
const format = { encoding: 'linear16', sample_rate: RATE } as const;
const quiet = (seconds: number): Uint8Array => encode(silence(RATE, seconds), 'linear16');
const loud = (seconds: number): Uint8Array => encode(tone(RATE, seconds, -20), 'linear16');

test('the documented 19-chunk example gives the documented output and spans', () => {
  // 100 ms chunks; s = silence, S = speech (see the marble in gateSilence's JSDoc).
  const plan = 'sssssSSssssssSsssss';
  const source = [...plan].map((c) => (c === 'S' ? loud(0.1) : quiet(0.1)));
  const events: (GatedSpan | Uint8Array)[] = [];
  from(source)
    .pipe(gateSilence({ ...format, prerollMs: 200, hangoverMs: 300, onGate: (span) => events.push(span) }))
    .subscribe((c) => events.push(c));
  const at = (n: number): Uint8Array => source[n - 1]!;
  expect(events).toEqual([
    { from: 0, to: 0.3, sentBefore: 0, totalGatedSeconds: 0.3 },
    concat([at(4), at(5)]),
    at(6),
    at(7),
    at(8),
    at(9),
    at(10),
    { from: 1, to: 1.1, sentBefore: 0.7, totalGatedSeconds: 0.4 },
    concat([at(12), at(13)]),
    at(14),
    at(15),
    at(16),
    at(17),
    { from: 1.7, to: 1.9, sentBefore: 1.3, totalGatedSeconds: 0.6 },
  ]);
  // Chunks that are sent are the source's own references; prerolls are new arrays.
  expect(events[2]).toBe(at(6));
  expect(events[6]).toBe(at(10));
  expect(events[1]).not.toBe(at(4));
});

test('a chunk with speech is emitted as the same reference, synchronously', () => {
  const audio$ = new Subject<Uint8Array>();
  const output: Uint8Array[] = [];
  const subscription = audio$.pipe(gateSilence(format)).subscribe((c) => output.push(c));
  const speech = loud(0.02);
  audio$.next(speech);
  expect(output).toEqual([speech]);
  expect(output[0]).toBe(speech);
  subscription.unsubscribe();
});

test('by default the gate keeps 300 ms before speech and 500 ms after it', () => {
  const bytes = concat([quiet(1), loud(1), quiet(2), loud(0.5)]);
  const run = runGate(chunk(bytes, 0.02 * BPS), format);
  expect(GATE_SILENCE_DEFAULTS).toEqual({ thresholdDbfs: -50, prerollMs: 300, hangoverMs: 500 });
  expect(run.spans.map((s) => [s.from, s.to])).toEqual([
    [0, 0.7],
    [2.5, 3.7],
  ]);
});

test('an onset in the middle of a chunk sends the preroll bytes before it, then the chunk', () => {
  // 1 s of silence in 250 ms chunks, then a chunk whose tone starts 200 ms in (at 1.2 s).
  const bytes = concat([quiet(1.2), loud(0.3)]);
  const source = chunk(bytes, 0.25 * BPS);
  const run = runGate(source, format);
  expect(run.spans.map((s) => [s.from, s.to])).toEqual([[0, 0.9]]);
  expect(run.output[0]).toEqual(bytes.subarray(0.9 * BPS, 1 * BPS));
  expect(run.output[1]).toBe(source[4]);
  expect(concat(run.output)).toEqual(bytes.subarray(0.9 * BPS));
});

test('hangoverMs of audio after the last speech frame is still sent', () => {
  const bytes = concat([loud(1), quiet(1)]);
  const run = runGate(chunk(bytes, 0.01 * BPS), { ...format, hangoverMs: 500 });
  expect(run.output).toHaveLength(150);
  expect(run.spans.map((s) => [s.from, s.to])).toEqual([[1.5, 2]]);
});

test('with prerollMs 0 and hangoverMs 0 only the chunks with speech are sent', () => {
  const source = chunk(concat([quiet(0.5), loud(0.2), quiet(0.5), loud(0.1), quiet(0.2)]), 0.1 * BPS);
  const run = runGate(source, { ...format, prerollMs: 0, hangoverMs: 0 });
  expect(run.output).toEqual([source[5], source[6], source[12]]);
  expect(run.spans.map((s) => [s.from, s.to])).toEqual([
    [0, 0.5],
    [0.7, 1.2],
    [1.3, 1.5],
  ]);
});

test('the preroll is a copy, so a source that reuses its buffer does not change it', () => {
  const audio$ = new Subject<Uint8Array>();
  const output: Uint8Array[] = [];
  audio$.pipe(gateSilence({ ...format, prerollMs: 100 })).subscribe((c) => output.push(c));
  const buffer = new Uint8Array(0.05 * BPS);
  const held: Uint8Array[] = [];
  for (let i = 0; i < 6; i++) {
    const faint = encode(noise(RATE, 0.05, -70, i + 1), 'linear16');
    held.push(faint);
    buffer.set(faint);
    audio$.next(buffer);
  }
  buffer.set(loud(0.05));
  audio$.next(buffer);
  expect(output[0]).toEqual(concat(held.slice(4)));
  expect(output[1]).toBe(buffer);
});

test('a gated span reports where the gap falls in the sent audio and the running total', () => {
  const bytes = concat([quiet(1), loud(0.5), quiet(2), loud(0.5), quiet(1.5), loud(0.5)]);
  const run = runGate(chunk(bytes, 0.02 * BPS), { ...format, prerollMs: 100, hangoverMs: 200 });
  expect(run.spans).toEqual([
    { from: 0, to: 0.9, sentBefore: 0, totalGatedSeconds: 0.9 },
    { from: 1.7, to: 3.4, sentBefore: 0.8, totalGatedSeconds: 2.6 },
    { from: 4.2, to: 5.4, sentBefore: 1.6, totalGatedSeconds: 3.8 },
  ]);
});

test('trailing silence is dropped when the source completes and reported before completion', () => {
  const log: string[] = [];
  from(chunk(concat([loud(0.2), quiet(1)]), 0.1 * BPS))
    .pipe(gateSilence({ ...format, hangoverMs: 100, onGate: (s) => log.push(`gate ${s.from}-${s.to}`) }))
    .subscribe({ next: () => log.push('chunk'), complete: () => log.push('complete') });
  expect(log).toEqual(['chunk', 'chunk', 'chunk', 'gate 0.3-1.2', 'complete']);
});

test('a source error reports the held silence, then forwards the error', () => {
  const audio$ = new Subject<Uint8Array>();
  const log: unknown[] = [];
  audio$
    .pipe(gateSilence({ ...format, onGate: (s) => log.push([s.from, s.to]) }))
    .subscribe({ next: () => log.push('chunk'), error: (e: unknown) => log.push(e) });
  const failure = new Error('microphone unplugged');
  audio$.next(quiet(0.25));
  audio$.error(failure);
  expect(log).toEqual([[0, 0.25], failure]);
});

test('unsubscribing unsubscribes the source and reports nothing more', () => {
  const audio$ = new Subject<Uint8Array>();
  const spans: GatedSpan[] = [];
  const subscription = audio$.pipe(gateSilence({ ...format, onGate: (s) => spans.push(s) })).subscribe();
  audio$.next(quiet(1));
  subscription.unsubscribe();
  expect(audio$.observed).toBe(false);
  expect(spans).toEqual([]);
});

test('zero-length chunks are never emitted', () => {
  const speech = loud(0.1);
  const run = runGate([speech, new Uint8Array(0), loud(0.1)], format);
  expect(run.output).toHaveLength(2);
  expect(run.output.every((c) => c.length > 0)).toBe(true);
});

test('a chunk that is not a Uint8Array errors the stream with a TypeError naming what it got', () => {
  let error: unknown;
  from([new Int16Array(160) as unknown as Uint8Array])
    .pipe(gateSilence(format))
    .subscribe({ error: (e: unknown) => (error = e) });
  expect(error).toBeInstanceOf(TypeError);
  expect((error as Error).message).toMatch(/Uint8Array.*Int16Array/);
});

test('a chunk that is not a Uint8Array reports the silence held before it, then errors', () => {
  const events: unknown[] = [];
  from([quiet(0.1), 'oops' as unknown as Uint8Array])
    .pipe(gateSilence({ ...format, onGate: (span) => events.push(span) }))
    .subscribe({ next: (c) => events.push(c), error: (e: unknown) => events.push((e as Error).name) });
  expect(events).toEqual([{ from: 0, to: 0.1, sentBefore: 0, totalGatedSeconds: 0.1 }, 'TypeError']);
});

test('an onGate callback that throws errors the stream with what it threw', () => {
  const boom = new Error('meter full');
  let error: unknown;
  let chunks = 0;
  from([quiet(1), loud(0.1), loud(0.1)])
    .pipe(
      gateSilence({
        ...format,
        onGate: () => {
          throw boom;
        },
      }),
    )
    .subscribe({ next: () => chunks++, error: (e: unknown) => (error = e) });
  expect(error).toBe(boom);
  expect(chunks).toBe(0);
});

test('every subscription has its own gate state', () => {
  // The spans show a shared gate even where the chunks do not: a second subscription to a gate
  // left in silence would report its first span on the first subscription's timeline.
  const spans: GatedSpan[][] = [];
  const gated$ = from(chunk(concat([quiet(1), loud(0.3), quiet(1), loud(0.3)]), 0.05 * BPS)).pipe(
    gateSilence({ ...format, onGate: (span) => spans[spans.length - 1]!.push(span) }),
  );
  const subscribe = (): Uint8Array[] => {
    spans.push([]);
    const chunks: Uint8Array[] = [];
    gated$.subscribe((c) => chunks.push(c));
    return chunks;
  };
  const first = subscribe();
  const second = subscribe();
  expect(second).toEqual(first);
  expect(first.length).toBeGreaterThan(0);
  expect(spans[1]).toEqual(spans[0]);
  expect(spans[0]![0]).toMatchObject({ from: 0, sentBefore: 0 });
});

test('7-byte chunks of stereo audio are gated in whole sample frames, so the output stays aligned', () => {
  const stereo = {
    encoding: 'linear16',
    sample_rate: RATE,
    channels: 2,
    prerollMs: 50,
    hangoverMs: 50,
  } as const;
  const pair = (samples: Int16Array): Int16Array => {
    const out = new Int16Array(samples.length * 2);
    samples.forEach((s, i) => (out[2 * i] = out[2 * i + 1] = s));
    return out;
  };
  const samples = pair(
    join(silence(RATE, 0.3), tone(RATE, 0.1, -20), silence(RATE, 0.4), tone(RATE, 0.1, -20)),
  );
  const bytes = encode(samples, 'linear16');
  // The gate closes at 7-byte chunk starts 28805 and 60802, both inside a 4-byte sample frame.
  const run = runGate(chunk(bytes, 7), stereo);
  const inner = run.spans.filter((s) => s.to * 4 * RATE < bytes.length);
  expect(inner).toHaveLength(2);
  for (const span of inner) {
    expect(Math.round(span.from * 4 * RATE) % 4).toBe(0);
    expect(Math.round(span.to * 4 * RATE) % 4).toBe(0);
  }
  expect(concat(run.output).length % 4).toBe(0);
});

describe('a source that sends again from inside a subscriber (re-entrant)', () => {
  /** A 100 ms chunk tagged in its first sample (inaudible against the signal). */
  const tagged = (make: (seconds: number) => Uint8Array, tag: number): Uint8Array => {
    const c = make(0.1);
    c[0] = tag;
    return c;
  };

  test('a chunk sent from inside next while the preroll goes out comes after the onset chunk', () => {
    const source = new Subject<Uint8Array>();
    const out: Uint8Array[] = [];
    source.pipe(gateSilence({ ...format, prerollMs: 100, hangoverMs: 100 })).subscribe((c) => {
      out.push(c);
      if (out.length === 1) source.next(tagged(loud, 3)); // a pump: each frame sent asks for the next
    });
    source.next(tagged(quiet, 1)); // held
    source.next(tagged(loud, 2)); // preroll (the held chunk), then this one
    expect(out.map((c) => c[0])).toEqual([1, 2, 3]);
  });

  test('a chunk sent from inside onGate is gated after the span it reports, without an error', () => {
    const source = new Subject<Uint8Array>();
    const events: string[] = [];
    let pushed = false;
    const onGate = (span: GatedSpan): void => {
      events.push(`gated ${span.from}-${span.to}`);
      if (!pushed) {
        pushed = true;
        source.next(tagged(quiet, 9));
      }
    };
    source.pipe(gateSilence({ ...format, prerollMs: 100, hangoverMs: 0, onGate })).subscribe({
      next: (c) => events.push(`chunk ${c[0]}`),
      error: (e: unknown) => events.push(`error ${String(e)}`),
    });
    source.next(tagged(quiet, 1));
    source.next(tagged(quiet, 1)); // 200 ms held: the first 100 ms are dropped at the onset
    source.next(tagged(loud, 2));
    source.complete();
    expect(events).toEqual(['gated 0-0.1', 'chunk 1', 'chunk 2', 'gated 0.3-0.4']);
  });

  test('a completion sent from inside next comes after the chunks sent before it', () => {
    const source = new Subject<Uint8Array>();
    const events: string[] = [];
    source.pipe(gateSilence({ ...format, prerollMs: 100, hangoverMs: 100 })).subscribe({
      next: (c) => {
        events.push(`chunk ${c[0]}`);
        if (c[0] === 1) {
          source.next(tagged(loud, 3));
          source.complete();
        }
      },
      complete: () => events.push('complete'),
    });
    source.next(tagged(quiet, 1));
    source.next(tagged(loud, 2));
    expect(events).toEqual(['chunk 1', 'chunk 2', 'chunk 3', 'complete']);
  });
});

describe('invalid configuration throws when gateSilence is called', () => {
  const cases: [string, unknown, ErrorConstructor, RegExp][] = [
    ['no config', undefined, TypeError, /config/],
    ['an unknown encoding', { encoding: 'flac', sample_rate: 16000 }, RangeError, /encoding/],
    ['a non-string encoding', { encoding: 16, sample_rate: 16000 }, TypeError, /encoding/],
    ['a missing sample_rate', { encoding: 'linear16' }, TypeError, /sample_rate/],
    ['a string sample_rate', { encoding: 'linear16', sample_rate: '16000' }, TypeError, /sample_rate/],
    ['a zero sample_rate', { encoding: 'linear16', sample_rate: 0 }, RangeError, /sample_rate/],
    ['a fractional sample_rate', { encoding: 'linear16', sample_rate: 8000.5 }, RangeError, /sample_rate/],
    ['an infinite sample_rate', { encoding: 'linear16', sample_rate: Infinity }, RangeError, /sample_rate/],
    ['zero channels', { ...format, channels: 0 }, RangeError, /channels/],
    ['fractional channels', { ...format, channels: 1.5 }, RangeError, /channels/],
    ['a positive thresholdDbfs', { ...format, thresholdDbfs: 3 }, RangeError, /thresholdDbfs/],
    ['a NaN thresholdDbfs', { ...format, thresholdDbfs: NaN }, RangeError, /thresholdDbfs/],
    ['an infinite thresholdDbfs', { ...format, thresholdDbfs: -Infinity }, RangeError, /thresholdDbfs/],
    ['a negative prerollMs', { ...format, prerollMs: -1 }, RangeError, /prerollMs/],
    ['an infinite prerollMs', { ...format, prerollMs: Infinity }, RangeError, /prerollMs/],
    [
      'a prerollMs over a minute',
      { ...format, prerollMs: 60001 },
      RangeError,
      /prerollMs .* from 0 to 60000/,
    ],
    ['a negative hangoverMs', { ...format, hangoverMs: -0.5 }, RangeError, /hangoverMs/],
    ['a NaN hangoverMs', { ...format, hangoverMs: NaN }, RangeError, /hangoverMs/],
    ['an onGate that is not a function', { ...format, onGate: 'log' }, TypeError, /onGate/],
    ['a null prerollMs (not the default)', { ...format, prerollMs: null }, TypeError, /prerollMs/],
    ['null channels (not the default)', { ...format, channels: null }, TypeError, /channels/],
    [
      'a sample_rate whose preroll buffer could not be allocated',
      { ...format, sample_rate: 1e13 },
      RangeError,
      /sample_rate 10000000000000 × channels 1 needs/,
    ],
    ['channels beyond any audio format', { ...format, channels: 1e9 }, RangeError, /channels 1000000000/],
  ];
  test.each(cases)('%s is rejected', (_name, config, errorType, message) => {
    const call = (): unknown => gateSilence(config as Parameters<typeof gateSilence>[0]);
    expect(call).toThrow(errorType);
    expect(call).toThrow(message);
  });
});

it('does not repeat a long string given as a setting in its error (it may be a misplaced key)', () => {
  const key = 'f00dfeedc0ffee0123456789abcdef0123456789';
  const messageOf = (config: unknown): string => {
    try {
      gateSilence(config as Parameters<typeof gateSilence>[0]);
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  };
  expect([
    messageOf({ encoding: key, sample_rate: 16000 }),
    messageOf({ ...format, prerollMs: key }),
  ]).toEqual([
    expect.stringContaining('string of 40 characters'),
    expect.stringContaining('string of 40 characters'),
  ]);
  expect(messageOf({ encoding: 'flac', sample_rate: 16000 })).toContain('"flac"');
});

describe('a word cut off by the end of the stream', () => {
  // 1 s of silence, then 8 ms of speech in 4 ms chunks: the last 10 ms analysis frame never completes.
  const source = chunk(concat([quiet(1), encode(tone(RATE, 0.008, -10), 'linear16')]), 0.004 * BPS);

  it('is sent with its preroll when the source completes', () => {
    const run = runGate(source, format);
    expect([run.spans.map((s) => [s.from, s.to]), concat(run.output).length, run.completed]).toEqual([
      [[0, 0.7]],
      0.308 * BPS,
      true,
    ]);
  });

  it('is sent with its preroll before the source’s error is forwarded', () => {
    const failure = new Error('microphone lost');
    const audio$ = new Subject<Uint8Array>();
    const spans: GatedSpan[] = [];
    const output: Uint8Array[] = [];
    let error: unknown;
    audio$
      .pipe(gateSilence({ ...format, onGate: (span) => spans.push(span) }))
      .subscribe({ next: (c) => output.push(c), error: (e: unknown) => (error = e) });
    for (const c of source) audio$.next(c);
    audio$.error(failure);
    expect([spans.map((s) => [s.from, s.to]), concat(output).length, error]).toEqual([
      [[0, 0.7]],
      0.308 * BPS,
      failure,
    ]);
  });

  it('is still dropped when it is silent', () => {
    const run = runGate(chunk(quiet(1.008), 0.004 * BPS), format);
    expect(run.spans.map((s) => [s.from, s.to])).toEqual([[0, 1.008]]);
  });
});

describe('thresholdDbfs 0', () => {
  it('keeps a full-scale square wave, whose ±32767 samples are the loudest linear16 can carry', () => {
    const samples = new Int16Array(1600).map((_, i) => (Math.floor(i / 8) % 2 === 0 ? 32767 : -32768));
    const run = runGate([new Uint8Array(samples.buffer)], { ...format, thresholdDbfs: 0 });
    expect(run.spans).toEqual([]);
  });

  it('keeps the loudest mu-law audio, which is 0.17 dB below full scale', () => {
    const loudest = new Uint8Array(800).map((_, i) => (i % 2 === 0 ? 0x80 : 0x00)); // ±32124
    const run = runGate([loudest], { encoding: 'mulaw', sample_rate: 8000, thresholdDbfs: 0 });
    expect(run.spans).toEqual([]);
  });

  it('still drops audio 1 dB below full scale', () => {
    const run = runGate([encode(tone(RATE, 0.1, -1), 'linear16')], { ...format, thresholdDbfs: 0 });
    expect(run.spans.map((s) => [s.from, s.to])).toEqual([[0, 0.1]]);
  });
});
