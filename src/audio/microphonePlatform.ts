/**
 * The browser APIs `fromMicrophone` uses, behind a small seam so that the stream's lifecycle
 * (acquire, release, errors) is unit-tested with fakes in Node. `browserPlatform()` is the real one.
 */
import { batchFrames, CAPTURE_PROCESSOR, CAPTURE_PROCESSOR_SOURCE } from './microphoneWorklet';
import { microphoneError } from './microphoneError';

/** The part of a `MediaStreamTrack` used here. */
export interface TrackLike {
  stop(): void;
  addEventListener(type: 'ended', listener: () => void): void;
  removeEventListener(type: 'ended', listener: () => void): void;
}

/** The part of a `MediaStream` used here. */
export interface StreamLike {
  getAudioTracks(): TrackLike[];
  getTracks(): TrackLike[];
}

/** The part of an `AudioContext` used here. */
export interface ContextLike {
  readonly sampleRate: number;
  readonly state: string;
  resume(): Promise<void>;
  close(): Promise<void>;
}

/** The capture graph: the stream's source node feeding the worklet node. */
export interface CaptureGraph {
  /** Receives the worklet's messages (mono `Float32Array` batches). */
  onSamples(listener: (samples: Float32Array) => void): void;
  /** Disconnects both nodes and closes the worklet's port. */
  disconnect(): void;
}

/** Track constraints `fromMicrophone` passes to `getUserMedia` (a subset of `MediaTrackConstraints`). */
export interface MicrophoneConstraints {
  /** A device from `navigator.mediaDevices.enumerateDevices()` (`{ exact: id }` to insist on it). */
  deviceId?: string | { exact?: string; ideal?: string };
  /** Browser echo cancellation (browser default when unset). */
  echoCancellation?: boolean | { exact?: boolean; ideal?: boolean };
  /** Browser noise suppression (browser default when unset). */
  noiseSuppression?: boolean | { exact?: boolean; ideal?: boolean };
  /** Browser automatic gain control (browser default when unset). */
  autoGainControl?: boolean | { exact?: boolean; ideal?: boolean };
}

/** What `fromMicrophone` needs from the platform. */
export interface MicrophonePlatform<C extends ContextLike = ContextLike, S extends StreamLike = StreamLike> {
  /** Makes the AudioContext (synchronously, so that a click handler's user activation counts). */
  createContext(): C;
  getUserMedia(audio: MicrophoneConstraints | true): Promise<S>;
  /** Loads the capture processor into the context's worklet scope. */
  loadProcessor(context: C): Promise<void>;
  /** Builds source → worklet for the stream. */
  connect(context: C, stream: S): CaptureGraph;
}

interface BrowserGlobals {
  navigator?: { mediaDevices?: { getUserMedia?: (c: MediaStreamConstraints) => Promise<MediaStream> } };
  AudioContext?: typeof AudioContext;
  AudioWorkletNode?: typeof AudioWorkletNode;
}

/**
 * The real browser platform, or a `MicrophoneError` of kind `'unsupported'` naming what is missing
 * (checked when a subscription starts, so that merely calling `fromMicrophone` is safe in SSR).
 */
export function browserPlatform(): MicrophonePlatform<AudioContext, MediaStream> {
  const g = globalThis as BrowserGlobals;
  const mediaDevices = g.navigator?.mediaDevices;
  const missing = [
    typeof mediaDevices?.getUserMedia !== 'function' && 'navigator.mediaDevices.getUserMedia',
    typeof g.AudioContext !== 'function' && 'AudioContext',
    typeof g.AudioWorkletNode !== 'function' && 'AudioWorkletNode',
  ].filter((s): s is string => typeof s === 'string');
  if (missing.length > 0 || mediaDevices === undefined) {
    throw microphoneError('unsupported', new Error(`missing: ${missing.join(', ')}`));
  }
  const Context = g.AudioContext!;
  const WorkletNode = g.AudioWorkletNode!;
  return {
    createContext: () => new Context(),
    getUserMedia: (audio) => mediaDevices.getUserMedia!.call(mediaDevices, { audio, video: false }),
    async loadProcessor(context) {
      const url = URL.createObjectURL(new Blob([CAPTURE_PROCESSOR_SOURCE], { type: 'text/javascript' }));
      try {
        await context.audioWorklet.addModule(url);
      } finally {
        URL.revokeObjectURL(url);
      }
    },
    connect(context, stream) {
      const node = new WorkletNode(context, CAPTURE_PROCESSOR, {
        numberOfInputs: 1,
        numberOfOutputs: 0,
        processorOptions: { batchFrames: batchFrames(context.sampleRate) },
      });
      const source = context.createMediaStreamSource(stream);
      source.connect(node);
      return {
        onSamples(listener) {
          node.port.onmessage = (event: MessageEvent<unknown>) => {
            if (event.data instanceof Float32Array) listener(event.data);
          };
        },
        disconnect() {
          node.port.onmessage = null;
          node.port.close();
          source.disconnect();
          node.disconnect();
        },
      };
    },
  };
}
