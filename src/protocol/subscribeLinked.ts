/**
 * How every hand-written operator of the library subscribes its source: through a subscriber that
 * the operator's own subscriber closes, linked before the source emits anything. Shared by every
 * layer (like `schedulerOption`).
 *
 * Why: `source.subscribe(observer)` returns the inner subscription only after the source's
 * subscribe function has run. A synchronous source (`from(chunks)`, a loop until `closed`) emits
 * everything inside that call, so a consumer that unsubscribes in the middle (`first()`, `take(1)`,
 * an error downstream) could not stop it: the source would see an open subscriber to the end, or
 * forever. rxjs's own operators avoid this by linking their subscriber at construction.
 */
import { Observable, type Observer, type Subscriber } from 'rxjs';

/**
 * Subscribes `observer` to `source` through a subscriber that `owner` unsubscribes when it is
 * unsubscribed (or ends), linked before `source` is subscribed. The observer sees what it would
 * with `source.subscribe(observer)`.
 *
 * @param source - what to subscribe
 * @param owner - the operator's subscriber: when it closes, `source` is unsubscribed at once, even
 *   in the middle of a synchronous emission
 * @param observer - who gets the values, the error and the completion
 */
export function subscribeLinked<T>(
  source: Observable<T>,
  owner: Subscriber<unknown>,
  observer: Partial<Observer<T>>,
): void {
  // The subscription returned is `inner`, already owned: adding it again does nothing.
  owner.add(
    new Observable<T>((inner) => {
      owner.add(inner);
      return source.subscribe(inner);
    }).subscribe(observer),
  );
}
