/**
 * The typed error of `fromMicrophone`, and the mapping from the browser's `DOMException`s to it.
 */
import { brandErrorClass } from '../protocol/errorBrand';

/** Why the microphone cannot be streamed. */
export type MicrophoneErrorKind =
  /** The user or a permissions policy refused microphone access (`NotAllowedError`, `SecurityError`). */
  | 'permission-denied'
  /** No audio input device, or none matching the constraints (`NotFoundError`, `OverconstrainedError`). */
  | 'no-device'
  /** A device exists but could not be opened: in use elsewhere or an OS failure (`NotReadableError`, `AbortError`). */
  | 'device-busy'
  /**
   * No `getUserMedia`, `AudioContext` or `AudioWorklet` here: an old browser, a non-browser runtime,
   * or a page that is not a secure context (only `https:` and `http://localhost` get `mediaDevices`).
   */
  | 'unsupported'
  /** Web Audio failed: the AudioContext could not be made, or the worklet module did not load (e.g. a CSP without `blob:`). */
  | 'audio-setup'
  /** The microphone stopped while streaming: unplugged, or permission revoked (the track ended). */
  | 'ended';

/**
 * The error `fromMicrophone`'s stream fails with. `kind` says what the user can do about it;
 * `cause` keeps the browser's own error (a `DOMException`, usually).
 *
 * @example
 * ```ts
 * import { fromMicrophone, MicrophoneError } from 'deepgram-rx';
 * fromMicrophone().audio$.subscribe({
 *   error: (error) => {
 *     if (error instanceof MicrophoneError && error.kind === 'permission-denied') {
 *       showHint('Allow the microphone in the address bar, then try again.');
 *     }
 *   },
 * });
 * ```
 */
export class MicrophoneError extends Error {
  override readonly name = 'MicrophoneError';

  constructor(
    /** Why the microphone cannot be streamed. */
    readonly kind: MicrophoneErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
brandErrorClass(MicrophoneError, 'MicrophoneError');

const KIND_BY_NAME: Readonly<Record<string, MicrophoneErrorKind>> = {
  NotAllowedError: 'permission-denied',
  PermissionDeniedError: 'permission-denied', // Chrome before 64
  SecurityError: 'permission-denied',
  NotFoundError: 'no-device',
  DevicesNotFoundError: 'no-device', // Chrome before 64
  OverconstrainedError: 'no-device',
  NotReadableError: 'device-busy',
  TrackStartError: 'device-busy', // Chrome before 64
  AbortError: 'device-busy',
  NotSupportedError: 'unsupported',
  TypeError: 'unsupported',
};

const ADVICE: Readonly<Record<MicrophoneErrorKind, string>> = {
  'permission-denied': 'microphone access was denied; allow it in the browser (site settings) and try again',
  'no-device': 'no microphone found (or none matches the constraints); connect one and try again',
  'device-busy': 'the microphone could not be opened; it may be in use by another application',
  unsupported:
    'this environment cannot capture audio (getUserMedia needs a browser and a secure context: https or localhost)',
  'audio-setup': 'Web Audio could not be set up to read the microphone',
  ended: 'the microphone stopped (unplugged, or permission revoked)',
};

function errorName(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'name' in error) {
    const name = error.name;
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}

function detail(error: unknown): string {
  const name = errorName(error);
  const message =
    typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  const constraint =
    typeof error === 'object' && error !== null && 'constraint' in error ? String(error.constraint) : '';
  return [name, message, constraint && `constraint: ${constraint}`].filter((s) => s).join(': ');
}

/** A `MicrophoneError` of the given kind with the standard advice and the cause's details. */
export function microphoneError(kind: MicrophoneErrorKind, cause?: unknown): MicrophoneError {
  const suffix = cause === undefined ? '' : ` (${detail(cause)})`;
  return new MicrophoneError(kind, `fromMicrophone: ${ADVICE[kind]}${suffix}`, { cause });
}

/**
 * Maps what `getUserMedia` rejected with to a `MicrophoneError` (by the `DOMException` name);
 * anything unknown becomes `fallback`. A `MicrophoneError` is returned unchanged.
 */
export function toMicrophoneError(error: unknown, fallback: MicrophoneErrorKind): MicrophoneError {
  if (error instanceof MicrophoneError) return error;
  const name = errorName(error);
  return microphoneError((name !== undefined ? KIND_BY_NAME[name] : undefined) ?? fallback, error);
}
