/**
 * The human-readable line, if any, for session events other than results: connections, reconnects,
 * gaps, server errors, undecodable messages. Pure.
 */
import { seconds } from './format';
import type { LiveEvent } from '../session/transcribe';

/**
 * The line to print for an event, or `undefined` for events shown elsewhere (results, KeepAlives,
 * the summary's Metadata and Usage) or not at all (SpeechStarted, UtteranceEnd, unknown messages).
 * A `Usage` gets a warning line when the close timed out. A reconnect names its `retry N`
 * (`Reconnecting.attempt`: retries in a row) and the `connection N` it opened (`Open.attempt`:
 * connections so far), two different counts.
 */
export function describeEvent(event: LiveEvent): string | undefined {
  switch (event.type) {
    case 'Open': {
      const id = event.requestId === undefined ? '' : `, request id ${event.requestId}`;
      return event.attempt > 1 ? `  ↻ reconnected (connection ${event.attempt}${id})` : `  · connected${id}`;
    }
    case 'Reconnecting':
      return `  ↻ connection lost: ${event.error.message}; reconnecting in ${event.delayMs} ms (retry ${event.attempt})`;
    case 'Gap':
      return `  ! ${event.from.toFixed(1)}–${seconds(event.to)} of audio not transcribed: ${event.reason}`;
    case 'Error': {
      const what = [event.variant, event.code].filter((part) => part !== undefined).join(' ');
      const text = event.description ?? event.message ?? '';
      return `  ! server error${what === '' ? '' : ` (${what})`}${text === '' ? '' : `: ${text}`}`;
    }
    case 'Usage':
      return event.closeTimedOut
        ? '  ! the server did not close in time after CloseStream: the last results may be missing'
        : undefined;
    case 'DecodeFailure':
      return `  ! undecodable server message: ${event.failure.errors[0] ?? 'unknown reason'}`;
    default:
      return undefined;
  }
}
