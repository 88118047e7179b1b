/**
 * How an Angular application configures {@link TranscriptionService}: an injection token holding
 * the `transcribe()` configuration, and `provideTranscription()` to provide it.
 */
import { InjectionToken, type Provider } from '@angular/core';
import type { TranscribeConfig } from 'deepgram-rx';

/**
 * The `transcribe()` configuration every session of the service uses: endpoint `url`, credentials
 * (`apiKey` or `accessToken`, a value or a function called for every connection), default
 * `options`, the `webSocket` transport, `keepAlive`, `closeTimeoutMs`, … Everything but
 * `finalize$`, which the service owns (its `finalize()` method).
 */
export type TranscriptionConfig = Omit<TranscribeConfig, 'finalize$'>;

/**
 * The token of the service's configuration. It has no default: a service injected without
 * {@link provideTranscription} fails at once with Angular's "No provider found" error, instead of
 * connecting to Deepgram without credentials.
 *
 * @example
 * ```ts
 * import { Injector } from '@angular/core';
 * import { nodeWebSocket } from 'deepgram-rx/node';
 * import { TRANSCRIPTION_CONFIG } from './transcription.config';
 *
 * const injector = Injector.create({
 *   providers: [{ provide: TRANSCRIPTION_CONFIG, useValue: { url: emulator.url, webSocket: nodeWebSocket() } }],
 * });
 * ```
 */
export const TRANSCRIPTION_CONFIG = new InjectionToken<TranscriptionConfig>(
  'deepgram-rx TranscriptionConfig',
);

/**
 * Provides the service's configuration: a value, or a factory that runs in an injection context
 * (so it can `inject()` what it needs, e.g. `HttpClient` to fetch short-lived tokens). Works in
 * `bootstrapApplication` / `ApplicationConfig` providers, route or component providers, and
 * `Injector.create`.
 *
 * @param config - the configuration, or a function returning it
 * @returns a provider of {@link TRANSCRIPTION_CONFIG}
 * @example
 * ```ts
 * import { HttpClient } from '@angular/common/http';
 * import { inject, type ApplicationConfig } from '@angular/core';
 * import { firstValueFrom } from 'rxjs';
 * import { provideTranscription } from './transcription.config';
 *
 * export const appConfig: ApplicationConfig = {
 *   providers: [
 *     provideTranscription(() => {
 *       const http = inject(HttpClient);
 *       return {
 *         options: { model: 'nova-3', interim_results: true, smart_format: true },
 *         // The browser never sees the API key: a backend grants a short-lived token per connection.
 *         accessToken: () =>
 *           firstValueFrom(http.post<{ access_token: string }>('/api/deepgram-token', {})).then((r) => r.access_token),
 *       };
 *     }),
 *   ],
 * };
 * ```
 */
export function provideTranscription(config: TranscriptionConfig | (() => TranscriptionConfig)): Provider {
  return typeof config === 'function'
    ? { provide: TRANSCRIPTION_CONFIG, useFactory: config }
    : { provide: TRANSCRIPTION_CONFIG, useValue: config };
}
