// JIT: Angular compiles the component's and the service's definitions at run time (see
// transcriptionService.test.ts). This import must come before anything Angular.
import '@angular/compiler';
import {
  createEnvironmentInjector,
  Injector,
  runInInjectionContext,
  type EnvironmentInjector,
} from '@angular/core';
import { fakeDeepgram } from '../../src/testing';
import { LiveCaptionComponent } from '../../examples/angular/live-caption.component';
import { provideTranscription } from '../../examples/angular/transcription.config';
import { TranscriptionService } from '../../examples/angular/transcription.service';

/** The browser globals `fromMicrophone()` uses, as fakes that record what was opened and released. */
class FakeBrowser {
  readonly tracks: Array<{ readyState: 'live' | 'ended' }> = [];
  readonly contexts: Array<{ state: 'running' | 'closed' }> = [];
  private readonly saved = {
    navigator: Object.getOwnPropertyDescriptor(globalThis, 'navigator'),
    AudioContext: Reflect.get(globalThis, 'AudioContext') as unknown,
    AudioWorkletNode: Reflect.get(globalThis, 'AudioWorkletNode') as unknown,
  };

  install(): void {
    const { tracks, contexts } = this;
    const getUserMedia = (): Promise<unknown> => {
      const track = {
        readyState: 'live' as 'live' | 'ended',
        stop: () => (track.readyState = 'ended'),
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
      };
      tracks.push(track);
      return Promise.resolve({ getAudioTracks: () => [track], getTracks: () => [track] });
    };
    Object.defineProperty(globalThis, 'navigator', {
      configurable: true,
      value: { mediaDevices: { getUserMedia } },
    });
    Reflect.set(
      globalThis,
      'AudioContext',
      class {
        sampleRate = 48000;
        state: 'running' | 'closed' = 'running';
        audioWorklet = { addModule: () => Promise.resolve() };
        constructor() {
          contexts.push(this);
        }
        resume(): Promise<void> {
          return Promise.resolve();
        }
        close(): Promise<void> {
          this.state = 'closed';
          return Promise.resolve();
        }
        createMediaStreamSource(): object {
          return { connect: () => undefined, disconnect: () => undefined };
        }
      },
    );
    Reflect.set(
      globalThis,
      'AudioWorkletNode',
      class {
        port = { onmessage: null, close: () => undefined };
        disconnect(): void {}
      },
    );
  }

  restore(): void {
    if (this.saved.navigator === undefined) Reflect.deleteProperty(globalThis, 'navigator');
    else Object.defineProperty(globalThis, 'navigator', this.saved.navigator);
    Reflect.set(globalThis, 'AudioContext', this.saved.AudioContext);
    Reflect.set(globalThis, 'AudioWorkletNode', this.saved.AudioWorkletNode);
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

let browser: FakeBrowser;
beforeEach(() => {
  browser = new FakeBrowser();
  browser.install();
});
afterEach(() => browser.restore());

it('releases the microphone it opened, and stops the session, when it is destroyed (its route is left)', async () => {
  const server = fakeDeepgram();
  const root = Injector.create({
    providers: [
      TranscriptionService,
      provideTranscription({ url: 'ws://127.0.0.1:1/v1/listen', apiKey: 'k', webSocket: server.factory }),
    ],
  });
  const route = createEnvironmentInjector([], root as EnvironmentInjector, 'route');
  const component = runInInjectionContext(route, () => new LiveCaptionComponent());
  (component as unknown as { start(): void }).start();
  await settle();
  const service = root.get(TranscriptionService);
  const before = [service.state(), browser.tracks[0]?.readyState, browser.contexts[0]?.state];
  route.destroy();
  await settle();
  const after = [service.state(), browser.tracks[0]?.readyState, browser.contexts[0]?.state];
  (root as Injector & { destroy(): void }).destroy();
  expect([before, after]).toEqual([
    ['streaming', 'live', 'running'],
    [expect.stringMatching(/^stopp/), 'ended', 'closed'],
  ]);
});
