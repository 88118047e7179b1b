import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { decodeServerMessage } from '../../src/protocol/decode';

// Real Results recorded from Deepgram (see ../shared/fixtures/README.md), outside the repository.
const FIXTURES = resolve(__dirname, '../../../shared/fixtures/deepgram-recorded');
const files = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.json'))
  .sort();

function responseText(file: string): string {
  const fixture = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as { response: unknown };
  return JSON.stringify(fixture.response);
}

describe('recorded Deepgram responses', () => {
  it('are all present (twenty files)', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files)('%s decodes as Results', (file) => {
    const decoded = decodeServerMessage(responseText(file));
    expect(decoded).toEqual(E.right(expect.objectContaining({ type: 'Results' })));
  });

  it.each(files)('%s keeps every word of its transcript', (file) => {
    const decoded = decodeServerMessage(responseText(file));
    if (E.isLeft(decoded) || decoded.right.type !== 'Results') throw new Error('not decoded as Results');
    const alternative = decoded.right.channel.alternatives[0]!;
    const words = alternative.words.map((word) => word.punctuated_word ?? word.word).join(' ');
    expect(words).toBe(alternative.transcript);
  });
});
