/**
 * Handshake authentication as Deepgram accepts it (protocol.md §1.4): an `Authorization` header
 * `Token <API_KEY>` or `Bearer <JWT>` (scheme case-insensitive), or, for browsers, the WebSocket
 * subprotocols `token, <API_KEY>` / `bearer, <JWT>`. The key is compared, never logged or stored.
 */
import { timingSafeEqual } from 'node:crypto';

/** How a client authenticated (recorded for every session, whether or not auth is enforced). */
export type AuthScheme = 'token' | 'bearer' | 'token-protocol' | 'bearer-protocol' | 'none';

/** The credentials the emulator accepts. Auth is enforced when either field is set. */
export interface AuthConfig {
  /** The API key accepted with `Token` (header or subprotocol). */
  readonly apiKey?: string;
  /**
   * Bearer tokens accepted with `Bearer` (header or subprotocol): a list, or a function that says
   * whether a token is valid. When auth is enforced and this is unset, every Bearer token is refused.
   */
  readonly accessTokens?: readonly string[] | ((token: string) => boolean);
}

/** The outcome of authenticating one handshake. */
export interface AuthResult {
  readonly ok: boolean;
  readonly scheme: AuthScheme;
  /** The subprotocol to answer with (exactly as the client offered it), if the client offered one. */
  readonly protocol?: string;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function acceptsBearer(config: AuthConfig, token: string): boolean {
  const tokens = config.accessTokens;
  if (tokens === undefined) return false;
  if (typeof tokens === 'function') return tokens(token);
  return tokens.some((t) => sameSecret(token, t));
}

function accepts(config: AuthConfig, scheme: 'token' | 'bearer', secret: string): boolean {
  if (config.apiKey === undefined && config.accessTokens === undefined) return true;
  if (scheme === 'token') return config.apiKey !== undefined && sameSecret(secret, config.apiKey);
  return acceptsBearer(config, secret);
}

/** Splits a `Sec-WebSocket-Protocol` header into the offered protocols, in order. */
export function offeredProtocols(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/**
 * The subprotocol the emulator answers with: the first offered `token` or `bearer` (any case,
 * echoed exactly as offered), like Deepgram, which echoes only that protocol and never the key.
 */
export function chooseProtocol(protocols: readonly string[]): string | undefined {
  return protocols.find((p) => p.toLowerCase() === 'token' || p.toLowerCase() === 'bearer');
}

/**
 * Authenticates a handshake. An `Authorization` header, when present, decides alone; otherwise the
 * subprotocol pair `token|bearer, <secret>` does. With neither `apiKey` nor `accessTokens`
 * configured every handshake is accepted (the scheme is still reported).
 */
export function authenticate(
  authorization: string | undefined,
  protocols: readonly string[],
  config: AuthConfig,
): AuthResult {
  const protocol = chooseProtocol(protocols);
  const withProtocol = protocol === undefined ? {} : { protocol };
  const enforced = config.apiKey !== undefined || config.accessTokens !== undefined;
  if (authorization !== undefined) {
    const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(authorization);
    const scheme = match?.[1]?.toLowerCase();
    if (match && (scheme === 'token' || scheme === 'bearer')) {
      return { ok: accepts(config, scheme, match[2]!), scheme, ...withProtocol };
    }
    return { ok: !enforced, scheme: 'none', ...withProtocol };
  }
  if (protocol !== undefined) {
    const index = protocols.indexOf(protocol);
    const secret = protocols[index + 1];
    const scheme = protocol.toLowerCase() === 'token' ? 'token' : 'bearer';
    if (secret !== undefined) {
      return { ok: accepts(config, scheme, secret), scheme: `${scheme}-protocol`, protocol };
    }
  }
  return { ok: !enforced, scheme: 'none', ...withProtocol };
}
