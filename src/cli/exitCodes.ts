/**
 * The CLI's exit codes: one per thing the user can act on differently.
 */

/** Exit codes of `deepgram-rx` (documented in docs/cli.md). */
export const EXIT = Object.freeze({
  /** The run finished: the whole file was transcribed, every final transcript and the summary were printed. */
  ok: 0,
  /** Any other failure (a server error, a refused request other than auth, part of the file not transcribed, a bug). */
  failure: 1,
  /** Bad command line, or FILE is missing, unreadable, not a WAV or in an unsupported format. */
  usage: 2,
  /** The server refused the credentials (HTTP 401/403). */
  auth: 3,
  /** The server could not be reached, or the connection was lost (or a port to listen on is taken). */
  network: 4,
  /** A timeout: the server closed for inactivity (NET-0001, NET-0000) or did not finish in time. */
  timeout: 5,
  /** Stopped by SIGINT (Ctrl-C) or SIGTERM before the end of the file. */
  interrupted: 130,
});

/** One of the values of {@link EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
