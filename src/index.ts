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
export { decodeServerMessage } from './protocol/decode';
export type { DecodeFailure } from './protocol/decode';
export { ENCODINGS, LiveOptionsError } from './protocol/liveOptions';
export type { LiveOptions, Encoding, CallbackMethod } from './protocol/liveOptions';
export { listenUrl, DEFAULT_LISTEN_URL } from './protocol/listenUrl';
export { validateLiveOptions } from './protocol/validateLiveOptions';
export { gateSilence, GATE_SILENCE_DEFAULTS } from './operators/gateSilence';
export type { GateSilenceConfig, GatedSpan } from './operators/gateSilence';
export { LiveError, isRetryable } from './socket/liveError';
export type { LiveErrorKind, LiveErrorInit } from './socket/liveError';
export { liveErrorFromClose, liveErrorFromHandshake, parseRetryAfter } from './socket/errorMapping';
export type { CloseInfo } from './socket/errorMapping';
export { liveSocket } from './socket/liveSocket';
export type {
  LiveSocketConfig,
  OpenSocket,
  SocketEvent,
  SocketOpenEvent,
  SocketMessageEvent,
  SocketDecodeFailureEvent,
} from './socket/liveSocket';
export { nativeWebSocket } from './socket/nativeWebSocket';
export type { WebSocketConstructorLike } from './socket/nativeWebSocket';
export { authorizationHeader, authSubprotocols } from './socket/webSocketLike';
export type {
  WebSocketLike,
  WebSocketFactory,
  WebSocketRequest,
  LiveCredentials,
  UpgradeResponse,
  WebSocketLikeEventMap,
  WebSocketLikeHandler,
  WebSocketMessageEventLike,
  WebSocketCloseEventLike,
  SendTarget,
} from './socket/webSocketLike';
export { redactUrl } from './socket/redact';
export { fromMicrophone, MicrophoneError } from './audio/fromMicrophone';
export type {
  Microphone,
  MicrophoneConfig,
  MicrophoneFormat,
  MicrophoneConstraints,
  MicrophoneErrorKind,
} from './audio/fromMicrophone';
export { transcribe } from './session/transcribe';
export type {
  TranscribeConfig,
  TranscribeKeepAlive,
  TranscribeReconnect,
  TranscribeBackpressure,
  TranscribeGate,
  SecretSource,
} from './session/transcribe';
export type { TranscribeMeter } from './session/transcribeConfig';
export type {
  LiveEvent,
  LiveEventType,
  OpenEvent,
  ReconnectingEvent,
  GapEvent,
  DecodeFailureEvent,
  KeepAliveEvent,
  UsageEvent,
} from './session/liveEvent';
export { ofType } from './session/ofType';
export { AudioBufferOverflowError } from './session/audioBufferOverflowError';
export type { BufferWait } from './session/audioBufferOverflowError';
