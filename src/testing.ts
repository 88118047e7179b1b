/**
 * deepgram-rx/testing: helpers for marble-testing pipelines built on deepgram-rx, without a network.
 */
export { fakeDeepgram } from './testing/fakeDeepgram';
export type { FakeDeepgram, FakeDeepgramConfig } from './testing/fakeDeepgram';
export { FakeConnection } from './testing/fakeConnection';
export type {
  SentFrame,
  FakeClose,
  FakeHandshakeFailure,
  // The FakeConnection constructor's settings (fakeDeepgram makes connections; named for completeness).
  FakeConnectionSettings,
} from './testing/fakeConnection';
export { fakeResults } from './testing/fakeMessages';
export type { FakeResultsInit } from './testing/fakeMessages';
