import { DEFAULT_LISTEN_URL, listenUrl } from '../../src/protocol/listenUrl';
import { LiveOptionsError } from '../../src/protocol/liveOptions';

/** The LiveOptionsError that `build` throws, or a test failure when it throws none. */
function errorOf(build: () => unknown): LiveOptionsError {
  try {
    build();
  } catch (error) {
    if (error instanceof LiveOptionsError) return error;
    throw error;
  }
  throw new Error('expected a LiveOptionsError');
}

function queryOf(url: string): Array<[string, string]> {
  return [...new URL(url).searchParams.entries()];
}

describe('listenUrl', () => {
  it('returns the production endpoint without a query when called with no options', () => {
    expect(listenUrl()).toBe('wss://api.deepgram.com/v1/listen');
    expect(DEFAULT_LISTEN_URL).toBe('wss://api.deepgram.com/v1/listen');
  });

  it('omits undefined options', () => {
    expect(listenUrl({ model: undefined, punctuate: undefined })).toBe('wss://api.deepgram.com/v1/listen');
  });

  it('writes options in the protocol order whatever the order of the object', () => {
    const url = listenUrl({ sample_rate: 16000, punctuate: true, encoding: 'linear16', model: 'nova-3' });
    expect(url).toBe(
      'wss://api.deepgram.com/v1/listen?model=nova-3&encoding=linear16&sample_rate=16000&punctuate=true',
    );
  });

  it('writes booleans as true and false', () => {
    expect(queryOf(listenUrl({ interim_results: true, smart_format: false, no_delay: true }))).toEqual([
      ['interim_results', 'true'],
      ['smart_format', 'false'],
      ['no_delay', 'true'],
    ]);
  });

  it('writes endpointing false as endpointing=false and a number as its value', () => {
    expect(listenUrl({ endpointing: false })).toBe('wss://api.deepgram.com/v1/listen?endpointing=false');
    expect(listenUrl({ endpointing: 0 })).toBe('wss://api.deepgram.com/v1/listen?endpointing=0');
  });

  it('repeats the key of every list option', () => {
    const url = listenUrl({
      model: 'nova-3',
      keyterm: ['a', 'b'],
      keywords: ['c:2', 'd'],
      search: ['e', 'f'],
      replace: ['g:h', 'i:j'],
      tag: ['k', 'l'],
    });
    expect(new URL(url).search).toBe(
      '?model=nova-3&keyterm=a&keyterm=b&keywords=c:2&keywords=d&search=e&search=f&replace=g:h&replace=i:j&tag=k&tag=l',
    );
  });

  it('writes redact as a boolean, a single value or a repeated key', () => {
    expect(new URL(listenUrl({ redact: true })).search).toBe('?redact=true');
    expect(new URL(listenUrl({ redact: 'pci' })).search).toBe('?redact=pci');
    expect(new URL(listenUrl({ redact: ['pci', 'ssn'] })).search).toBe('?redact=pci&redact=ssn');
  });

  it('writes extra as repeated key:value pairs', () => {
    expect(new URL(listenUrl({ extra: { call: '42', agent: 'ann' } })).search).toBe(
      '?extra=call:42&extra=agent:ann',
    );
  });

  it('percent-encodes spaces as %20 and non-ASCII text as UTF-8', () => {
    const url = listenUrl({ model: 'nova-3', keyterm: ['customer service', 'Zürich 東京'] });
    expect(url).toBe(
      'wss://api.deepgram.com/v1/listen?model=nova-3&keyterm=customer%20service&keyterm=Z%C3%BCrich%20%E6%9D%B1%E4%BA%AC',
    );
    expect(queryOf(url)).toContainEqual(['keyterm', 'Zürich 東京']);
  });

  it('percent-encodes characters that would break the query (&, =, +, #, ?)', () => {
    const url = listenUrl({ search: ['a&b=c+d#e?f'] });
    expect(queryOf(url)).toEqual([['search', 'a&b=c+d#e?f']]);
  });

  it('appends query escape-hatch parameters after the modelled ones, arrays repeating the key', () => {
    const url = listenUrl({ query: { log_data: 'false', beta: ['x', 'y z'] }, model: 'nova-3' });
    expect(new URL(url).search).toBe('?model=nova-3&log_data=false&beta=x&beta=y%20z');
  });

  it('keeps the query already in the base URL before the options', () => {
    expect(listenUrl({ model: 'nova-3' }, 'ws://127.0.0.1:8080/v1/listen?debug=true')).toBe(
      'ws://127.0.0.1:8080/v1/listen?debug=true&model=nova-3',
    );
  });

  it('accepts regional, http and https bases', () => {
    expect(listenUrl({}, 'wss://api.eu.deepgram.com/v1/listen')).toBe('wss://api.eu.deepgram.com/v1/listen');
    expect(listenUrl({ vad_events: true }, 'http://127.0.0.1:9000/v1/listen')).toBe(
      'http://127.0.0.1:9000/v1/listen?vad_events=true',
    );
    expect(listenUrl({}, 'https://example.test/v1/listen')).toBe('https://example.test/v1/listen');
  });

  it.each([
    ['an ftp URL', 'ftp://example.test/v1/listen'],
    ['a relative path', '/v1/listen'],
    ['a URL with a fragment', 'wss://example.test/v1/listen#x'],
  ])('rejects %s as base with option "base"', (_what, base) => {
    expect(errorOf(() => listenUrl({}, base)).option).toBe('base');
  });

  it('rejects an option that the base URL query already sets, naming that option', () => {
    expect(
      errorOf(() => listenUrl({ model: 'nova-3' }, 'wss://example.test/v1/listen?model=nova-2')).option,
    ).toBe('model');
  });

  it('rejects a query escape-hatch key that the base URL query already sets', () => {
    const base = 'wss://example.test/v1/listen?debug=false';
    expect(errorOf(() => listenUrl({ query: { debug: 'true' } }, base)).option).toBe('query');
  });

  it.each([
    [
      'interim_results=true allows utterance_end_ms',
      '?interim_results=true',
      { utterance_end_ms: 1000 },
      'utterance_end_ms=1000',
    ],
    ['model=nova-3 allows keyterm', '?model=nova-3', { keyterm: ['refund'] }, 'keyterm=refund'],
    ['encoding allows sample_rate', '?encoding=mulaw', { sample_rate: 8000 }, 'sample_rate=8000'],
  ] as const)('counts the base URL query in the combination rules: %s', (_what, query, options, added) => {
    const base = `wss://example.test/v1/listen${query}`;
    expect(listenUrl(options, base)).toBe(`${base}&${added}`);
  });

  it('still rejects a combination the base URL query does not make valid', () => {
    const base = 'wss://example.test/v1/listen?interim_results=false&model=nova-2';
    expect(errorOf(() => listenUrl({ utterance_end_ms: 1000 }, base)).option).toBe('utterance_end_ms');
    expect(errorOf(() => listenUrl({ keyterm: ['refund'] }, base)).option).toBe('keyterm');
    expect(errorOf(() => listenUrl({ encoding: 'mulaw' }, base)).option).toBe('sample_rate');
  });

  it('validates the options before building the URL', () => {
    expect(errorOf(() => listenUrl({ utterance_end_ms: 1000 })).option).toBe('utterance_end_ms');
  });

  it('validates an inherited option, as it sends it', () => {
    const options = Object.assign(Object.create({ utterance_end_ms: 999 }) as object, {
      interim_results: true,
    });
    expect(errorOf(() => listenUrl(options)).option).toBe('utterance_end_ms');
  });

  it('validates and sends the options of a class with getters, each read once', () => {
    let reads = 0;
    class Options {
      get encoding(): 'mulaw' | 'wav' {
        reads++;
        return reads === 1 ? 'mulaw' : 'wav';
      }
      readonly sample_rate = 8000;
    }
    expect(queryOf(listenUrl(new Options() as never))).toEqual([
      ['encoding', 'mulaw'],
      ['sample_rate', '8000'],
    ]);
    expect(reads).toBe(1);
  });

  it('rejects a hole in a list option instead of sending "undefined"', () => {
    const keyterm: string[] = [];
    keyterm[1] = 'refund';
    expect(errorOf(() => listenUrl({ model: 'nova-3', keyterm })).message).toMatch(/keyterm.*item 0/);
  });

  it('builds a URL for the options of every recorded Deepgram session', () => {
    const options = {
      channels: 1,
      encoding: 'mulaw',
      language: 'en-US',
      model: 'nova-3',
      punctuate: true,
      sample_rate: 8000,
      smart_format: true,
    } as const;
    expect(listenUrl(options)).toBe(
      'wss://api.deepgram.com/v1/listen?model=nova-3&language=en-US&encoding=mulaw&sample_rate=8000&channels=1&punctuate=true&smart_format=true',
    );
  });
});
