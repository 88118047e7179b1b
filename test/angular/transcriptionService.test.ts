// JIT: the service's @Injectable is compiled by SWC, not by Angular's compiler CLI, so Angular
// compiles its injectable definition at run time. This import must come before anything Angular.
import '@angular/compiler';
import { InjectionToken, Injector, inject, type DestroyableInjector } from '@angular/core';
import { join } from 'node:path';
import {
  NEVER,
  Observable,
  Subject,
  concat,
  filter,
  firstValueFrom,
  from,
  timeout,
  toArray,
  type Subscription,
} from 'rxjs';
import { LiveError, LiveOptionsError, ofType, type LiveEvent } from 'deepgram-rx';
import {
  loadScript,
  nodeWebSocket,
  readWav,
  scriptRecognizer,
  startEmulator,
  type Emulator,
} from 'deepgram-rx/node';
import { provideTranscription, type TranscriptionConfig } from '../../examples/angular/transcription.config';
import { TranscriptionService, type TranscriptionState } from '../../examples/angular/transcription.service';

const SAMPLES = join(__dirname, '../../samples');
const API_KEY = 'angular-test-key';
const script = loadScript(join(SAMPLES, 'pauses-16k.words.json'));
const FIRST_SENTENCE = 'Hello from Deepgram RX.';
/** The words of the first 11 s of the sample: its first two sentences. */
const FIRST_11_S = 'Hello from Deepgram RX. This sample pauses for twelve seconds.';

let emulator: Emulator;
/** The sample, in 100 ms chunks (110 chunks: its first 11 s). */
let chunks: Uint8Array[];
let format: { encoding: 'linear16' | 'mulaw' | 'alaw'; sample_rate: number; channels: number };
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  emulator = await startEmulator({ apiKey: API_KEY, recognizer: scriptRecognizer(script.words) });
  const wav = readWav(join(SAMPLES, 'pauses-16k.wav'), { pace: 'fast', chunkMs: 100 });
  format = wav.format;
  chunks = await firstValueFrom(wav.audio$.pipe(toArray()));
});

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

afterAll(async () => {
  await emulator.close();
});

/** The configuration a Node test provides: the emulator's URL, the `ws` transport, a key supplier. */
function emulatorConfig(overrides: Partial<TranscriptionConfig> = {}): TranscriptionConfig {
  return {
    url: emulator.url,
    apiKey: () => API_KEY,
    webSocket: nodeWebSocket(),
    options: { interim_results: true, punctuate: true },
    closeTimeoutMs: 3000,
    ...overrides,
  };
}

interface Created {
  service: TranscriptionService;
  /** Destroys the injector (once; afterEach destroys it when the test did not). */
  destroy: () => void;
}

/**
 * Creates the service through Angular's injector. A bare `Injector.create` is not a `root`
 * injector, so the service is listed as a provider (in an application, `providedIn: 'root'` makes
 * the application's root injector create it).
 */
function createService(config: TranscriptionConfig = emulatorConfig()): Created {
  const injector: DestroyableInjector = Injector.create({
    providers: [TranscriptionService, provideTranscription(config)],
    name: 'transcription test',
  });
  let destroyed = false;
  const destroy = (): void => {
    if (destroyed) return;
    destroyed = true;
    injector.destroy();
  };
  cleanups.push(destroy);
  return { service: injector.get(TranscriptionService), destroy };
}

/** An audio source that counts its open subscriptions. */
function tracked(source: Observable<Uint8Array>): { audio$: Observable<Uint8Array>; active: () => number } {
  let active = 0;
  const audio$ = new Observable<Uint8Array>((subscriber) => {
    active += 1;
    const subscription = source.subscribe(subscriber);
    return () => {
      active -= 1;
      subscription.unsubscribe();
    };
  });
  return { audio$, active: () => active };
}

/** The first 11 s of the sample, then an audio source that stays open (a microphone nobody stops). */
function openEndedAudio(): Observable<Uint8Array> {
  return concat(from(chunks.slice(0, 110)), NEVER);
}

function within<T>(source: Observable<T>, ms = 10000): Promise<T> {
  return firstValueFrom(source.pipe(timeout(ms)));
}

function watch<T>(source: Observable<T>): { values: T[]; subscription: Subscription } {
  const values: T[] = [];
  const subscription = source.subscribe((value) => values.push(value));
  cleanups.push(() => subscription.unsubscribe());
  return { values, subscription };
}

