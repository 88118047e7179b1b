import { jsonLine } from '../../src/cli/jsonLine';
import { LiveError } from '../../src/socket/liveError';
import { results } from './results';

describe('jsonLine', () => {
  test('an event becomes one line of JSON that parses back to it', () => {
    const event = results('Hello, world.\nSecond line');
    const line = jsonLine(event, []);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(event);
  });

  test('an error inside an event keeps its name, message and fields', () => {
    const error = new LiveError({ kind: 'network', message: 'connection lost', closeCode: 1006 });
    const parsed = JSON.parse(jsonLine({ type: 'Reconnecting', attempt: 2, delayMs: 100, error }, []));
    expect(parsed.error).toEqual({
      name: 'LiveError',
      message: 'connection lost',
      kind: 'network',
      closeCode: 1006,
    });
  });

  test('a secret anywhere in the event is masked', () => {
    const line = jsonLine({ type: 'Unknown', raw: { echo: 'key-123' } }, ['key-123']);
    expect(line).not.toContain('key-123');
    expect(JSON.parse(line)).toEqual({ type: 'Unknown', raw: { echo: '***' } });
  });

  test('a secret with characters JSON escapes (" and \\) is masked too, and the line stays JSON', () => {
    const key = 'KEY"WITH\\QUOTE1234';
    const error = new LiveError({ kind: 'http', message: `bad key ${key}` });
    const line = jsonLine({ type: 'Reconnecting', attempt: 1, delayMs: 0, error, raw: { echo: key } }, [key]);
    expect(line).not.toContain(JSON.stringify(key).slice(1, -1));
    expect(JSON.parse(line)).toMatchObject({ raw: { echo: '***' }, error: { message: 'bad key ***' } });
  });
});
