/**
 * Builders of server messages for the CLI's rendering tests.
 */
import type { UsageEvent } from '../../src/session/liveEvent';
import type { Results } from '../../src/protocol/messages';

export interface WordSpec {
  word: string;
  start: number;
  end: number;
}

/** A Results message with one alternative. */
export function results(
  transcript: string,
  init: {
    start?: number;
    duration?: number;
    isFinal?: boolean;
    words?: WordSpec[];
    channels?: [number, number];
  } = {},
): Results {
  return {
    type: 'Results',
    channel_index: init.channels ?? [0, 1],
    start: init.start ?? 0,
    duration: init.duration ?? 1,
    is_final: init.isFinal ?? true,
    speech_final: init.isFinal ?? true,
    channel: {
      alternatives: [
        {
          transcript,
          confidence: 0.99,
          words: (init.words ?? []).map((w) => ({ ...w, confidence: 0.99 })),
        },
      ],
    },
    metadata: {
      request_id: '00000000-0000-4000-8000-000000000000',
      model_info: { name: 'general-nova-3', version: '2025-04-17.21547', arch: 'nova-3' },
      model_uuid: '40bd3654-e622-47c4-a111-63a61b23bfe8',
    },
  };
}

/** A Usage event; fields not given are zero or false. */
export function usage(init: Partial<Omit<UsageEvent, 'type'>> = {}): UsageEvent {
  return {
    type: 'Usage',
    audioSeconds: 0,
    keepAlives: 0,
    idleSeconds: 0,
    connections: 1,
    audioBytes: 0,
    gatedSeconds: 0,
    wallSeconds: 0,
    final: true,
    closeTimedOut: false,
    ...init,
  };
}
