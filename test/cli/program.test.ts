import { parseCommandLine, type ParsedCommand } from '../../src/cli/program';
import type { ServeArgs, TranscribeArgs } from '../../src/cli/args';

function transcribeArgs(parsed: ParsedCommand): TranscribeArgs {
  if (parsed.kind !== 'transcribe') throw new Error(`expected transcribe, got ${JSON.stringify(parsed)}`);
  return parsed.args;
}

function serveArgs(parsed: ParsedCommand): ServeArgs {
  if (parsed.kind !== 'serve') throw new Error(`expected serve, got ${JSON.stringify(parsed)}`);
  return parsed.args;
}

describe('parseCommandLine: transcribe', () => {
  test('a bare FILE streams in real time to the emulator with gating, KeepAlive and reconnection on', () => {
    const args = transcribeArgs(parseCommandLine(['transcribe', 'a.wav'], {}));
    expect(args).toEqual({
      file: 'a.wav',
      target: { kind: 'emulator' },
      keySource: 'none',
      model: 'nova-3',
      chunkMs: 100,
      pace: 'realtime',
      keepAlive: true,
      idleMs: 3000,
      gate: true,
      reconnect: true,
      interim: false,
      json: false,
      emulatorIdleTimeoutMs: 10000,
    });
  });

  test('DEEPGRAM_API_KEY in the environment targets Deepgram with that key', () => {
    const args = transcribeArgs(parseCommandLine(['transcribe', 'a.wav'], { DEEPGRAM_API_KEY: 'env-key' }));
    expect(args.target).toEqual({ kind: 'deepgram', url: 'wss://api.deepgram.com/v1/listen' });
    expect(args.apiKey).toBe('env-key');
    expect(args.keySource).toBe('env');
  });

  test('--api-key wins over DEEPGRAM_API_KEY', () => {
    const args = transcribeArgs(
      parseCommandLine(['transcribe', 'a.wav', '--api-key', 'flag-key'], { DEEPGRAM_API_KEY: 'env-key' }),
    );
    expect(args.apiKey).toBe('flag-key');
    expect(args.keySource).toBe('flag');
  });

  test('a blank DEEPGRAM_API_KEY counts as no key', () => {
    const args = transcribeArgs(parseCommandLine(['transcribe', 'a.wav'], { DEEPGRAM_API_KEY: '  ' }));
    expect(args.target).toEqual({ kind: 'emulator' });
    expect(args.apiKey).toBeUndefined();
  });

  test('--url targets that server, with or without a key', () => {
    const args = transcribeArgs(
      parseCommandLine(['transcribe', 'a.wav', '--url', 'ws://127.0.0.1:9/v1/listen'], {}),
    );
    expect(args.target).toEqual({ kind: 'url', url: 'ws://127.0.0.1:9/v1/listen' });
    const withKey = transcribeArgs(
      parseCommandLine(['transcribe', 'a.wav', '--url', 'ws://127.0.0.1:9/v1/listen', '--api-key', 'k'], {
        DEEPGRAM_API_KEY: 'env-key',
      }),
    );
    expect(withKey.target).toEqual({ kind: 'url', url: 'ws://127.0.0.1:9/v1/listen' });
    expect(withKey.apiKey).toBe('k');
    expect(withKey.keySource).toBe('flag');
  });

  test('--url without a path gets /v1/listen', () => {
    const args = transcribeArgs(
      parseCommandLine(['transcribe', 'a.wav', '--url', 'ws://127.0.0.1:8080'], {}),
    );
    expect(args.target).toEqual({ kind: 'url', url: 'ws://127.0.0.1:8080/v1/listen' });
  });

  test('--url with an http:// URL is a usage error', () => {
    const parsed = parseCommandLine(['transcribe', 'a.wav', '--url', 'http://example.com'], {});
    expect(parsed).toMatchObject({ kind: 'exit', code: 2 });
  });

  test.each([
    ['--url', 'https://proxy.test/v1/listen?sig=S3CR3T-SIGNATURE'],
    ['--url=https://proxy.test/v1/listen/S3CR3T-PATH-TOKEN'],
  ])('a rejected --url is not echoed in the usage error: %s', (...url) => {
    const parsed = parseCommandLine(['transcribe', 'a.wav', ...url], {});
    expect(parsed).toEqual({
      kind: 'exit',
      code: 2,
      stdout: '',
      stderr:
        "deepgram-rx: option '--url <URL>' argument '***' is invalid. expected a ws:// or wss:// URL, got a https:// URL. (see deepgram-rx --help)\n",
    });
  });

  test('every flag is parsed into its field', () => {
    const args = transcribeArgs(
      parseCommandLine(
        [
          'transcribe',
          'b.wav',
          '--model',
          'nova-2',
          '--chunk-ms',
          '20',
          '--fast',
          '--no-keepalive',
          '--idle-ms',
          '500',
          '--no-gate',
          '--no-reconnect',
          '--interim',
          '--json',
          '--emulator-idle-timeout',
          '1500',
        ],
        {},
      ),
    );
    expect(args).toMatchObject({
      file: 'b.wav',
      model: 'nova-2',
      chunkMs: 20,
      pace: 'fast',
      keepAlive: false,
      idleMs: 500,
      gate: false,
      reconnect: false,
      interim: true,
      json: true,
      emulatorIdleTimeoutMs: 1500,
    });
  });

  test('--no-reconnect turns reconnection off, and only that', () => {
    const args = transcribeArgs(parseCommandLine(['transcribe', 'a.wav', '--no-reconnect'], {}));
    expect(args).toEqual({
      ...transcribeArgs(parseCommandLine(['transcribe', 'a.wav'], {})),
      reconnect: false,
    });
  });

  test('--gate keeps gating on explicitly', () => {
    expect(transcribeArgs(parseCommandLine(['transcribe', 'a.wav', '--gate'], {})).gate).toBe(true);
  });

  test.each([
    ['--idle-ms', '10000'],
    ['--idle-ms', '0'],
    ['--chunk-ms', 'abc'],
    ['--chunk-ms', '-5'],
    ['--emulator-idle-timeout', '1.5'],
    ['--emulator-idle-timeout', '3000000000'],
  ])('%s %s is a usage error with exit code 2 and one stderr line', (flag, value) => {
    const parsed = parseCommandLine(['transcribe', 'a.wav', flag, value], {});
    expect(parsed).toMatchObject({ kind: 'exit', code: 2, stdout: '' });
    if (parsed.kind !== 'exit') return;
    expect(parsed.stderr).toMatch(/^deepgram-rx: .*\n$/);
    expect(parsed.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('a missing FILE is a usage error', () => {
    const parsed = parseCommandLine(['transcribe'], {});
    expect(parsed).toMatchObject({ kind: 'exit', code: 2 });
    if (parsed.kind === 'exit') expect(parsed.stderr).toContain('FILE');
  });

  test('an unknown option is a usage error naming it', () => {
    const parsed = parseCommandLine(['transcribe', 'a.wav', '--bogus'], {});
    expect(parsed).toMatchObject({ kind: 'exit', code: 2 });
    if (parsed.kind === 'exit') expect(parsed.stderr).toContain('--bogus');
  });

  test.each([
    [['transcribe', 'a.wav', '--apikey=sekret-123'], '--apikey'],
    [['serve', '--api_key=sekret-123'], '--api_key'],
  ])('an unknown option given as --name=value is named without its value: %j', (argv, name) => {
    const parsed = parseCommandLine(argv, {});
    expect(parsed).toEqual({
      kind: 'exit',
      code: 2,
      stdout: '',
      stderr: `deepgram-rx: unknown option '${name}' (see deepgram-rx --help)\n`,
    });
  });

  test('a usage error never echoes the DEEPGRAM_API_KEY value, even as a mistyped argument', () => {
    const parsed = parseCommandLine(['sekret-123', 'a.wav'], { DEEPGRAM_API_KEY: 'sekret-123' });
    expect(parsed).toMatchObject({ kind: 'exit', code: 2 });
    expect(JSON.stringify(parsed)).not.toContain('sekret-123');
  });

  test('a usage error never echoes the --api-key value', () => {
    const parsed = parseCommandLine(['transcribe', 'a.wav', '--api-key', 'sekret-123', 'extra-arg'], {});
    expect(parsed.kind).toBe('exit');
    expect(JSON.stringify(parsed)).not.toContain('sekret-123');
  });
});

describe('parseCommandLine: serve', () => {
  test('serve defaults to 127.0.0.1:8080 with a 10 s idle timeout and no auth', () => {
    expect(serveArgs(parseCommandLine(['serve'], {}))).toEqual({
      port: 8080,
      host: '127.0.0.1',
      idleTimeoutMs: 10000,
    });
  });

  test('serve takes port, host, idle timeout, key and script', () => {
    const args = serveArgs(
      parseCommandLine(
        [
          'serve',
          '--port',
          '0',
          '--host',
          '0.0.0.0',
          '--idle-timeout',
          '500',
          '--api-key',
          'k',
          '--script',
          's.words.json',
        ],
        {},
      ),
    );
    expect(args).toEqual({
      port: 0,
      host: '0.0.0.0',
      idleTimeoutMs: 500,
      apiKey: 'k',
      script: 's.words.json',
    });
  });

  test('serve ignores DEEPGRAM_API_KEY (auth only with --api-key)', () => {
    expect(serveArgs(parseCommandLine(['serve'], { DEEPGRAM_API_KEY: 'env-key' })).apiKey).toBeUndefined();
  });

  test('an --idle-timeout longer than Node’s longest timer is a usage error naming the limit', () => {
    expect(parseCommandLine(['serve', '--idle-timeout', '2147483648'], {})).toMatchObject({
      kind: 'exit',
      code: 2,
      stderr: expect.stringContaining('must be at most 2147483647') as string,
    });
  });

  test('a port above 65535 is a usage error', () => {
    expect(parseCommandLine(['serve', '--port', '70000'], {})).toMatchObject({ kind: 'exit', code: 2 });
  });
});

describe('parseCommandLine: help and version', () => {
  test('--help prints the help on stdout and exits 0', () => {
    const parsed = parseCommandLine(['--help'], {});
    expect(parsed).toMatchObject({ kind: 'exit', code: 0 });
    if (parsed.kind === 'exit') expect(parsed.stdout).toMatch(/transcribe[\s\S]*serve/);
  });

  test('transcribe --help lists its options', () => {
    const parsed = parseCommandLine(['transcribe', '--help'], {});
    expect(parsed).toMatchObject({ kind: 'exit', code: 0 });
    if (parsed.kind === 'exit')
      expect(parsed.stdout).toMatch(/--no-keepalive[\s\S]*--no-reconnect[\s\S]*--no-gate[\s\S]*--json/);
  });

  test('the help command prints the help on stdout and exits 0', () => {
    const parsed = parseCommandLine(['help'], {});
    expect(parsed).toMatchObject({ kind: 'exit', code: 0, stderr: '' });
    if (parsed.kind === 'exit')
      expect(parsed.stdout).toMatch(/^Usage: deepgram-rx [\s\S]*transcribe[\s\S]*serve/);
  });

  test('help transcribe prints the help of transcribe on stdout and exits 0', () => {
    const parsed = parseCommandLine(['help', 'transcribe'], {});
    expect(parsed).toMatchObject({ kind: 'exit', code: 0, stderr: '' });
    if (parsed.kind === 'exit') expect(parsed.stdout).toMatch(/^Usage: deepgram-rx transcribe [\s\S]*--json/);
  });

  test('--version prints the version given', () => {
    expect(parseCommandLine(['--version'], {}, '1.2.3')).toEqual({
      kind: 'exit',
      code: 0,
      stdout: '1.2.3\n',
      stderr: '',
    });
  });

  test('no command prints the help on stderr and exits 2', () => {
    const parsed = parseCommandLine([], {});
    expect(parsed).toMatchObject({ kind: 'exit', code: 2, stdout: '' });
    if (parsed.kind === 'exit') expect(parsed.stderr).toContain('Usage: deepgram-rx');
  });

  test('an unknown command is a usage error', () => {
    expect(parseCommandLine(['transcribes', 'a.wav'], {})).toMatchObject({ kind: 'exit', code: 2 });
  });
});
