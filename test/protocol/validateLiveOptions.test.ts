import { ENCODINGS, LiveOptionsError, type LiveOptions } from '../../src/protocol/liveOptions';
import { validateLiveOptions } from '../../src/protocol/validateLiveOptions';

/** The LiveOptionsError thrown by validateLiveOptions, or a test failure when none is thrown. */
function errorFor(options: unknown): LiveOptionsError {
  try {
    validateLiveOptions(options as LiveOptions);
  } catch (error) {
    if (error instanceof LiveOptionsError) return error;
    throw error;
  }
  throw new Error(`expected a LiveOptionsError for ${JSON.stringify(options)}`);
}

const RAW = { encoding: 'linear16', sample_rate: 16000 } as const;

describe('validateLiveOptions', () => {
  it('accepts no options at all', () => {
    expect(() => validateLiveOptions({})).not.toThrow();
  });

  it('accepts a full, consistent set of options', () => {
    const options: LiveOptions = {
      model: 'nova-3',
      language: 'en-US',
      version: 'latest',
      encoding: 'mulaw',
      sample_rate: 8000,
      channels: 2,
      multichannel: true,
      interim_results: true,
      endpointing: 300,
      utterance_end_ms: 1000,
      vad_events: true,
      punctuate: true,
      smart_format: true,
      no_delay: true,
      diarize: true,
      diarize_model: 'latest',
      dictation: false,
      filler_words: true,
      numerals: true,
      profanity_filter: false,
      redact: ['pci', 'ssn'],
      keyterm: ['deepgram'],
      keywords: ['snuffleupagus:2'],
      search: ['refund'],
      replace: ['colour:color'],
      tag: ['test'],
      extra: { call: '42' },
      mip_opt_out: true,
      detect_entities: true,
      callback: 'https://example.test/hook',
      callback_method: 'POST',
      alternatives: 2,
      tier: 'nova',
      query: { log_data: 'false' },
    };
    expect(() => validateLiveOptions(options)).not.toThrow();
  });

  it('gives LiveOptionsError a name, a message naming the option and the option field', () => {
    const error = errorFor({ utterance_end_ms: 999, interim_results: true });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('LiveOptionsError');
    expect(error.option).toBe('utterance_end_ms');
    expect(error.message).toMatch(/utterance_end_ms.*1000 to 5000.*999/);
  });

  it('shows a short wrong string in its message, but not one as long as an API key', () => {
    const key = 'f00dfeedc0ffee0123456789abcdef0123456789';
    expect(errorFor({ ...RAW, encoding: 'wav' }).message).toContain('"wav"');
    expect(errorFor({ ...RAW, encoding: key }).message).toContain('string of 40 characters');
    expect(errorFor({ ...RAW, encoding: key }).message).not.toContain(key.slice(0, 8));
    expect(errorFor(key).message).not.toContain(key.slice(0, 8));
  });

  describe('utterance_end_ms', () => {
    it.each([999, 5001, 1500.5, Number.NaN, '1000'])('rejects %p', (value) => {
      expect(errorFor({ utterance_end_ms: value, interim_results: true }).option).toBe('utterance_end_ms');
    });

    it.each([1000, 5000])('accepts the bound %p', (value) => {
      expect(() => validateLiveOptions({ utterance_end_ms: value, interim_results: true })).not.toThrow();
    });

    it('requires interim_results to be true', () => {
      expect(errorFor({ utterance_end_ms: 1000 }).option).toBe('utterance_end_ms');
      expect(errorFor({ utterance_end_ms: 1000, interim_results: false }).option).toBe('utterance_end_ms');
    });
  });

  describe('encoding, sample_rate and channels', () => {
    // Deepgram's encodings, written out (protocol.md §1.3): a list taken from the module under test
    // would shrink with it unnoticed.
    const DOCUMENTED_ENCODINGS = [
      'linear16',
      'linear32',
      'flac',
      'alaw',
      'mulaw',
      'amr-nb',
      'amr-wb',
      'opus',
      'ogg-opus',
      'speex',
      'g729',
    ] as const;

    it('accepts every documented encoding with a sample rate', () => {
      for (const encoding of DOCUMENTED_ENCODINGS)
        expect(() => validateLiveOptions({ encoding, sample_rate: 8000 })).not.toThrow();
    });

    it('exports the documented encodings as ENCODINGS', () => {
      expect(ENCODINGS).toEqual(DOCUMENTED_ENCODINGS);
    });

    it('rejects an encoding that is not in the enumeration', () => {
      expect(errorFor({ encoding: 'mp3', sample_rate: 8000 }).option).toBe('encoding');
    });

    it('requires sample_rate when encoding is given', () => {
      expect(errorFor({ encoding: 'mulaw' }).option).toBe('sample_rate');
    });

    it.each([0, -8000, 8000.5, '8000'])('rejects sample_rate %p', (value) => {
      expect(errorFor({ encoding: 'mulaw', sample_rate: value }).option).toBe('sample_rate');
    });

    it('rejects sample_rate without encoding (the server would ignore it)', () => {
      expect(errorFor({ sample_rate: 16000 }).option).toBe('sample_rate');
    });

    it.each([0, 1.5, -1])('rejects channels %p', (value) => {
      expect(errorFor({ ...RAW, channels: value }).option).toBe('channels');
    });

    it('rejects channels without encoding (the server would ignore it)', () => {
      expect(errorFor({ channels: 2 }).option).toBe('channels');
    });
  });

  describe('endpointing', () => {
    it.each([0, 10, 500, false])('accepts %p', (value) => {
      expect(() => validateLiveOptions({ endpointing: value as number | false })).not.toThrow();
    });

    it.each([-1, 10.5, true, '10'])('rejects %p', (value) => {
      expect(errorFor({ endpointing: value }).option).toBe('endpointing');
    });

    it('rejects the deprecated vad_turnoff together with endpointing', () => {
      expect(errorFor({ endpointing: 10, vad_turnoff: 10 }).option).toBe('vad_turnoff');
    });
  });

  describe('keyterm', () => {
    it.each(['nova-3', 'nova-3-general', 'nova-3-medical', 'my-custom-model'])(
      'is accepted with model %p',
      (model) => {
        expect(() => validateLiveOptions({ model, keyterm: ['deepgram'] })).not.toThrow();
      },
    );

    it.each(['nova-2', 'nova-2-phonecall', 'nova', 'enhanced-meeting', 'base', 'phonecall'])(
      'is rejected with the older model %p',
      (model) => {
        expect(errorFor({ model, keyterm: ['deepgram'] }).option).toBe('keyterm');
      },
    );

    it('is rejected without a model (the server default is base)', () => {
      expect(errorFor({ keyterm: ['deepgram'] }).message).toMatch(/Nova-3/);
    });

    it('rejects empty terms and non-arrays', () => {
      expect(errorFor({ model: 'nova-3', keyterm: [''] }).option).toBe('keyterm');
      expect(errorFor({ model: 'nova-3', keyterm: 'deepgram' }).option).toBe('keyterm');
    });

    it('rejects a term with a lone surrogate, which cannot be percent-encoded', () => {
      expect(errorFor({ model: 'nova-3', keyterm: ['\ud800'] }).option).toBe('keyterm');
    });
  });

  it('rejects a Flux model, which /v1/listen does not serve', () => {
    expect(errorFor({ model: 'flux-general-en' }).option).toBe('model');
  });

  it.each(['keywords', 'search', 'replace', 'tag'])(
    'rejects %s that is not an array of non-empty strings',
    (option) => {
      expect(errorFor({ [option]: ['ok', 42] }).option).toBe(option);
      expect(errorFor({ [option]: 'ok' }).option).toBe(option);
    },
  );

  it.each([
    'multichannel',
    'interim_results',
    'vad_events',
    'punctuate',
    'smart_format',
    'no_delay',
    'diarize',
    'dictation',
    'filler_words',
    'numerals',
    'profanity_filter',
    'mip_opt_out',
    'detect_entities',
  ])('rejects %s given as the string "true"', (option) => {
    expect(errorFor({ [option]: 'true' }).option).toBe(option);
  });

  it.each(['model', 'language', 'version', 'diarize_model', 'tier'])('rejects an empty %s', (option) => {
    expect(errorFor({ [option]: '' }).option).toBe(option);
  });

  it('rejects a redact that is neither boolean, name nor array of names', () => {
    expect(errorFor({ redact: 1 }).option).toBe('redact');
    expect(errorFor({ redact: [''] }).option).toBe('redact');
  });

  describe('extra', () => {
    it('rejects an empty key', () => {
      expect(errorFor({ extra: { '': 'x' } }).option).toBe('extra');
    });

    it('rejects a key containing ":"', () => {
      expect(errorFor({ extra: { 'a:b': 'x' } }).option).toBe('extra');
    });

    it('rejects a value that is not a string', () => {
      expect(errorFor({ extra: { a: 1 } }).option).toBe('extra');
    });

    it('accepts a key:value pair of exactly 2048 characters and rejects 2049', () => {
      expect(() => validateLiveOptions({ extra: { a: 'x'.repeat(2046) } })).not.toThrow();
      expect(errorFor({ extra: { a: 'x'.repeat(2047) } }).message).toMatch(/2049 characters/);
    });
  });

  it.each([0, 1.5])('rejects alternatives %p', (value) => {
    expect(errorFor({ alternatives: value }).option).toBe('alternatives');
  });

  it('rejects a callback that is not an http(s) URL and an unknown callback_method', () => {
    expect(errorFor({ callback: 'ftp://example.test' }).option).toBe('callback');
    expect(errorFor({ callback: 'not a url' }).option).toBe('callback');
    expect(errorFor({ callback_method: 'post' }).option).toBe('callback_method');
  });

  describe('unknown keys and the query escape hatch', () => {
    it('rejects an unknown key, naming it and pointing to query', () => {
      const error = errorFor({ interim_result: true });
      expect(error.option).toBe('interim_result');
      expect(error.message).toMatch(/query/);
    });

    it('ignores an unknown key whose value is undefined', () => {
      expect(() => validateLiveOptions({ interim_result: undefined } as LiveOptions)).not.toThrow();
    });

    it('rejects a query key that names a modelled option', () => {
      expect(errorFor({ query: { utterance_end_ms: '10' } }).option).toBe('query');
    });

    it('rejects a query value that is not a string or string array', () => {
      expect(errorFor({ query: { beta: 1 } }).option).toBe('query');
      expect(errorFor({ query: { beta: ['a', true] } }).option).toBe('query');
    });
  });

  it.each([null, 'model=nova-3', ['nova-3']])('rejects options that are not an object (%p)', (options) => {
    expect(errorFor(options).option).toBe('options');
  });
});