describe('TranscriptionService (Angular example) against the emulator', () => {
  it('streams a whole file and publishes the same results and transcript as observables and signals', async () => {
    const { service } = createService();
    const transcripts = watch(service.transcript$);
    const results = watch(service.results$);
    const stopped = within(service.state$.pipe(filter((state) => state === 'stopped')));

    const wav = readWav(join(SAMPLES, 'pauses-16k.wav'), { pace: 'fast' });
    service.start(wav.audio$, wav.format);
    await stopped;

    const fullText = script.words.map((word) => word.punctuated_word).join(' ');
    expect(service.transcript()).toBe(fullText);
    expect(transcripts.values.at(-1)).toBe(fullText);
    expect(transcripts.values).toContain(FIRST_SENTENCE);
    expect(results.values.some((r) => r.is_final === false)).toBe(true);
    expect(service.results()).toBe(results.values.at(-1));
    expect(service.error()).toBeUndefined();
  });

  it('goes from idle to connecting, streaming, stopping and stopped, in the observable and the signal', async () => {
    const { service } = createService();
    const states = watch(service.state$);
    const audio = new Subject<Uint8Array>();
    const opened = within(service.events$.pipe(ofType('Open')));
    const stateSignal: TranscriptionState[] = [service.state()];

    service.start(audio, format);
    stateSignal.push(service.state());
    await opened;
    stateSignal.push(service.state());
    for (const chunk of chunks.slice(0, 40)) audio.next(chunk);
    const stopped = within(service.state$.pipe(filter((state) => state === 'stopped')));
    service.stop();
    stateSignal.push(service.state());
    await stopped;
    stateSignal.push(service.state());

    const expected: TranscriptionState[] = ['idle', 'connecting', 'streaming', 'stopping', 'stopped'];
    expect(states.values).toEqual(expected);
    expect(stateSignal).toEqual(expected);
  });

  it('stop() ends the audio: CloseStream, the last results, the Metadata and Usage, then stopped', async () => {
    const { service } = createService();
    const source = tracked(openEndedAudio());
    const events: LiveEvent[] = [];
    const eventsSubscription = service.events$.subscribe((event) => events.push(event));
    cleanups.push(() => eventsSubscription.unsubscribe());
    const firstFinal = within(service.transcript$.pipe(filter((text) => text.startsWith(FIRST_SENTENCE))));

    service.start(source.audio$, format);
    await firstFinal;
    const requestId = events.find((event) => event.type === 'Open')?.requestId;
    const stopped = within(service.state$.pipe(filter((state) => state === 'stopped')));
    service.stop();
    await stopped;

    const session = await emulator.waitForClose({ requestId, timeoutMs: 5000 });
    expect(session).toMatchObject({ closeStreams: 1, closedBy: 'server', closeCode: 1000 });
    expect(events.map((event) => event.type).slice(-2)).toEqual(['Metadata', 'Usage']);
    expect(service.transcript()).toBe(FIRST_11_S);
    expect(source.active()).toBe(0);
  });

  it('destroying the injector closes the socket, unsubscribes the audio and completes every observable', async () => {
    const { service, destroy } = createService();
    const source = tracked(openEndedAudio());
    const opened = within(service.events$.pipe(ofType('Open')));
    const firstFinal = within(service.transcript$.pipe(filter((text) => text.startsWith(FIRST_SENTENCE))));
    const observables: Array<Observable<unknown>> = [
      service.events$,
      service.results$,
      service.transcript$,
      service.state$,
      service.error$,
    ];
    const outside = observables.map((observable$) => watch(observable$).subscription);
    service.start(source.audio$, format);
    const { requestId } = await opened;
    await firstFinal;
    expect(source.active()).toBe(1);

    destroy();

    expect(source.active()).toBe(0);
    expect(service.state()).toBe('stopped');
    expect(outside.map((subscription) => subscription.closed)).toEqual([true, true, true, true, true]);
    const session = await emulator.waitForClose({ requestId, timeoutMs: 5000 });
    expect(session).toMatchObject({ closedBy: 'client', closeCode: 1000, closeStreams: 0 });
    expect(() => service.start(source.audio$, format)).toThrow(/destroyed/);
  });

  it('finalize() sends Finalize after the audio so far and the pending words come back final', async () => {
    const { service } = createService();
    const audio = new Subject<Uint8Array>();
    const finalized = within(service.results$.pipe(filter((results) => results.from_finalize === true)));
    service.start(audio, format);
    // 3 s: "Hello from Deepgram" said, "RX." begun but not finished, no pause for the endpointing.
    // The server flushes everything it received: the word in progress too (protocol.md §2.3).
    for (const chunk of chunks.slice(0, 30)) audio.next(chunk);

    service.finalize();

    const results = await finalized;
    expect(results.channel.alternatives[0]?.transcript).toBe('Hello from Deepgram RX.');
    expect(service.transcript()).toBe('Hello from Deepgram RX.');
  });

  it('start() during a session cancels it (its socket closed) and starts a new one', async () => {
    const { service } = createService();
    const first = tracked(openEndedAudio());
    const firstOpen = within(service.events$.pipe(ofType('Open')));
    service.start(first.audio$, format);
    const { requestId } = await firstOpen;

    const secondOpen = within(service.events$.pipe(ofType('Open')));
    service.start(openEndedAudio(), format);

    expect(first.active()).toBe(0);
    expect((await emulator.waitForClose({ requestId, timeoutMs: 5000 })).closedBy).toBe('client');
    expect((await secondOpen).requestId).not.toBe(requestId);
    expect(service.state()).toBe('streaming');
  });

  it('a refused key puts the service in failed, with the LiveError in error', async () => {
    const { service } = createService(emulatorConfig({ apiKey: 'not-the-key' }));
    const failed = within(service.state$.pipe(filter((state) => state === 'failed')));
    const source = tracked(openEndedAudio());
    service.start(source.audio$, format);
    await failed;

    expect(service.error()).toBeInstanceOf(LiveError);
    expect(service.error()).toMatchObject({ kind: 'auth', status: 401 });
    expect(service.error()?.message).not.toContain('not-the-key');
    expect(source.active()).toBe(0);
  });
});

