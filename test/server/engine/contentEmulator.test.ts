/**
 * Content-aware scripts through the emulator on real sockets: scripts loaded from a directory,
 * picked by the query, one fresh recognizer state per connection.
 */
import { startEmulator, type Emulator } from '../../../src/server';
import { loadScriptDirectory, loadScriptRecognizer } from '../../../src/server/engine/scriptFile';
import { recognizerFromQuery } from '../../../src/server/engine/recognizerSelect';
import { TestClient, type Message } from '../support';
import {
  expectedAfterDrops,
  gated,
  label,
  round6,
  sample,
  sampleByte,
  sampleScript,
  sampleScriptPath,
  samplesDir,
} from './contentSynth';
import { chunks } from './synth';

const QUERY = 'encoding=linear16&sample_rate=16000&punctuate=true&emulator_script=pauses-16k';

let emulator: Emulator;
const clients: TestClient[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    idleTimeoutMs: 2000,
    recognizer: recognizerFromQuery(loadScriptDirectory(samplesDir)),
  });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});

afterAll(async () => {
  await emulator.close();
});

/** Streams `audio` on a new connection in 100 ms frames, then CloseStream; returns every message. */
async function transcribe(audio: Uint8Array): Promise<Message[]> {
  const client = await TestClient.connect(`${emulator.url}?${QUERY}`);
  clients.push(client);
  for (const part of chunks(audio, [3200])) client.send(part);
  client.send(JSON.stringify({ type: 'CloseStream' }));
  await client.waitFor('Metadata', 10_000);
  return client.messages;
}

interface WireWord {
  word: string;
  start: number;
  end: number;
}

function finalWords(messages: readonly Message[]): string[] {
  return messages
    .filter((m) => m.type === 'Results' && m['is_final'] === true)
    .flatMap((m) => (m['channel'] as { alternatives: { words: WireWord[] }[] }).alternatives[0]!.words)
    .map(label);
}

describe('content-aware scripts in the emulator', () => {
  test('loadScriptRecognizer makes the sample content-aware (its WAV is next to it)', () => {
    expect(typeof loadScriptRecognizer(sampleScriptPath).forSession).toBe('function');
  });

  test('a gated connection and a replaying one each get the words of the audio they sent', async () => {
    const drops = [
      { from: 0.2, to: 0.9 },
      { from: 3.6, to: 6.3 },
      { from: 10.2, to: 21.8 },
    ];
    const from = 22.3; // the reconnect replays from inside 'still' (22.013-22.456)
    const [gatedRun, replay] = await Promise.all([
      transcribe(gated(drops).subarray(0, sampleByte(12))),
      transcribe(sample.data.subarray(sampleByte(from), sampleByte(28))),
    ]);
    expect(finalWords(gatedRun)).toEqual(
      expectedAfterDrops(sampleScript.words, drops).filter((w) => Number(w.split(/[@-]/)[2]) <= 12),
    );
    expect(finalWords(replay)).toEqual(
      sampleScript.words
        .filter((w) => w.start >= from && w.end <= 28)
        .map((w) => label({ ...w, start: round6(w.start - from), end: round6(w.end - from) })),
    );
  });
});
