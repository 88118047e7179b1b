/**
 * Runs the example component in a browser page: bootstraps {@link LiveCaptionComponent} with
 * zoneless change detection and a {@link provideTranscription} configuration from the query string.
 * Bundled by `scripts/browserExample.ts` with esbuild (`node scripts/browser-example.mjs --angular`),
 * not by the Angular CLI, so the component's template is compiled in the page (JIT); an application
 * built with the Angular CLI compiles it ahead of time and bootstraps the same way.
 *
 * Query string: `url` (listen URL, default Deepgram's), `key` (API key, sent as the `token`
 * subprotocol: browsers cannot set headers), `model` (nova-3).
 */
import '@angular/compiler'; // JIT: must come before anything else from Angular
import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { LiveCaptionComponent } from './live-caption.component';
import { provideTranscription } from './transcription.config';

const query = new URLSearchParams(location.search);
const apiKey = query.get('key') ?? undefined;
// Keep the key out of the address bar, the history and screenshots.
if (query.has('key')) {
  const visible = new URLSearchParams(query);
  visible.delete('key');
  history.replaceState(null, '', `${location.pathname}?${visible.toString()}`);
}

bootstrapApplication(LiveCaptionComponent, {
  providers: [
    provideZonelessChangeDetection(),
    provideTranscription({
      url: query.get('url') ?? 'wss://api.deepgram.com/v1/listen',
      apiKey,
      options: { model: query.get('model') ?? 'nova-3', interim_results: true, punctuate: true },
    }),
  ],
}).catch((error: unknown) => {
  console.error(error);
});