describe('TranscriptionService (Angular example) started again from inside its own notifications', () => {
  it('a session started from an error$ subscriber (a retry) is streaming, not failed, with no error', async () => {
    const { service } = createService();
    const broken = new Subject<Uint8Array>();
    let retried = false;
    const retry = service.error$.subscribe((error) => {
      if (error === undefined || retried) return;
      retried = true;
      service.start(openEndedAudio(), format);
    });
    cleanups.push(() => retry.unsubscribe());
    const firstOpen = within(service.events$.pipe(ofType('Open')));
    service.start(broken, format);
    await firstOpen;
    const secondOpen = within(service.events$.pipe(ofType('Open')));
    broken.error(new Error('microphone unplugged'));
    await secondOpen;

    expect([service.state(), service.error()]).toEqual(['streaming', undefined]);
  });

  it('a session started while the previous one is still being subscribed is the one that destroy cancels', async () => {
    const { service, destroy } = createService();
    const microphone = tracked(openEndedAudio());
    // "When the intro clip has gone out, switch to the microphone": the clip completes synchronously.
    const switchOver = service.state$.pipe(filter((state) => state === 'stopping')).subscribe(() => {
      switchOver.unsubscribe();
      service.start(microphone.audio$, format);
    });
    service.start(from(chunks.slice(0, 5)), format);
    await within(service.events$.pipe(ofType('Open')));
    expect([microphone.active(), service.state()]).toEqual([1, 'streaming']);

    destroy();
    expect([microphone.active(), service.state()]).toEqual([0, 'stopped']);
  });
});

describe('TranscriptionService (Angular example) without a server', () => {
  it('throws invalid options from start() and stays idle', () => {
    const { service } = createService();
    const audio$ = new Subject<Uint8Array>();
    expect(() => service.start(audio$, { interim_results: true, utterance_end_ms: 500 })).toThrow(
      LiveOptionsError,
    );
    expect(service.state()).toBe('idle');
    expect(audio$.observed).toBe(false);
  });

  it('cannot be created without provideTranscription', () => {
    const injector = Injector.create({ providers: [TranscriptionService] });
    cleanups.push(() => injector.destroy());
    expect(() => injector.get(TranscriptionService)).toThrow(/TranscriptionConfig/);
  });
});

describe('provideTranscription', () => {
  it('runs a factory in an injection context, so the configuration can inject() what it needs', async () => {
    const EMULATOR_URL = new InjectionToken<string>('emulator url');
    const injector = Injector.create({
      providers: [
        { provide: EMULATOR_URL, useValue: emulator.url },
        TranscriptionService,
        provideTranscription(() => emulatorConfig({ url: inject(EMULATOR_URL) })),
      ],
    });
    cleanups.push(() => injector.destroy());
    const service = injector.get(TranscriptionService);
    const opened = within(service.events$.pipe(ofType('Open')));

    service.start(openEndedAudio(), format);

    expect((await opened).requestId).toEqual(expect.any(String));
  });
});
