import { describeEvent } from '../../src/cli/eventLines';
import type { LiveEvent } from '../../src/session/transcribe';
import { LiveError } from '../../src/socket/liveError';
import { results, usage } from './results';

describe('describeEvent', () => {
  test('the first Open says connected with the request id', () => {
    expect(describeEvent({ type: 'Open', attempt: 1, requestId: 'abc' })).toBe(
      '  · connected, request id abc',
    );
  });

  test('a later Open says reconnected with the number of the connection', () => {
    expect(describeEvent({ type: 'Open', attempt: 2 })).toBe('  ↻ reconnected (connection 2)');
  });

  test('Reconnecting gives the reason, the delay and the number of the retry', () => {
    const error = new LiveError({ kind: 'timeout', code: 'NET-0001', message: 'closed 1011 NET-0001' });
    expect(describeEvent({ type: 'Reconnecting', attempt: 2, delayMs: 500, error })).toBe(
      '  ↻ connection lost: closed 1011 NET-0001; reconnecting in 500 ms (retry 2)',
    );
  });

  test('a second drop after a healthy connection does not contradict the count of connections', () => {
    // Connection 2 was healthy, so the retry count started again: retry 1, then connection 3.
    const error = new LiveError({ kind: 'network', message: 'connection lost (1006)' });
    const lines = [
      describeEvent({ type: 'Reconnecting', attempt: 1, delayMs: 250, error }),
      describeEvent({ type: 'Open', attempt: 3, requestId: 'r3' }),
    ];
    expect(lines).toEqual([
      expect.stringMatching(/\(retry 1\)$/),
      '  ↻ reconnected (connection 3, request id r3)',
    ]);
  });

  test('a Gap gives its span and reason', () => {
    expect(describeEvent({ type: 'Gap', from: 6, to: 7.25, reason: 'connection lost' })).toBe(
      '  ! 6.0–7.3 s of audio not transcribed: connection lost',
    );
  });

  test('a server Error shows its variant and description', () => {
    const event: LiveEvent = { type: 'Error', variant: 'SchemaError', description: 'bad message' };
    expect(describeEvent(event)).toBe('  ! server error (SchemaError): bad message');
  });

  test('a DecodeFailure shows its first problem', () => {
    const event: LiveEvent = {
      type: 'DecodeFailure',
      failure: { raw: '{}', errors: ['type: expected string'] },
    };
    expect(describeEvent(event)).toBe('  ! undecodable server message: type: expected string');
  });

  test('a Usage after a close timeout warns that results may be missing', () => {
    expect(describeEvent(usage({ closeTimedOut: true }))).toBe(
      '  ! the server did not close in time after CloseStream: the last results may be missing',
    );
  });

  test.each<LiveEvent>([
    results('hello'),
    usage(),
    { type: 'KeepAlive', at: 3000 },
    { type: 'SpeechStarted', channel: [0, 1], timestamp: 1 },
    { type: 'Unknown', raw: {} },
  ])('a $type event has no line of its own', (event: LiveEvent) => {
    expect(describeEvent(event)).toBeUndefined();
  });
});
