/**
 * deepgram-rx/node: the Node-only parts of deepgram-rx (WAV files, the `ws` transport, the emulator).
 */
export { readWav, type ReadWavConfig, type WavAudio } from './audio/readWav';
export { WavFileError, type WavFileErrorKind, type WavFormatInfo } from './audio/wavFileError';
export type { WavFormat } from './audio/wavHeader';
export { nodeWebSocket } from './socket/nodeWebSocket';
export type { NodeWebSocketOptions } from './socket/nodeWebSocket';
export { NodeWebSocketAdapter } from './socket/nodeWebSocketAdapter';
export type {
  NodeOpenEvent,
  NodeMessageEvent,
  NodeCloseEvent,
  NodeErrorEvent,
} from './socket/nodeWebSocketAdapter';
export { startEmulator, NET0001_REASON, NET0000_REASON, DATA0000_REASON } from './server';
export type {
  Emulator,
  EmulatorConfig,
  EmulatorSession,
  EmulatorEvents,
  HandshakeRecord,
  WaitOptions,
  ClosedBy,
  FaultPlan,
  SessionFault,
  SessionFaults,
  CloseFault,
  DropFault,
  StallFault,
  MalformedFault,
  FaultTrigger,
  FaultContext,
  HandshakeRefusal,
  AuthScheme,
  ListenQuery,
} from './server';
export {
  scriptRecognizer,
  silentRecognizer,
  loadScript,
  loadScriptDirectory,
  parseScript,
  recognizerFromQuery,
  resolveRecognizer,
  contentRecognizer,
  contentAudioFromWav,
  loadScriptRecognizer,
} from './server/engine';
export type {
  Recognizer,
  RecognizerFactory,
  RecognizerQuery,
  RecognizerSource,
  Script,
  ScriptWord,
  ScriptRecognizerOptions,
  RecognizerFromQueryOptions,
  EngineTuning,
  ContentFormat,
  ContentRecognizerOptions,
  ContentAudio,
  // What `EmulatorConfig.createEngine` takes and returns: a custom engine needs to name them.
  EngineConfig,
  EngineFatal,
  OutboundMessage,
  TranscriptionEngine,
} from './server/engine';
