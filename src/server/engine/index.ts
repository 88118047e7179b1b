/**
 * The emulator's pure transcription engine and its recognizers (Node only: src/server).
 */
export { createEngine } from './engine';
export { silentRecognizer, scriptRecognizer, type ScriptRecognizerOptions } from './recognizers';
export {
  loadScript,
  loadScriptDirectory,
  loadScriptRecognizer,
  parseScript,
  SCRIPT_SUFFIX,
} from './scriptFile';
export { contentRecognizer, type ContentFormat, type ContentRecognizerOptions } from './contentRecognizer';
export { contentAudioFromWav, type ContentAudio } from './contentWav';
export {
  recognizerFromQuery,
  resolveRecognizer,
  SCRIPT_QUERY_PARAM,
  type RecognizerFromQueryOptions,
} from './recognizerSelect';
export { emulatedModel, type EmulatedModel, type EmulatedModelInfo } from './modelInfo';
export { DEFAULT_TUNING } from './tuning';
export type {
  EngineConfig,
  EngineFatal,
  EngineTuning,
  OutboundMessage,
  Recognizer,
  RecognizerFactory,
  RecognizerQuery,
  RecognizerSource,
  Script,
  ScriptWord,
  TranscriptionEngine,
} from './types';
