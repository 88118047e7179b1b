import { filter, type OperatorFunction } from 'rxjs';
import { isLiveEventType, liveEventTypeNames, type LiveEvent } from './liveEvent';

/**
 * Keeps the {@link LiveEvent}s of the given types and narrows their TypeScript type.
 *
 * ```text
 * ofType('Results', 'Usage')
 * events:  o--r--k--r--m--u|      o Open, r Results, k KeepAlive, m Metadata, u Usage
 * output:  ---r-----r-----u|
 * ```
 *
 * Completes and errors with the source; keeps no state.
 *
 * @param types - one or more event types (`'Results'`, `'Metadata'`, `'Open'`, `'Usage'`, …)
 * @throws TypeError when no type, or something that is not a string, is given
 * @throws RangeError when a name is not an event type (a misspelling would filter out every event)
 * @example
 * ```ts
 * import { ofType, transcribe } from 'deepgram-rx';
 *
 * audio$
 *   .pipe(transcribe({ apiKey, options: { model: 'nova-3', encoding: 'linear16', sample_rate: 16000 } }), ofType('Results'))
 *   .subscribe((results) => console.log(results.channel.alternatives[0]?.transcript)); // results: Results
 * ```
 */
export function ofType<T extends LiveEvent['type']>(
  ...types: T[]
): OperatorFunction<LiveEvent, Extract<LiveEvent, { type: T }>> {
  if (types.length === 0) throw new TypeError('ofType: name at least one event type');
  for (const type of types) {
    if (typeof type !== 'string') {
      throw new TypeError(`ofType: event types are strings such as 'Results', got ${String(type)}`);
    }
    // A misspelt type would filter out every event, and the stream would go quiet without a word.
    if (!isLiveEventType(type)) {
      throw new RangeError(`ofType: ${JSON.stringify(type)} is not an event type (${liveEventTypeNames()})`);
    }
  }
  const only = types.length === 1 ? types[0] : undefined;
  const wanted: ReadonlySet<string> = new Set(types);
  return filter((event: LiveEvent): event is Extract<LiveEvent, { type: T }> =>
    only !== undefined ? event.type === only : wanted.has(event.type),
  );
}
