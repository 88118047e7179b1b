import { WavFileError } from '../../src/audio/wavFileError';
import { CliUsageError, describeFailure, oneLine } from '../../src/cli/failure';
import { LiveOptionsError } from '../../src/protocol/liveOptions';
import { LiveError } from '../../src/socket/liveError';

const env = { secrets: ['key-abc123'], keySource: 'env' as const };

describe('describeFailure', () => {
  test('a refused key is exit 3 with advice naming DEEPGRAM_API_KEY', () => {
    const error = new LiveError({ kind: 'auth', status: 401, code: 'INVALID_AUTH', message: 'HTTP 401' });
    expect(describeFailure(error, env)).toEqual({
      code: 3,
      line: 'deepgram-rx: authentication failed (401 INVALID_AUTH): check DEEPGRAM_API_KEY',
    });
  });

  test('a refused --api-key points at the flag', () => {
    const error = new LiveError({ kind: 'auth', status: 403, message: 'HTTP 403' });
    expect(describeFailure(error, { ...env, keySource: 'flag' }).line).toBe(
      'deepgram-rx: authentication failed (403): check the key given with --api-key',
    );
  });

  test('a server that wants a key when none was given says how to give one', () => {
    const error = new LiveError({ kind: 'auth', status: 401, message: 'HTTP 401' });
    expect(describeFailure(error, { secrets: [], keySource: 'none' }).line).toContain(
      'set DEEPGRAM_API_KEY or pass --api-key',
    );
  });

  test('an unreachable server is exit 4 with the transport reason', () => {
    const error = new LiveError({
      kind: 'network',
      closeCode: 1006,
      message: 'could not connect to ws://127.0.0.1:9/v1/listen: connect ECONNREFUSED 127.0.0.1:9',
    });
    expect(describeFailure(error, env)).toEqual({
      code: 4,
      line: 'deepgram-rx: could not connect to ws://127.0.0.1:9/v1/listen: connect ECONNREFUSED 127.0.0.1:9',
    });
  });

  test('an inactivity timeout is exit 5', () => {
    const error = new LiveError({
      kind: 'timeout',
      code: 'NET-0001',
      message: 'Deepgram closed the connection (1011 NET-0001)',
    });
    expect(describeFailure(error, env).code).toBe(5);
  });

  test.each<[string, Error]>([
    ['bad audio', new LiveError({ kind: 'bad-audio', message: 'DATA-0000' })],
    ['an unexpected close', new LiveError({ kind: 'protocol', message: 'closed 4000' })],
    ['an HTTP 400', new LiveError({ kind: 'http', status: 400, message: 'HTTP 400' })],
    ['a rate limit', new LiveError({ kind: 'rate-limit', status: 429, message: 'HTTP 429' })],
    ['a plain Error', new Error('boom')],
  ])('any other failure is exit 1: %s', (_name, error) => {
    expect(describeFailure(error, env).code).toBe(1);
  });

  test('a missing or bad WAV file is exit 2 with its message', () => {
    const error = new WavFileError('not-wav', 'x.txt', 'x.txt: not a WAV file (no RIFF/WAVE header)');
    expect(describeFailure(error, env)).toEqual({
      code: 2,
      line: 'deepgram-rx: x.txt: not a WAV file (no RIFF/WAVE header)',
    });
  });

  test('usage and option errors are exit 2', () => {
    expect(describeFailure(new CliUsageError('--script: bad'), env).code).toBe(2);
    expect(describeFailure(new LiveOptionsError('model', 'Invalid LiveOptions.model'), env).code).toBe(2);
  });

  test('a port already in use is exit 4', () => {
    const error = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:8080'), {
      code: 'EADDRINUSE',
    });
    expect(describeFailure(error, env)).toEqual({
      code: 4,
      line: 'deepgram-rx: cannot listen: listen EADDRINUSE: address already in use 127.0.0.1:8080',
    });
  });

  test('a host that does not resolve is exit 4 for a command that listens, naming the host', () => {
    const error = Object.assign(new Error('getaddrinfo ENOTFOUND nosuchhost.invalid'), {
      code: 'ENOTFOUND',
    });
    expect(describeFailure(error, { ...env, listenHost: 'nosuchhost.invalid' })).toEqual({
      code: 4,
      line: 'deepgram-rx: cannot listen on nosuchhost.invalid: getaddrinfo ENOTFOUND nosuchhost.invalid',
    });
  });

  test('a DNS server that does not answer (EAI_AGAIN) is exit 4 for a command that listens', () => {
    const error = Object.assign(new Error('getaddrinfo EAI_AGAIN some.host'), { code: 'EAI_AGAIN' });
    expect(describeFailure(error, { ...env, listenHost: 'some.host' }).code).toBe(4);
  });

  test('a port already in use names the host the command listens on', () => {
    const error = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:8080'), {
      code: 'EADDRINUSE',
    });
    expect(describeFailure(error, { ...env, listenHost: '127.0.0.1' }).line).toBe(
      'deepgram-rx: cannot listen on 127.0.0.1: listen EADDRINUSE: address already in use 127.0.0.1:8080',
    );
  });

  test('the line never contains the API key, even when the error quotes it', () => {
    const error = new Error('server said: key-abc123 is wrong\nsee wss://x/v1/listen?token=key-abc123');
    const { line } = describeFailure(error, env);
    expect(line).not.toContain('key-abc123');
    expect(line).not.toContain('\n');
  });
});

describe('oneLine', () => {
  test('joins lines with spaces and masks secret URL parameters', () => {
    expect(oneLine('a\n  b\r\nc ?token=zzz', [])).toBe('a b c ?token=***');
  });

  test('bounds very long messages', () => {
    expect(oneLine('x'.repeat(2000), []).length).toBeLessThanOrEqual(600);
  });

  test('shows control characters as text, after folding line breaks', () => {
    expect(oneLine('closed:\n bad\u001b[31m reason\u0000', [])).toBe('closed: bad\\x1b[31m reason\\x00');
  });
});
