import { fakeResults } from 'deepgram-rx/testing';
import { EMPTY_TRANSCRIPT, addResults, transcriptText } from '../../examples/angular/transcript';

describe('the Angular example transcript', () => {
  it('shows the interim hypothesis after the finals and replaces it with the next one', () => {
    let transcript = addResults(EMPTY_TRANSCRIPT, fakeResults({ transcript: 'Hello from', start: 0 }));
    transcript = addResults(transcript, fakeResults({ transcript: 'This', start: 1, is_final: false }));
    transcript = addResults(
      transcript,
      fakeResults({ transcript: 'This sample', start: 1, is_final: false }),
    );
    expect(transcriptText(transcript)).toBe('Hello from This sample');
  });

  it('drops the interim when a final arrives and keeps the finals in order', () => {
    let transcript = addResults(EMPTY_TRANSCRIPT, fakeResults({ transcript: 'one', is_final: false }));
    transcript = addResults(transcript, fakeResults({ transcript: 'One.' }));
    transcript = addResults(transcript, fakeResults({ transcript: 'Two.', start: 1 }));
    expect(transcript).toEqual({ finals: ['One.', 'Two.'], interim: '' });
  });

  it('ignores empty finals and results of other channels', () => {
    const start = addResults(EMPTY_TRANSCRIPT, fakeResults({ transcript: 'kept' }));
    const afterEmpty = addResults(start, fakeResults({ transcript: '', start: 1 }));
    const afterOther = addResults(afterEmpty, fakeResults({ transcript: 'other', channel_index: [1, 2] }));
    expect(afterOther).toBe(start);
  });

  it('is empty before any result', () => {
    expect(transcriptText(EMPTY_TRANSCRIPT)).toBe('');
  });
});
