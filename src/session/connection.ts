/**
 * One connection attempt of a session, as a unit: get the credentials (the supplier is called
 * again for every attempt), then open one `liveSocket` whose frames come from the session's outbox.
 * The session repeats this unit for every reconnection.
 */
import { Observable } from 'rxjs';
import type { Frame } from '../protocol/frames';
import { liveSocket, type OpenSocket, type SocketEvent } from '../socket/liveSocket';
import type { LiveCredentials } from '../socket/webSocketLike';
import type { SessionSettings } from './transcribeConfig';

/**
 * A cold Observable of one connection's socket events. Subscribing calls the credential
 * supplier (sync or async), then connects; `frames` is called once the socket is open.
 * A supplier that throws or rejects errors the Observable with what it threw.
 * (One subscriber handed on to `liveSocket` rather than `defer` + `switchMap`: a session holds
 * its connection for its whole life, and this is ~1 KB smaller.)
 */
export function connection(
  settings: Pick<SessionSettings, 'url' | 'credentials' | 'webSocket'>,
  frames: (socket: OpenSocket) => Observable<Frame>,
): Observable<SocketEvent> {
  const { url, webSocket } = settings;
  return new Observable<SocketEvent>((subscriber) => {
    const open = (credentials: LiveCredentials | undefined): void => {
      if (subscriber.closed) return;
      try {
        liveSocket({
          url,
          frames,
          ...(credentials === undefined ? {} : { credentials }),
          ...(webSocket === undefined ? {} : { webSocket }),
        }).subscribe(subscriber);
      } catch (error) {
        subscriber.error(error);
      }
    };
    const supplied = settings.credentials?.();
    if (supplied instanceof Promise) supplied.then(open, (error: unknown) => subscriber.error(error));
    else open(supplied);
  });
}
