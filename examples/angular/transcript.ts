/**
 * The running transcript of one session, built from `Results`: every final segment in order, then
 * the latest interim hypothesis (which the next result replaces). Pure functions, no Angular.
 */
import type { Results } from 'deepgram-rx';

/** The transcript so far: final segments in order, then the current interim text ('' when none). */
export interface Transcript {
  readonly finals: readonly string[];
  readonly interim: string;
}

/** The transcript of a session that has received no results. */
export const EMPTY_TRANSCRIPT: Transcript = { finals: [], interim: '' };

/**
 * Adds one `Results` message to a transcript: a final (`is_final: true`) appends its text (when not
 * empty) and clears the interim; an interim replaces the previous interim. Results of another
 * channel than `channel` (0-based, `channel_index[0]`) leave the transcript unchanged.
 *
 * @param transcript - the transcript so far
 * @param results - a `Results` message
 * @param channel - the channel to follow (default 0)
 * @returns a new transcript (the argument is never mutated), or the same one when nothing changed
 * @example
 * ```ts
 * import { addResults, EMPTY_TRANSCRIPT, transcriptText } from './transcript';
 * const next = addResults(EMPTY_TRANSCRIPT, results);
 * console.log(transcriptText(next));
 * ```
 */
export function addResults(transcript: Transcript, results: Results, channel = 0): Transcript {
  if ((results.channel_index[0] ?? 0) !== channel) return transcript;
  const text = results.channel.alternatives[0]?.transcript ?? '';
  if (results.is_final === true) {
    if (text === '')
      return transcript.interim === '' ? transcript : { finals: transcript.finals, interim: '' };
    return { finals: [...transcript.finals, text], interim: '' };
  }
  return text === transcript.interim ? transcript : { finals: transcript.finals, interim: text };
}

/**
 * The transcript as one line of text: the final segments, then the interim, joined by spaces.
 *
 * @example
 * ```ts
 * import { transcriptText } from './transcript';
 * transcriptText({ finals: ['Hello from Deepgram RX.'], interim: 'This sample' }); // 'Hello from Deepgram RX. This sample'
 * ```
 */
export function transcriptText(transcript: Transcript): string {
  const parts = transcript.interim === '' ? transcript.finals : [...transcript.finals, transcript.interim];
  return parts.join(' ');
}
