/**
 * deepgram-rx: live speech-to-text streaming to Deepgram's WebSocket API as composable RxJS operators.
 * This entry point is isomorphic (browsers and Node); Node-only code lives in `deepgram-rx/node`.
 */
export type { Frame } from './protocol/frames';
export { KEEP_ALIVE, CLOSE_STREAM, finalizeFrame, isTextFrame } from './protocol/frames';
export {
  Results,
  Metadata,
  UtteranceEnd,
  SpeechStarted,
  ServerError,
  ServerMessage,
  Word,
  Alternative,
  ModelInfo,
} from './protocol/messages';
export type { UnknownMessage } from './protocol/messages';
export { withKeepAlive } from './operators/withKeepAlive';
export type { KeepAliveConfig } from './operators/withKeepAlive';
