/**
 * Writes small linear16 mono WAV files for the CLI's end-to-end tests (independently of the code
 * under test: a plain 44-byte header).
 */
import { writeFileSync } from 'node:fs';

/** A piece of audio: a tone or digital silence, in seconds. */
export type Segment = { tone: number } | { silence: number };

/** Writes `segments` at `sampleRate` Hz as a 16-bit PCM mono WAV file at `path`. */
export function writeWav(path: string, segments: Segment[], sampleRate = 16000): void {
  const samples: number[] = [];
  for (const segment of segments) {
    const count = Math.round(('tone' in segment ? segment.tone : segment.silence) * sampleRate);
    for (let i = 0; i < count; i++) {
      samples.push(
        'tone' in segment ? Math.round(0.3 * 32767 * Math.sin((2 * Math.PI * 440 * i) / sampleRate)) : 0,
      );
    }
  }
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((sample, i) => data.writeInt16LE(sample, i * 2));
  writePcmWav(path, data, sampleRate);
}

/** Writes 16-bit little-endian mono PCM samples (`data`) at `sampleRate` Hz as a WAV file at `path`. */
export function writePcmWav(path: string, data: Uint8Array, sampleRate: number): void {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([header, data]));
}
