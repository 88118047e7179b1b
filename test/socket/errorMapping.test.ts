/**
 * The close-code and handshake-status → LiveError table, retryability, and redaction.
 */
import { liveErrorFromClose, liveErrorFromHandshake, parseRetryAfter } from '../../src/socket/errorMapping';
import { isRetryable, LiveError, type LiveErrorKind } from '../../src/socket/liveError';
import { redactText, redactUrl, scrubSecrets } from '../../src/socket/redact';

const NET_0001 =
  'Deepgram did not receive audio data or a text message within the timeout window. See https://dpgr.am/net0001';
const NET_0000 =
  'Deepgram did not provide a response message within the timeout window. See https://dpgr.am/net0000';

describe('LiveError', () => {
  it('is an instance of LiveError and Error with name "LiveError"', () => {
    const error = new LiveError({ kind: 'network', message: 'connection lost' });
    expect(error).toBeInstanceOf(LiveError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('LiveError');
    expect(String(error)).toBe('LiveError: connection lost');
  });

  it('omits the fields that were not given', () => {
    const error = new LiveError({ kind: 'protocol', message: 'x' });
    expect(Object.keys(error).sort()).toEqual(['kind', 'name']);
  });
});

describe('liveErrorFromClose', () => {
  it('returns null for a normal close (1000)', () => {
    expect(liveErrorFromClose({ code: 1000, reason: '' })).toBeNull();
  });

  it.each<[number, string, LiveErrorKind, string | undefined, boolean]>([
    [1011, NET_0001, 'timeout', 'NET-0001', true],
    [1011, 'NET-0001', 'timeout', 'NET-0001', true],
    [1011, NET_0000, 'timeout', 'NET-0000', true],
    [1011, 'NET-0000', 'timeout', 'NET-0000', true],
    [1011, 'internal error', 'network', undefined, true],
    [1008, 'DATA-0000', 'bad-audio', 'DATA-0000', false],
    [
      1008,
      'Payload cannot be decoded as audio. See https://dpgr.am/data0000',
      'bad-audio',
      'DATA-0000',
      false,
    ],
    [1006, '', 'network', undefined, true],
    [1001, '', 'network', undefined, true],
    [1005, '', 'network', undefined, true],
    [1012, '', 'network', undefined, true],
    [1013, 'try again later', 'network', undefined, true],
    [1014, '', 'network', undefined, true],
    [1015, '', 'network', undefined, true],
    [1002, 'protocol error', 'protocol', undefined, false],
    [1003, '', 'protocol', undefined, false],
    [1007, '', 'protocol', undefined, false],
    [1009, 'message too big', 'protocol', undefined, false],
    [1010, '', 'protocol', undefined, false],
    [3000, '', 'protocol', undefined, false],
    [4000, 'custom', 'protocol', undefined, false],
    [4999, '', 'protocol', undefined, false],
  ])(
    'maps close %i "%s" to kind %s with code %s (retryable: %s)',
    (closeCode, reason, kind, code, retryable) => {
      const error = liveErrorFromClose({ code: closeCode, reason });
      expect(error).toBeInstanceOf(LiveError);
      expect(error?.kind).toBe(kind);
      expect(error?.code).toBe(code);
      expect(error?.closeCode).toBe(closeCode);
      expect(isRetryable(error)).toBe(retryable);
    },
  );

  it('keeps the server’s reason and quotes it in the message', () => {
    const error = liveErrorFromClose({ code: 1011, reason: NET_0001 });
    expect(error?.reason).toBe(NET_0001);
    expect(error?.message).toContain(NET_0001);
  });

  it('says "could not connect" with the transport’s detail for a 1006 before open', () => {
    const error = liveErrorFromClose({
      code: 1006,
      reason: '',
      opened: false,
      detail: 'connect ECONNREFUSED 127.0.0.1:9',
      endpoint: 'ws://127.0.0.1:9/v1/listen',
    });
    expect(error?.message).toBe(
      'could not connect to ws://127.0.0.1:9/v1/listen: connect ECONNREFUSED 127.0.0.1:9',
    );
  });

  it('says the connection was lost for a 1006 after open', () => {
    const error = liveErrorFromClose({ code: 1006, reason: '', opened: true });
    expect(error?.message).toContain('the connection was lost without a close frame');
  });

  it('carries the request id of the connection', () => {
    expect(liveErrorFromClose({ code: 1008, reason: 'DATA-0000', requestId: 'r-1' })?.requestId).toBe('r-1');
  });
});

describe('liveErrorFromHandshake', () => {
  const body = (errCode: string, errMsg: string): string =>
    JSON.stringify({ err_code: errCode, err_msg: errMsg, request_id: 'body-id' });

  it.each<[number, LiveErrorKind, boolean]>([
    [400, 'http', false],
    [401, 'auth', false],
    [402, 'http', false],
    [403, 'auth', false],
    [404, 'http', false],
    [405, 'http', false],
    [408, 'http', true],
    [429, 'rate-limit', true],
    [500, 'http', true],
    [502, 'http', true],
    [503, 'http', true],
    [504, 'http', true],
  ])('maps HTTP %i to kind %s (retryable: %s)', (status, kind, retryable) => {
    const error = liveErrorFromHandshake({ status, headers: {} });
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(isRetryable(error)).toBe(retryable);
  });

  it('takes code from the body’s err_code, request id from dg-request-id and quotes dg-error', () => {
    const error = liveErrorFromHandshake({
      status: 400,
      headers: { 'dg-error': "Invalid 'utterance_end_ms' value of '999'.", 'dg-request-id': 'header-id' },
      body: body('INVALID_QUERY_PARAMETER', "Invalid 'utterance_end_ms' value of '999'."),
    });
    expect(error).toMatchObject({ kind: 'http', code: 'INVALID_QUERY_PARAMETER', requestId: 'header-id' });
    expect(error.message).toContain("Invalid 'utterance_end_ms' value of '999'.");
  });

  it('falls back to the body’s request_id and err_msg without headers', () => {
    const error = liveErrorFromHandshake({
      status: 401,
      headers: {},
      body: body('INVALID_AUTH', 'Invalid credentials.'),
    });
    expect(error).toMatchObject({ kind: 'auth', code: 'INVALID_AUTH', requestId: 'body-id' });
    expect(error.message).toContain('Invalid credentials.');
  });

  it('ignores a body that is not JSON', () => {
    const error = liveErrorFromHandshake({ status: 502, headers: {}, body: '<html>Bad Gateway</html>' });
    expect(error.code).toBeUndefined();
    expect(error.message).toContain('HTTP 502');
  });

  it('reads Retry-After seconds into retryAfterMs on 429', () => {
    expect(liveErrorFromHandshake({ status: 429, headers: { 'retry-after': '7' } }).retryAfterMs).toBe(7000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('2')).toBe(2000);
  });

  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', now)).toBe(5000);
  });

  it('never returns a negative delay for a date in the past', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2026-01-01'))).toBe(0);
  });

  it('returns undefined for a missing or unreadable header', () => {
    expect([parseRetryAfter(undefined), parseRetryAfter('soon')]).toEqual([undefined, undefined]);
  });
});

