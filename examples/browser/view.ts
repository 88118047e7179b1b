/**
 * The page's DOM: reads the form, shows the session. Text only (`textContent`), never HTML, so
 * nothing the server sends can inject markup.
 */
import type { LiveEvent } from 'deepgram-rx';

/** Connection states shown on the page (also in `#state[data-state]`, which the e2e test reads). */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'closing' | 'closed' | 'error';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

/** Every element the example touches. */
export class View {
  readonly form = element<HTMLFormElement>('settings');
  readonly url = element<HTMLInputElement>('url');
  readonly scheme = element<HTMLSelectElement>('scheme');
  readonly secret = element<HTMLInputElement>('secret');
  readonly start = element<HTMLButtonElement>('start');
  readonly stop = element<HTMLButtonElement>('stop');
  private readonly state = element('state');
  private readonly microphone = element('microphone');
  private readonly keepAlives = element('keepalives');
  private readonly sentSeconds = element('sent');
  private readonly gatedSeconds = element('gated');
  private readonly cost = element('cost');
  private readonly finals = element('finals');
  private readonly interim = element('interim');
  private readonly error = element('error');
  private keepAliveCount = 0;

  constructor(private readonly pricePerMinute: number) {}

  /** A new session starts: clear the previous one. */
  reset(): void {
    this.keepAliveCount = 0;
    this.keepAlives.textContent = '0';
    this.finals.replaceChildren();
    this.interim.textContent = '';
    this.error.textContent = '';
    this.showSent(0);
    this.showGated(0);
    this.microphone.textContent = 'asking for permission…';
    this.setState('connecting');
  }

  setState(state: ConnectionState): void {
    this.state.dataset['state'] = state;
    this.state.textContent = state;
    const running = state === 'connecting' || state === 'open';
    this.start.disabled = running || state === 'closing';
    this.stop.disabled = !running;
  }

  microphoneLive(): void {
    this.microphone.textContent = 'live';
  }

  microphoneOff(): void {
    this.microphone.textContent = 'off';
  }

  showSent(seconds: number): void {
    this.sentSeconds.textContent = `${seconds.toFixed(1)} s`;
    this.cost.textContent = `$${((seconds / 60) * this.pricePerMinute).toFixed(5)}`;
  }

  showGated(seconds: number): void {
    this.gatedSeconds.textContent = `${seconds.toFixed(1)} s`;
  }

  /** One event of `transcribe()`. */
  event(event: LiveEvent): void {
    switch (event.type) {
      case 'Open':
        // After Stop the page stays `closing` until the session completes, whatever opens meanwhile.
        if (this.state.dataset['state'] !== 'closing') this.setState('open');
        break;
      case 'Reconnecting':
        // The connection was lost; transcribe() retries it (on by default) and replays the audio.
        if (this.state.dataset['state'] !== 'closing') this.setState('connecting');
        break;
      case 'KeepAlive':
        this.keepAlives.textContent = String(++this.keepAliveCount);
        break;
      case 'Results': {
        const transcript = event.channel.alternatives[0]?.transcript ?? '';
        if (event.is_final) {
          this.interim.textContent = '';
          if (transcript !== '') {
            const line = document.createElement('p');
            line.textContent = transcript;
            this.finals.append(line);
          }
        } else {
          this.interim.textContent = transcript;
        }
        break;
      }
      case 'Usage':
        // The session's own account of what was sent, once it has ended.
        this.keepAlives.textContent = String(event.keepAlives);
        this.showSent(event.audioSeconds);
        break;
      default:
        break;
    }
  }

  fail(error: unknown): void {
    this.setState('error');
    this.microphoneOff();
    const name = error instanceof Error ? error.name : 'Error';
    const kind =
      typeof error === 'object' && error !== null && 'kind' in error ? ` (${String(error.kind)})` : '';
    this.error.textContent = `${name}${kind}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
