/**
 * An Angular service around deepgram-rx's `transcribe()`: start and stop a live transcription, and
 * read its events, results, transcript, state and error as observables and as signals.
 */
import { DestroyRef, Injectable, inject, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import {
  BehaviorSubject,
  Subject,
  Subscription,
  distinctUntilChanged,
  map,
  takeUntil,
  tap,
  type Observable,
} from 'rxjs';
import { ofType, transcribe, type LiveEvent, type LiveOptions, type Results } from 'deepgram-rx';
import { TRANSCRIPTION_CONFIG } from './transcription.config';
import { EMPTY_TRANSCRIPT, addResults, transcriptText, type Transcript } from './transcript';

/**
 * Where the service is:
 * - `idle`: no session has started yet;
 * - `connecting`: `start()` was called, or a lost connection is being retried (`Reconnecting`;
 *   reconnection is on by default), the socket is not open yet;
 * - `streaming`: the socket is open, audio flows;
 * - `stopping`: the audio ended (it completed, or `stop()` was called): `CloseStream` went out,
 *   the last results and the `Metadata` are on their way;
 * - `stopped`: the session ended normally, or was cancelled (`cancel()`, a new `start()`, or the
 *   injector was destroyed);
 * - `failed`: the session errored; `error` says why.
 */
export type TranscriptionState = 'idle' | 'connecting' | 'streaming' | 'stopping' | 'stopped' | 'failed';

/** The running session: what `stop()`, `finalize()` and `cancel()` act on. */
interface RunningSession {
  readonly subscription: Subscription;
  readonly stop$: Subject<void>;
  readonly finalize$: Subject<number | undefined>;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Live transcription for an Angular application: one session at a time, over `transcribe()` from
 * deepgram-rx, configured by {@link provideTranscription}.
 *
 * - `start(audio$, options?)` subscribes: it connects, streams the audio, and publishes every event.
 *   A session already running is cancelled first. Invalid options throw here (`LiveOptionsError`).
 * - `stop()` ends the audio gracefully: `CloseStream`, the last results, the `Metadata`, a final
 *   `Usage`, then state `stopped`. `cancel()` closes the socket at once.
 * - Observables (`events$`, `results$`, `transcript$`, `state$`, `error$`) are hot and shared by
 *   every session; `transcript$`, `state$` and `error$` replay their current value. Signals
 *   (`state`, `results`, `transcript`, `error`) hold the same values, for templates and `computed`.
 * - Cleanup: when the injector that created the service is destroyed (the application, or a test's
 *   injector), the running session is cancelled (its socket closed, its audio unsubscribed), the
 *   state becomes `stopped`, and every observable completes.
 *
 * @example
 * ```ts
 * import { Component, inject } from '@angular/core';
 * import { TranscriptionService } from './transcription.service';
 *
 * @Component({
 *   selector: 'app-live-caption',
 *   template: `<p>{{ transcription.transcript() }}</p> <small>{{ transcription.state() }}</small>`,
 * })
 * export class LiveCaptionComponent {
 *   readonly transcription = inject(TranscriptionService);
 * }
 * ```
 */
@Injectable({ providedIn: 'root' })
export class TranscriptionService {
  private readonly config = inject(TRANSCRIPTION_CONFIG);
  private readonly eventSubject = new Subject<LiveEvent>();
  private readonly stateSubject = new BehaviorSubject<TranscriptionState>('idle');
  private readonly errorSubject = new BehaviorSubject<Error | undefined>(undefined);
  private readonly transcriptSubject = new BehaviorSubject<Transcript>(EMPTY_TRANSCRIPT);
  private session: RunningSession | undefined;
  private destroyed = false;

  /** Every event of every session (`Open`, `Results`, `Metadata`, `KeepAlive`, `Usage`, …), as it comes. */
  readonly events$: Observable<LiveEvent> = this.eventSubject.asObservable();
  /** The `Results` messages, interim and final. */
  readonly results$: Observable<Results> = this.events$.pipe(ofType('Results'));
  /** The current session's transcript (finals, then the current interim); '' at each `start()`. Replays. */
  readonly transcript$: Observable<string> = this.transcriptSubject.pipe(
    map(transcriptText),
    distinctUntilChanged(),
  );
  /** The {@link TranscriptionState}. Replays. */
  readonly state$: Observable<TranscriptionState> = this.stateSubject.asObservable();
  /** Why the last session failed (a `LiveError` for connection and server errors); undefined otherwise. Replays. */
  readonly error$: Observable<Error | undefined> = this.errorSubject.asObservable();

  /** {@link state$} as a signal. */
  readonly state: Signal<TranscriptionState>;
  /** The latest `Results` (interim or final), or undefined before the first. */
  readonly results: Signal<Results | undefined>;
  /** {@link transcript$} as a signal. */
  readonly transcript: Signal<string>;
  /** {@link error$} as a signal. */
  readonly error: Signal<Error | undefined>;

  constructor() {
    // DestroyRef runs its callbacks in the order they were registered. This one comes before the
    // ones toSignal() registers below, so the signals still receive the final `stopped`.
    inject(DestroyRef).onDestroy(() => this.destroy());
    this.state = toSignal(this.state$, { requireSync: true });
    this.results = toSignal(this.results$);
    this.transcript = toSignal(this.transcript$, { requireSync: true });
    this.error = toSignal(this.error$, { requireSync: true });
  }

  /**
   * Starts a session: connects with the provided configuration, `options` merged over its
   * `options` (e.g. the audio format of this source), and streams `audio$` (raw audio chunks in
   * that format). A running session is cancelled first. The transcript and the error are reset.
   *
   * @param audio$ - the audio, e.g. from a microphone; its completion ends the session gracefully
   * @param options - query parameters for this session only
   * @throws LiveOptionsError, RangeError or TypeError for an invalid configuration (nothing starts)
   * @throws Error when the service's injector was destroyed
   */
  start(audio$: Observable<Uint8Array>, options?: LiveOptions): void {
    if (this.destroyed) throw new Error('TranscriptionService: start() after its injector was destroyed');
    const stop$ = new Subject<void>();
    const finalize$ = new Subject<number | undefined>();
    const events = transcribe({
      ...this.config,
      options: { ...this.config.options, ...options },
      finalize$,
    });
    this.cancel();
    this.transcriptSubject.next(EMPTY_TRANSCRIPT);
    this.errorSubject.next(undefined);
    this.setState('connecting');
    // The session is current before its audio is subscribed: what runs during subscribe (a
    // synchronous end, a subscriber that starts again) already finds it.
    const session: RunningSession = { subscription: new Subscription(), stop$, finalize$ };
    this.session = session;
    session.subscription.add(
      audio$
        .pipe(
          takeUntil(stop$),
          tap({
            complete: () => {
              if (this.session === session) this.setState('stopping');
            },
          }),
          events,
        )
        .subscribe({
          next: (event) => this.onEvent(event),
          error: (error: unknown) => this.end(session, 'failed', asError(error)),
          complete: () => this.end(session, 'stopped'),
        }),
    );
  }

  /**
   * Ends the audio of the running session: the server transcribes what it has, then the session
   * completes (state `stopping`, then `stopped`). Does nothing without a running session.
   */
  stop(): void {
    this.session?.stop$.next();
  }

  /**
   * Asks the server to finalize the audio sent so far (a `Finalize` message, sent after that audio):
   * the pending words come back as a final result. Does nothing without a running session.
   *
   * @param channel - a 0-based channel to finalize; all channels when omitted
   */
  finalize(channel?: number): void {
    this.session?.finalize$.next(channel);
  }

  /** Cancels the running session at once: closes its socket, unsubscribes its audio; state `stopped`. */
  cancel(): void {
    const session = this.session;
    if (session === undefined) return;
    this.session = undefined;
    session.subscription.unsubscribe();
    this.setState('stopped');
  }

  private onEvent(event: LiveEvent): void {
    if (event.type === 'Results')
      this.transcriptSubject.next(addResults(this.transcriptSubject.value, event));
    if (event.type === 'Open' && this.stateSubject.value === 'connecting') this.setState('streaming');
    if (event.type === 'Reconnecting' && this.stateSubject.value === 'streaming') this.setState('connecting');
    this.eventSubject.next(event);
  }

  /** `session` ended by itself; nothing to do if it was cancelled or replaced meanwhile. */
  private end(session: RunningSession, state: 'stopped' | 'failed', error?: Error): void {
    if (this.session !== session) return;
    this.session = undefined;
    if (error !== undefined) this.errorSubject.next(error);
    // An error$ subscriber may have started a new session: its state stands.
    if (this.session === undefined) this.setState(state);
  }

  private setState(state: TranscriptionState): void {
    if (this.stateSubject.value !== state) this.stateSubject.next(state);
  }

  private destroy(): void {
    this.cancel();
    this.destroyed = true;
    this.eventSubject.complete();
    this.stateSubject.complete();
    this.errorSubject.complete();
    this.transcriptSubject.complete();
  }
}
