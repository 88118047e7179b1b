/**
 * `instanceof` on deepgram-rx's error classes across two copies of the package in one process
 * (as the ESM and the CommonJS build are): a second copy of each module is loaded in isolation.
 */
import { MicrophoneError } from '../../src/audio/microphoneError';
import { WavFileError } from '../../src/audio/wavFileError';
import { brandErrorClass } from '../../src/protocol/errorBrand';
import { LiveOptionsError } from '../../src/protocol/liveOptions';
import { AudioBufferOverflowError } from '../../src/session/audioBufferOverflowError';
import { CredentialSupplierError } from '../../src/session/credentials';
import { isRetryable, LiveError } from '../../src/socket/liveError';

type Copy = {
  LiveError: typeof LiveError;
  isRetryable: typeof isRetryable;
  LiveOptionsError: typeof LiveOptionsError;
  WavFileError: typeof WavFileError;
  MicrophoneError: typeof MicrophoneError;
  CredentialSupplierError: typeof CredentialSupplierError;
  AudioBufferOverflowError: typeof AudioBufferOverflowError;
};

/** The same modules loaded once more, with their own class objects. */
function secondCopy(): Copy {
  let copy: Copy | undefined;
  jest.isolateModules(() => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    copy = {
      ...(require('../../src/socket/liveError') as Pick<Copy, 'LiveError' | 'isRetryable'>),
      ...(require('../../src/protocol/liveOptions') as Pick<Copy, 'LiveOptionsError'>),
      ...(require('../../src/audio/wavFileError') as Pick<Copy, 'WavFileError'>),
      ...(require('../../src/audio/microphoneError') as Pick<Copy, 'MicrophoneError'>),
      ...(require('../../src/session/credentials') as Pick<Copy, 'CredentialSupplierError'>),
      ...(require('../../src/session/audioBufferOverflowError') as Pick<Copy, 'AudioBufferOverflowError'>),
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  });
  if (copy === undefined) throw new Error('no second copy');
  return copy;
}

const other = secondCopy();

it('loads a second copy with class objects of its own', () => {
  expect(other.LiveError).not.toBe(LiveError);
  expect(Object.getPrototypeOf(new other.LiveError({ kind: 'auth', message: 'x' }))).not.toBe(
    LiveError.prototype,
  );
});

/** This copy's classes, as the same record as the other copy's. */
const here: Copy = {
  LiveError,
  isRetryable,
  LiveOptionsError,
  WavFileError,
  MicrophoneError,
  CredentialSupplierError,
  AudioBufferOverflowError,
};

type ErrorName = Exclude<keyof Copy, 'isRetryable'>;

const makers: ReadonlyArray<readonly [ErrorName, (c: Copy) => Error]> = [
  ['LiveError', (c) => new c.LiveError({ kind: 'network', message: 'lost' })],
  ['LiveOptionsError', (c) => new c.LiveOptionsError('model', 'bad')],
  ['WavFileError', (c) => new c.WavFileError('not-found', 'a.wav', 'missing')],
  ['MicrophoneError', (c) => new c.MicrophoneError('permission-denied', 'no')],
  ['CredentialSupplierError', (c) => new c.CredentialSupplierError('apiKey', new Error('x'))],
  ['AudioBufferOverflowError', (c) => new c.AudioBufferOverflowError(10, 5, 'open')],
];

it.each(makers)('an instance of the other copy’s %s is instanceof this copy’s, and back', (name, make) => {
  expect(make(other) instanceof here[name]).toBe(true);
  expect(make(here) instanceof other[name]).toBe(true);
  expect(make(other) instanceof Error).toBe(true);
});

it('keeps the classes apart: an error of one class is not an instance of another', () => {
  expect(new other.LiveOptionsError('model', 'bad') instanceof LiveError).toBe(false);
  expect(new other.LiveError({ kind: 'auth', message: 'x' }) instanceof WavFileError).toBe(false);
  expect(new Error('plain') instanceof LiveError).toBe(false);
  expect({ kind: 'auth', message: 'x' } instanceof LiveError).toBe(false);
});

it('lets the library’s own checks accept the other copy’s errors', () => {
  expect(isRetryable(new other.LiveError({ kind: 'network', message: 'lost' }))).toBe(true);
  expect(other.isRetryable(new LiveError({ kind: 'timeout', message: 'slow' }))).toBe(true);
});

it('leaves a subclass of a branded class the ordinary instanceof', () => {
  class Base extends Error {}
  brandErrorClass(Base, 'test.Base');
  class Sub extends Base {}
  expect(new Sub('x') instanceof Base).toBe(true);
  expect(new Sub('x') instanceof Sub).toBe(true);
  expect(new Base('x') instanceof Sub).toBe(false);
});
