import { ofType, transcribe } from 'deepgram-rx';
import { nodeWebSocket, readWav } from 'deepgram-rx/node';

// 38 s of speech with a 12 s pause: KeepAlive holds the connection, the gate skips the silence.
const { format, audio$ } = readWav('samples/pauses-16k.wav', { pace: 'realtime' });

audio$
  .pipe(
    transcribe({
      options: { model: 'nova-3', ...format, interim_results: true, punctuate: true },
      apiKey: process.env.DEEPGRAM_API_KEY, // or url: emulator.url for the local emulator
      webSocket: nodeWebSocket(), // the default in Node (ws), explicit here; browsers use the native one
      gate: true, // drop silence: Deepgram bills every second of audio sent
    }),
    ofType('Results', 'Usage'),
  )
  .subscribe((event) => {
    if (event.type === 'Usage') console.log(`billed ${event.audioSeconds.toFixed(1)} s`);
    else if (event.is_final) console.log(event.start.toFixed(1), event.channel.alternatives[0]?.transcript);
  });
