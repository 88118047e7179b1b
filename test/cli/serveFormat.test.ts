import { formatServeBanner, formatSessionLine } from '../../src/cli/serveFormat';

describe('formatServeBanner', () => {
  const info = { url: 'ws://127.0.0.1:8080/v1/listen', script: undefined, auth: false, idleTimeoutMs: 10000 };

  test('the first line holds the URL', () => {
    expect(formatServeBanner(info)[0]).toBe('Deepgram emulator listening on ws://127.0.0.1:8080/v1/listen');
  });

  test('it says the emulator is not a speech recognizer, with or without a script', () => {
    expect(formatServeBanner(info)[1]).toMatch(
      /^It is not a speech recognizer: with no --script, every transcript is empty/,
    );
    expect(formatServeBanner({ ...info, script: 's.words.json' })[1]).toBe(
      'It is not a speech recognizer: its transcripts replay the script s.words.json, following the audio it receives.',
    );
  });

  test('it says whether a key is required, without printing any key', () => {
    expect(formatServeBanner({ ...info, auth: true })[2]).toBe(
      'Clients must send the --api-key value (Authorization: Token …); others get HTTP 401.',
    );
    expect(formatServeBanner(info)[2]).toBe('No authentication: any key, or none, is accepted.');
  });

  test('it shows how to point transcribe at it', () => {
    expect(formatServeBanner(info)).toContain(
      'Try: deepgram-rx transcribe FILE.wav --url ws://127.0.0.1:8080/v1/listen',
    );
  });
});

describe('formatSessionLine', () => {
  test('a finished session shows its audio, KeepAlives and close', () => {
    expect(
      formatSessionLine({
        requestId: 'r1',
        audioSeconds: 20.2,
        keepAlives: 4,
        closeCode: 1000,
        closedBy: 'server',
      }),
    ).toBe('session r1: 20.2 s audio, 4 KeepAlives, closed 1000 by the server');
  });

  test('a close reason is quoted and one KeepAlive is singular', () => {
    expect(
      formatSessionLine({
        requestId: 'r2',
        audioSeconds: 1,
        keepAlives: 1,
        closeCode: 1011,
        closeReason: 'NET-0001',
        closedBy: 'server',
      }),
    ).toBe('session r2: 1.0 s audio, 1 KeepAlive, closed 1011 by the server (NET-0001)');
  });
});
