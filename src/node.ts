/**
 * deepgram-rx/node: the Node-only parts of deepgram-rx (WAV files, the `ws` transport, the emulator).
 */
export { readWav, type ReadWavConfig, type WavAudio } from './audio/readWav';
export { WavFileError, type WavFileErrorKind, type WavFormatInfo } from './audio/wavFileError';
export type { WavFormat } from './audio/wavHeader';
export { nodeWebSocket } from './socket/nodeWebSocket';
export type { NodeWebSocketOptions } from './socket/nodeWebSocket';
