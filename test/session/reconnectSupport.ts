/** Helpers of the reconnect tests: event summaries that marbles can compare. */
import { map, type Observable } from 'rxjs';
import type { LiveEvent } from '../../src/session/liveEvent';
import type { FakeConnection } from '../../src/testing/fakeConnection';
import { summarised, type ErrorSummary } from './transcribeSupport';

/** The parts of an event the reconnect tests check. */
export function brief(event: LiveEvent): unknown {
  switch (event.type) {
    case 'Reconnecting':
      return {
        type: 'Reconnecting',
        attempt: event.attempt,
        delayMs: event.delayMs,
        kind: event.error.kind,
        ...(event.error.code === undefined ? {} : { code: event.error.code }),
      };
    case 'Open':
      return { type: 'Open', attempt: event.attempt };
    case 'Results':
      return {
        type: 'Results',
        final: event.is_final,
        start: event.start,
        duration: event.duration,
        words: (event.channel.alternatives[0]?.words ?? []).map((w) => [w.word, w.start, w.end]),
      };
    case 'Usage':
      return { type: 'Usage', connections: event.connections, audioBytes: event.audioBytes };
    default:
      return event;
  }
}

/** Events as {@link brief} summaries, the error as a last value. */
export function briefed(events$: Observable<LiveEvent>): Observable<unknown> {
  return summarised(events$).pipe(
    map((value: LiveEvent | ErrorSummary) => ('type' in value ? brief(value as LiveEvent) : value)),
  );
}

/** The binary frames a fake connection received, as the fill byte of each (chunks are uniform). */
export function fills(connection: FakeConnection | undefined): number[] {
  return (connection?.sent ?? []).flatMap((frame) =>
    typeof frame.data === 'string' ? [] : [frame.data[0] ?? -1],
  );
}

/** The send times of the binary frames a fake connection received. */
export function audioTimes(connection: FakeConnection | undefined): number[] {
  return (connection?.sent ?? []).flatMap((frame) => (frame.type === 'binary' ? [frame.time] : []));
}
