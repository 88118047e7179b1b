/**
 * The credentials of a session: `apiKey` (Token) or `accessToken` (Bearer), as a value or a
 * function called for every connection attempt. Validated without ever echoing the secret.
 */
import { unusableSecret } from '../socket/liveConnection';
import type { LiveCredentials } from '../socket/webSocketLike';
import type { SecretSource, TranscribeConfig } from './transcribeConfig';
import { brandErrorClass } from '../protocol/errorBrand';

/**
 * What a credential supplier threw or rejected with, marked so that the session can tell it from a
 * failed connection: passed on as is when the first attempt needs it, retried as a `network`
 * LiveError when a reconnection does (internal).
 */
export class CredentialSupplierError extends Error {
  constructor(
    readonly source: 'apiKey' | 'accessToken',
    readonly error: unknown,
  ) {
    super(`the ${source} function failed: ${error instanceof Error ? error.message : String(error)}`);
    this.name = 'CredentialSupplierError';
  }
}
brandErrorClass(CredentialSupplierError, 'CredentialSupplierError');

/** Never echoes the secret itself: only what kind of value it was. */
function checkSecret(name: 'apiKey' | 'accessToken', value: unknown): SecretSource | undefined {
  if (value === undefined || typeof value === 'function') return value as SecretSource | undefined;
  if (typeof value !== 'string') {
    throw new TypeError(
      `transcribe: ${name} must be a string or a function returning one, got ${typeof value}`,
    );
  }
  if (value.trim() === '') throw new TypeError(`transcribe: ${name} is an empty string`);
  const problem = unusableSecret(value);
  if (problem !== undefined) throw new TypeError(`transcribe: ${name} ${problem}`);
  return value;
}

/**
 * Checks `apiKey`/`accessToken` (call time) and returns what gives the credentials of one
 * connection attempt (calling the supplier, sync or async), or undefined without credentials.
 *
 * @throws TypeError when both are given, or a value is empty or not a string or function
 */
export function credentialsOf(
  config: Pick<TranscribeConfig, 'apiKey' | 'accessToken'>,
): (() => LiveCredentials | Promise<LiveCredentials> | undefined) | undefined {
  const apiKey = checkSecret('apiKey', config.apiKey);
  const accessToken = checkSecret('accessToken', config.accessToken);
  if (apiKey !== undefined && accessToken !== undefined) {
    throw new TypeError('transcribe: give either apiKey or accessToken, not both');
  }
  const source = apiKey ?? accessToken;
  if (source === undefined) return undefined;
  const scheme = apiKey !== undefined ? 'token' : 'bearer';
  const name = apiKey !== undefined ? 'apiKey' : 'accessToken';
  const check = (secret: unknown): LiveCredentials => {
    if (typeof secret !== 'string' || secret.trim() === '') {
      throw new TypeError(
        `transcribe: the ${name} function gave ${typeof secret === 'string' ? 'an empty string' : typeof secret}, not a key`,
      );
    }
    const problem = unusableSecret(secret);
    if (problem !== undefined) throw new TypeError(`transcribe: what the ${name} function gave ${problem}`);
    return { scheme, secret };
  };
  if (typeof source === 'string') {
    const credentials: LiveCredentials = { scheme, secret: source };
    return () => credentials;
  }
  const failed = (error: unknown): never => {
    throw new CredentialSupplierError(name, error);
  };
  return () => {
    let secret: unknown;
    try {
      secret = source();
    } catch (error) {
      return failed(error);
    }
    return isPromiseLike(secret) ? Promise.resolve(secret).then(check, failed) : check(secret);
  };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
