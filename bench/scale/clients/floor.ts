/** The harness alone: the same timers and chunks, no sockets. Subtract it to see a client's own cost. */
import type { ClientFactory } from './types';

let touched = 0;

export const floorClient: ClientFactory = () => (callbacks) => {
  setImmediate(() => callbacks.opened());
  return {
    send: (chunk) => {
      touched ^= chunk[0] ?? 0;
    },
    end: () => {
      setImmediate(() => callbacks.closed(touched === -1 ? 0 : 1000));
    },
  };
};
