/** The small interface every client of the scale bench implements (one call per session). */

export interface SessionCallbacks {
  /** The socket is open. */
  opened(): void;
  /** A server message arrived (decoded by the client as it normally would). */
  message(isResults: boolean): void;
  /** The client sent a KeepAlive. */
  keepAlive(): void;
  /** The session ended: the close code, or 'error' for a failure without one. Called once. */
  closed(code: number | string): void;
  error(message: string): void;
}

export interface SessionHandle {
  /** The next audio chunk, in real time. */
  send(chunk: Uint8Array): void;
  /** The audio is over: close the stream (CloseStream) and wait for the server to close. */
  end(): void;
}

export type StartSession = (callbacks: SessionCallbacks) => SessionHandle;

/** A client: given the emulator's URL (`ws://127.0.0.1:PORT/v1/listen`), starts sessions. */
export type ClientFactory = (url: string, keepAliveMs: number) => StartSession;
