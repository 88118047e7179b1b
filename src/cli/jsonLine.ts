/**
 * `--json` output: one event per line, errors included with their message and fields. Pure.
 */
import { scrubSecrets } from '../socket/redact';

/** `JSON.stringify` replacer that keeps an Error's name, message and own fields (e.g. LiveError.kind). */
function errorsAsObjects(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { ...value, name: value.name, message: value.message };
  }
  return value;
}

/**
 * An event as ONE line of JSON (no newline inside), with any secret masked.
 *
 * @example
 * ```ts
 * jsonLine({ type: 'Open', attempt: 1 }, []); // '{"type":"Open","attempt":1}'
 * ```
 */
export function jsonLine(event: object, secrets: readonly string[]): string {
  // Strings are masked before they are escaped: a key with `"` or `\` in it is no longer the same
  // text once in JSON. The whole line is masked again for anything the values did not cover.
  const masked = (key: string, value: unknown): unknown => {
    const plain = errorsAsObjects(key, value);
    return typeof plain === 'string' ? scrubSecrets(plain, secrets) : plain;
  };
  return scrubSecrets(JSON.stringify(event, masked), secrets);
}