describe('isRetryable', () => {
  it('is false for anything that is not a LiveError', () => {
    expect([isRetryable(new Error('x')), isRetryable('network'), isRetryable(undefined)]).toEqual([
      false,
      false,
      false,
    ]);
  });
});

describe('redaction', () => {
  it('masks token and key query parameters of a URL and keeps the others', () => {
    expect(redactUrl('wss://api.deepgram.com/v1/listen?model=nova-3&token=abc&api_key=def&keyterm=x')).toBe(
      'wss://api.deepgram.com/v1/listen?model=nova-3&token=***&api_key=***&keyterm=x',
    );
  });

  it('masks any parameter whose name says it holds a secret, but not Deepgram’s keyterm and keywords', () => {
    const url =
      'wss://h/v1/listen?auth_token=a1&access-token=a2&x-api-key=a3&dg_key=a4&sig=a5&X-Amz-Signature=a6&client_secret=a7&keywords=k&keyterms=t';
    const masked =
      'wss://h/v1/listen?auth_token=***&access-token=***&x-api-key=***&dg_key=***&sig=***&X-Amz-Signature=***&client_secret=***&keywords=k&keyterms=t';
    expect([redactUrl(url), redactText(`failed: ${url}`)]).toEqual([masked, `failed: ${masked}`]);
  });

  it('scrubs a secret quoted with its control characters escaped, as Chromium quotes an invalid subprotocol', () => {
    const secret = 'dg-key-0123456789abcdef\n';
    const message =
      "Failed to construct 'WebSocket': The subprotocol 'dg-key-0123456789abcdef\\u000A' is invalid.";
    expect(scrubSecrets(message, [secret])).toBe(
      "Failed to construct 'WebSocket': The subprotocol '***\\u000A' is invalid.",
    );
  });

  it('masks user:password credentials in a URL', () => {
    expect(redactUrl('wss://user:secret@api.deepgram.com/v1/listen')).not.toContain('secret');
  });

  it('masks secret parameters quoted inside a text', () => {
    expect(redactText('failed: wss://h/v1/listen?access_token=abc.def&model=x')).toBe(
      'failed: wss://h/v1/listen?access_token=***&model=x',
    );
  });
});
