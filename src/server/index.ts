/**
 * The emulator's public surface, re-exported by `deepgram-rx/node`.
 */
export { startEmulator } from './emulator';
export type {
  ClosedBy,
  Emulator,
  EmulatorConfig,
  EmulatorEvents,
  EmulatorSession,
  HandshakeRecord,
  WaitOptions,
} from './emulatorTypes';
export type {
  CloseFault,
  DropFault,
  FaultContext,
  FaultPlan,
  FaultTrigger,
  HandshakeRefusal,
  MalformedFault,
  SessionFault,
  SessionFaults,
  StallFault,
} from './faults';
export type { AuthScheme } from './auth';
export type { ListenQuery } from './query';
export { DATA0000_REASON, NET0000_REASON, NET0001_REASON } from './closeReasons';
