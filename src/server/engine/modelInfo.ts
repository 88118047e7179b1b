/**
 * The `model_info` and `model_uuid` the emulator reports for a `model` query value: constant per
 * model name, shaped like Deepgram's (protocol.md §3.1), derived without randomness.
 */
import { createHash } from 'node:crypto';

/** `{ name, version, arch }` as in `Results.metadata.model_info`. */
export interface EmulatedModelInfo {
  readonly name: string;
  readonly version: string;
  readonly arch: string;
}

/** A model's identity as reported in Results and Metadata. */
export interface EmulatedModel {
  readonly uuid: string;
  readonly info: EmulatedModelInfo;
}

const VERSION: Readonly<Record<string, string>> = {
  'nova-3': '2025-04-17.21547',
  'nova-2': '2024-01-18.26916',
  nova: '2024-01-09.29447',
  enhanced: '2022-05-18.0',
  base: '2024-01-26.8851',
  custom: '2024-01-01.0',
};

/** Ids seen in real output for these models (protocol.md §3, fixtures); others are derived. */
const KNOWN_UUID: Readonly<Record<string, string>> = {
  'general-nova-3': '40bd3654-e622-47c4-a111-63a61b23bfe8',
  '2-general-nova': 'c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c',
  '2-phonecall-nova': '7e3b5bdf-85ed-4fd2-9f7a-7721bbcad97b',
  general: '1ed36bac-f71c-4f3f-a31f-02fd6525c489',
};

function derivedUuid(name: string, arch: string): string {
  const hex = createHash('sha256').update(`deepgram-rx emulator model ${arch}/${name}`).digest('hex');
  // Shape it as a version-4 UUID (the version and variant nibbles set), like Deepgram's ids.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function nameAndArch(model: string): { name: string; arch: string } {
  const m = model.trim().toLowerCase();
  if (m === '' || m === 'base' || m === 'general') return { name: 'general', arch: 'base' };
  let match = /^nova-3(?:-(.+))?$/.exec(m);
  if (match) return { name: `${match[1] ?? 'general'}-nova-3`, arch: 'nova-3' };
  match = /^nova-2(?:-(.+))?$/.exec(m);
  if (match) return { name: `2-${match[1] ?? 'general'}-nova`, arch: 'nova-2' };
  match = /^nova(?:-(.+))?$/.exec(m);
  if (match) return { name: `${match[1] ?? 'general'}-nova`, arch: 'nova' };
  match = /^enhanced(?:-(.+))?$/.exec(m);
  if (match) return { name: `${match[1] ?? 'general'}-enhanced`, arch: 'enhanced' };
  match = /^base-(.+)$/.exec(m);
  if (match) return { name: match[1]!, arch: 'base' };
  if (/^(meeting|phonecall|finance|conversationalai|voicemail|video)$/.test(m))
    return { name: m, arch: 'base' };
  return { name: m, arch: 'custom' };
}

/**
 * The model identity for a `model` query value: `nova-2` gives
 * `{ name: '2-general-nova', version: '2024-01-18.26916', arch: 'nova-2' }`, no model gives the
 * default `general`/`base`. The same input always gives the same uuid.
 */
export function emulatedModel(model: string | undefined): EmulatedModel {
  const { name, arch } = nameAndArch(model ?? '');
  const uuid = KNOWN_UUID[name] ?? derivedUuid(name, arch);
  return { uuid, info: { name, version: VERSION[arch] ?? VERSION.custom!, arch } };
}
