/**
 * fromMicrophone's lifecycle over a fake browser platform: what it opens on subscribe, what it
 * releases on unsubscribe and on errors, and how browser errors become MicrophoneErrors.
 */
import { firstValueFrom, take, toArray } from 'rxjs';
import { fromMicrophone, microphoneAudio, MicrophoneError } from '../../src/audio/fromMicrophone';
import { resolveMicrophoneConfig } from '../../src/audio/microphoneConfig';
import type {
  CaptureGraph,
  ContextLike,
  MicrophonePlatform,
  StreamLike,
  TrackLike,
} from '../../src/audio/microphonePlatform';

class FakeTrack implements TrackLike {
  stopped = false;
  readonly listeners = new Set<() => void>();
  stop(): void {
    this.stopped = true;
  }
  addEventListener(_type: 'ended', listener: () => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'ended', listener: () => void): void {
    this.listeners.delete(listener);
  }
  end(): void {
    for (const l of [...this.listeners]) l();
  }
}

class FakeStream implements StreamLike {
  constructor(readonly tracks: FakeTrack[] = [new FakeTrack()]) {}
  getAudioTracks(): FakeTrack[] {
    return this.tracks;
  }
  getTracks(): FakeTrack[] {
    return this.tracks;
  }
}

class FakeContext implements ContextLike {
  state: 'suspended' | 'running' | 'closed';
  resumed = 0;
  constructor(
    readonly sampleRate: number,
    state: 'suspended' | 'running' = 'running',
  ) {
    this.state = state;
  }
  resume(): Promise<void> {
    this.resumed++;
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.state = 'closed';
    return Promise.resolve();
  }
}

class FakeGraph implements CaptureGraph {
  listener: ((samples: Float32Array) => void) | undefined;
  disconnected = false;
  onSamples(listener: (samples: Float32Array) => void): void {
    this.listener = listener;
  }
  disconnect(): void {
    this.disconnected = true;
  }
  post(samples: Float32Array): void {
    this.listener?.(samples);
  }
}

interface Fake {
  platform: MicrophonePlatform<FakeContext, FakeStream>;
  contexts: FakeContext[];
  graphs: FakeGraph[];
  stream: FakeStream;
  /** Resolves when the graph is connected (audio can flow). */
  connected: Promise<FakeGraph>;
}

function fakePlatform(
  options: {
    rate?: number;
    state?: 'suspended' | 'running';
    getUserMedia?: () => Promise<FakeStream>;
    loadProcessor?: () => Promise<void>;
    stream?: FakeStream;
  } = {},
): Fake {
  const contexts: FakeContext[] = [];
  const graphs: FakeGraph[] = [];
  const stream = options.stream ?? new FakeStream();
  let onConnected: (graph: FakeGraph) => void = () => undefined;
  const connected = new Promise<FakeGraph>((resolve) => (onConnected = resolve));
  const platform: MicrophonePlatform<FakeContext, FakeStream> = {
    createContext: () => {
      const context = new FakeContext(options.rate ?? 16000, options.state);
      contexts.push(context);
      return context;
    },
    getUserMedia: options.getUserMedia ?? (() => Promise.resolve(stream)),
    loadProcessor: options.loadProcessor ?? (() => Promise.resolve()),
    connect: () => {
      const graph = new FakeGraph();
      graphs.push(graph);
      onConnected(graph);
      return graph;
    },
  };
  return { platform, contexts, graphs, stream, connected };
}

const config = resolveMicrophoneConfig({ sampleRate: 16000, chunkMs: 10 });

