/**
 * A small standalone component using {@link TranscriptionService} through its signals, with the
 * browser's microphone as the audio. Angular's compiler compiles it and type-checks its template
 * (`ngc` with `strictTemplates`, `examples/angular/tsconfig.ngc.json`, part of `npm run typecheck`),
 * and `test/e2e/angular.browser.test.ts` renders it in headless Chromium (page: `main.ts`).
 */
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { fromMicrophone } from 'deepgram-rx';
import { TranscriptionService } from './transcription.service';

/**
 * Start/Stop buttons, the live transcript, the state and the error of the root
 * {@link TranscriptionService}. Start opens the microphone (16 kHz linear16) and transcribes it;
 * Stop ends the audio, so the last words still come back before the session ends. Destroying the
 * component (leaving its route) stops too: the service is the root's and outlives it, but the
 * microphone the component opened must not.
 *
 * @example
 * ```html
 * <app-live-caption />
 * ```
 */
@Component({
  selector: 'app-live-caption',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button type="button" (click)="start()" [disabled]="busy()">Start</button>
    <button type="button" (click)="transcription.stop()" [disabled]="!busy()">Stop</button>
    <p>{{ transcription.transcript() }}</p>
    <small>{{ transcription.state() }}</small>
    @if (startError() ?? transcription.error(); as error) {
      <p role="alert">{{ error.message }}</p>
    }
  `,
})
export class LiveCaptionComponent {
  protected readonly transcription = inject(TranscriptionService);
  /** What the last Start threw (an invalid configuration: nothing started), until the next Start. */
  protected readonly startError = signal<Error | undefined>(undefined);
  /** True while a session runs (Start disabled, Stop enabled). */
  protected readonly busy = computed(() => {
    const state = this.transcription.state();
    return state === 'connecting' || state === 'streaming' || state === 'stopping';
  });

  constructor() {
    // The capture this component started ends with it: the microphone is released at once, and
    // the last words still come back to the service.
    inject(DestroyRef).onDestroy(() => this.transcription.stop());
  }

  /**
   * Transcribes the microphone. Runs in the click handler: `start()` subscribes at once, and the
   * browser lets an AudioContext made during a user gesture run. A refused permission ends the
   * session `failed`, with the `MicrophoneError` in `error`. An invalid configuration (say an empty
   * key) makes `start()` throw before anything starts: it is shown the same way.
   */
  protected start(): void {
    this.startError.set(undefined);
    try {
      const microphone = fromMicrophone({ sampleRate: 16000 });
      this.transcription.start(microphone.audio$, microphone.format);
    } catch (error) {
      this.startError.set(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
