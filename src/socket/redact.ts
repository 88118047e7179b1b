/**
 * Keeping secrets out of messages: URLs with credentials in them and texts that might echo a key.
 */

/**
 * Whether a query parameter's value is treated as a secret: its name (case-insensitive) contains
 * `token`, `key`, `auth`, `secret`, `password`, `credential` or `signature`, or is `sig`, except
 * Deepgram's own `keyterm`, `keyterms` and `keywords` options.
 */
function isSecretParam(name: string): boolean {
  const lower = name.toLowerCase();
  if (NOT_SECRET.has(lower)) return false;
  return lower === 'sig' || SECRET_NAME.test(lower);
}

const SECRET_NAME = /token|key|auth|secret|password|credential|signature/;
const NOT_SECRET = new Set(['keyterm', 'keyterms', 'keywords']);

const MASK = '***';

/**
 * Returns `url` with the values of secret-looking query parameters (`token`, `key`, `api_key`,
 * `access_token`, `auth_token`, `x-api-key`, `sig`, …; not Deepgram's `keyterm` and `keywords`) and
 * any `user:password@` part replaced by `***`, fit for messages and logs.
 * A text that does not parse as a URL is returned with the same parameters masked by pattern.
 *
 * @example
 * ```ts
 * import { redactUrl } from 'deepgram-rx';
 * redactUrl('wss://api.deepgram.com/v1/listen?model=nova-3&token=abc'); // '…?model=nova-3&token=***'
 * ```
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = MASK;
    parsed.password = '';
  }
  const params = parsed.search === '' ? [] : parsed.search.slice(1).split('&');
  const masked = params.map((pair) => {
    const eq = pair.indexOf('=');
    const name = decodeName(eq === -1 ? pair : pair.slice(0, eq));
    return isSecretParam(name) && eq !== -1 ? `${pair.slice(0, eq)}=${MASK}` : pair;
  });
  parsed.search = masked.length === 0 ? '' : `?${masked.join('&')}`;
  return parsed.toString().replace(/%2A%2A%2A/g, MASK);
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * The endpoint of a URL without its query or credentials (`wss://api.deepgram.com/v1/listen`),
 * for messages. Falls back to {@link redactUrl} when the text is not a URL.
 */
export function endpointOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return redactUrl(url);
  }
}

/**
 * Masks secrets inside free text (an error message that may quote a URL): the values of
 * secret-looking query parameters and the `user:password@` part of URLs.
 */
export function redactText(text: string): string {
  return text
    .replace(/([?&;])([\w.-]+)=[^&#\s"']*/g, (pair: string, separator: string, name: string) =>
      isSecretParam(name) ? `${separator}${name}=${MASK}` : pair,
    )
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@"']*@/gi, `$1${MASK}@`);
}

/** Secrets shorter than this are not searched for in texts (they would mangle ordinary words). */
const MIN_SCRUBBED_LENGTH = 6;

/**
 * Replaces every occurrence of each secret in `text` by `***`, and of each run of printable
 * characters in it (a message may quote a secret with its control characters escaped); secrets and
 * runs of at least 6 characters (real API keys and JWTs are far longer).
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  // A message may quote a secret with its control characters escaped (`key\u000A`): its printable
  // runs are secrets too.
  const pieces = secrets
    .flatMap((secret) => [secret, ...secret.split(/[^\x21-\x7e]+/)])
    .filter((piece) => piece.length >= MIN_SCRUBBED_LENGTH)
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const piece of pieces) out = out.split(piece).join(MASK);
  return out;
}