function domException(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

async function errorOf(fake: Fake): Promise<MicrophoneError> {
  const error: unknown = await firstValueFrom(microphoneAudio(config, () => fake.platform)).then(
    () => {
      throw new Error('expected an error');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MicrophoneError);
  return error as MicrophoneError;
}

test('fromMicrophone returns the linear16 format of the chosen rate for LiveOptions', () => {
  expect(fromMicrophone({ sampleRate: 8000 }).format).toEqual({
    encoding: 'linear16',
    sample_rate: 8000,
    channels: 1,
  });
  expect(fromMicrophone().format).toEqual({ encoding: 'linear16', sample_rate: 16000, channels: 1 });
});

test('an invalid sampleRate or chunkMs throws at call time, naming the option', () => {
  expect(() => fromMicrophone({ sampleRate: 44100.5 })).toThrow(/sampleRate/);
  expect(() => fromMicrophone({ sampleRate: 4000 })).toThrow(RangeError);
  expect(() => fromMicrophone({ chunkMs: 5 })).toThrow(/chunkMs/);
  expect(() => fromMicrophone({ chunkMs: NaN })).toThrow(RangeError);
});

test('outside a browser, subscribing fails with an unsupported MicrophoneError', async () => {
  const error: unknown = await firstValueFrom(fromMicrophone().audio$).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MicrophoneError);
  expect((error as MicrophoneError).kind).toBe('unsupported');
  expect((error as MicrophoneError).message).toMatch(/getUserMedia/);
});

test('samples posted by the worklet come out as linear16 chunks of chunkMs', async () => {
  const fake = fakePlatform({ rate: 16000 });
  const chunks = firstValueFrom(microphoneAudio(config, () => fake.platform).pipe(take(2), toArray()));
  const graph = await fake.connected;
  graph.post(new Float32Array(100).fill(0.5));
  graph.post(new Float32Array(250).fill(-0.5));
  const [first, second] = await chunks;
  expect(first!.length).toBe(320); // 10 ms at 16 kHz
  expect(new DataView(first!.buffer).getInt16(0, true)).toBe(16384);
  expect(new DataView(second!.buffer).getInt16(318, true)).toBe(-16384);
});

test('the device rate is resampled to the chosen rate', async () => {
  const fake = fakePlatform({ rate: 48000 });
  const chunks = firstValueFrom(microphoneAudio(config, () => fake.platform).pipe(take(10), toArray()));
  const graph = await fake.connected;
  for (let i = 0; i < 10; i++) graph.post(new Float32Array(512)); // 5120 samples at 48 kHz ≈ 106 ms
  expect((await chunks).map((c) => c.length)).toEqual(new Array<number>(10).fill(320));
});

test('unsubscribing stops every track, disconnects the worklet and closes the AudioContext', async () => {
  const fake = fakePlatform();
  const subscription = microphoneAudio(config, () => fake.platform).subscribe();
  await fake.connected;
  subscription.unsubscribe();
  expect(fake.stream.tracks.every((t) => t.stopped)).toBe(true);
  expect(fake.graphs[0]!.disconnected).toBe(true);
  expect(fake.contexts[0]!.state).toBe('closed');
  expect(fake.stream.tracks[0]!.listeners.size).toBe(0);
});

test('unsubscribing while the permission prompt is open releases the microphone once it is granted', async () => {
  let grant: (stream: FakeStream) => void = () => undefined;
  const fake = fakePlatform({ getUserMedia: () => new Promise<FakeStream>((resolve) => (grant = resolve)) });
  const subscription = microphoneAudio(config, () => fake.platform).subscribe();
  subscription.unsubscribe();
  expect(fake.contexts[0]!.state).toBe('closed');
  const late = new FakeStream();
  grant(late);
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(late.tracks[0]!.stopped).toBe(true);
  expect(fake.graphs).toHaveLength(0);
});

test('a refused permission errors with kind permission-denied and closes the AudioContext', async () => {
  const fake = fakePlatform({
    getUserMedia: () => Promise.reject(domException('NotAllowedError', 'Permission denied')),
  });
  const error = await errorOf(fake);
  expect(error.kind).toBe('permission-denied');
  expect(error.message).toMatch(/denied.*NotAllowedError/);
  expect(fake.contexts[0]!.state).toBe('closed');
});

test('no input device errors with kind no-device', async () => {
  const fake = fakePlatform({ getUserMedia: () => Promise.reject(domException('NotFoundError')) });
  expect((await errorOf(fake)).kind).toBe('no-device');
});

test('a device in use elsewhere errors with kind device-busy', async () => {
  const fake = fakePlatform({ getUserMedia: () => Promise.reject(domException('NotReadableError')) });
  expect((await errorOf(fake)).kind).toBe('device-busy');
});

/** The error, and what was released at the moment the observer received it (not after teardown). */
function releasedAtError(
  fake: Fake,
): Promise<{ error: unknown; stopped: boolean; disconnected: boolean; context: string }> {
  return new Promise((resolve) => {
    microphoneAudio(config, () => fake.platform).subscribe({
      error: (error: unknown) =>
        resolve({
          error,
          stopped: fake.stream.tracks[0]!.stopped,
          disconnected: fake.graphs[0]?.disconnected ?? true,
          context: fake.contexts[0]!.state,
        }),
    });
  });
}

test('a worklet module that fails to load errors with kind audio-setup, after the tracks are stopped', async () => {
  const fake = fakePlatform({ loadProcessor: () => Promise.reject(new Error('blocked by CSP')) });
  const { error, ...released } = await releasedAtError(fake);
  expect(error).toEqual(expect.objectContaining({ kind: 'audio-setup', cause: new Error('blocked by CSP') }));
  expect(released).toEqual({ stopped: true, disconnected: true, context: 'closed' });
});

test('a worklet module blocked by a CSP (addModule rejects with an AbortError) is audio-setup, not device-busy', async () => {
  const blocked = domException('AbortError', 'Unable to load a worklet’s module.');
  const fake = fakePlatform({ loadProcessor: () => Promise.reject(blocked) });
  const { error } = await releasedAtError(fake);
  expect(error).toEqual(expect.objectContaining({ kind: 'audio-setup', cause: blocked }));
});

test('a track that ends while streaming errors with kind ended, after everything is released', async () => {
  const fake = fakePlatform();
  const result = releasedAtError(fake);
  await fake.connected;
  fake.stream.tracks[0]!.end();
  const { error, ...released } = await result;
  expect(error).toBeInstanceOf(MicrophoneError);
  expect((error as MicrophoneError).kind).toBe('ended');
  expect(released).toEqual({ stopped: true, disconnected: true, context: 'closed' });
});

test('a context suspended by the autoplay policy is resumed', async () => {
  const fake = fakePlatform({ state: 'suspended' });
  const subscription = microphoneAudio(config, () => fake.platform).subscribe();
  await fake.connected;
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(fake.contexts[0]!.resumed).toBe(1);
  subscription.unsubscribe();
});

test('each subscription opens its own AudioContext (the stream is cold)', () => {
  const fake = fakePlatform();
  const audio$ = microphoneAudio(config, () => fake.platform);
  const a = audio$.subscribe();
  const b = audio$.subscribe();
  expect(fake.contexts).toHaveLength(2);
  a.unsubscribe();
  b.unsubscribe();
});
