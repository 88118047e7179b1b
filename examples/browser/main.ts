/**
 * Entry point of the browser example: settings from the query string and the form, one session
 * per Start, Stop for a graceful end. Bundled by `scripts/browserExample.ts` with esbuild.
 *
 * Query string: `url` (listen URL), `key` (API key) or `token` (Bearer JWT), `chunkMs` (100),
 * `keepAliveMs` (3000), `model` (nova-3), `price` (USD per minute of audio, 0.0077).
 */
import { Subject, type Subscription } from 'rxjs';
import { transcribeMicrophone, type ExampleSettings } from './pipeline';
import { View } from './view';

const query = new URLSearchParams(location.search);
const numberParam = (name: string, fallback: number): number => {
  const value = Number(query.get(name) ?? fallback);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

const view = new View(numberParam('price', 0.0077));
view.url.value = query.get('url') ?? 'wss://api.deepgram.com/v1/listen';
const token = query.get('token');
view.scheme.value = token !== null ? 'bearer' : 'token';
view.secret.value = token ?? query.get('key') ?? '';
// Keep credentials out of the address bar, the history and screenshots.
if (query.has('key') || query.has('token')) {
  const visible = new URLSearchParams(query);
  visible.delete('key');
  visible.delete('token');
  history.replaceState(null, '', `${location.pathname}?${visible.toString()}`);
}

const stop$ = new Subject<void>();
let session: Subscription | undefined;

view.form.addEventListener('submit', (event) => {
  event.preventDefault();
  session?.unsubscribe();
  const settings: ExampleSettings = {
    url: view.url.value,
    scheme: view.scheme.value === 'bearer' ? 'bearer' : 'token',
    secret: view.secret.value,
    chunkMs: numberParam('chunkMs', 100),
    keepAliveMs: numberParam('keepAliveMs', 3000),
    model: query.get('model') ?? 'nova-3',
  };
  view.reset();
  try {
    session = transcribeMicrophone(settings, stop$, {
      microphoneLive: () => view.microphoneLive(),
      sent: (seconds) => view.showSent(seconds),
      gated: (seconds) => view.showGated(seconds),
    }).subscribe({
      next: (liveEvent) => view.event(liveEvent),
      error: (error: unknown) => view.fail(error),
      complete: () => {
        view.setState('closed');
        view.microphoneOff();
      },
    });
  } catch (error) {
    view.fail(error); // invalid settings (a bad URL, …) throw when the pipeline is built
  }
});

view.stop.addEventListener('click', () => {
  view.setState('closing');
  view.microphoneOff(); // takeUntil released it
  stop$.next();
});
