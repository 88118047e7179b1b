/**
 * The emulator example of docs/testing.md, verbatim except for the imports (the docs import from
 * 'deepgram-rx' and 'deepgram-rx/node'). test/docs.testing.test.ts checks that the two agree.
 */
import { lastValueFrom, of, toArray } from 'rxjs';
import { startEmulator, type Emulator } from '../../src/server';
import { transcribe } from '../../src/session/transcribe';
import { nodeWebSocket } from '../../src/socket/nodeWebSocket';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator({ apiKey: 'test-key-123456', idleTimeoutMs: 500 });
});
afterEach(() => emulator.close());

it('ends with Metadata then Usage', async () => {
  const events = await lastValueFrom(
    of(new Uint8Array(32000)).pipe(
      transcribe({
        url: emulator.url,
        apiKey: 'test-key-123456',
        options: { encoding: 'linear16', sample_rate: 16000 },
        webSocket: nodeWebSocket(),
      }),
      toArray(),
    ),
  );
  expect(events.map((event) => event.type)).toEqual(['Open', 'Results', 'Metadata', 'Usage']);
  expect(emulator.sessions()[0]).toMatchObject({ audioBytes: 32000, closeCode: 1000 });
});
