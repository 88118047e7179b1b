import { createEngine } from '../../../src/server/engine/engine';
import { emulatedModel } from '../../../src/server/engine/modelInfo';
import { config } from './synth';

describe('model identity', () => {
  test.each([
    ['nova-3', 'general-nova-3', 'nova-3', '40bd3654-e622-47c4-a111-63a61b23bfe8'],
    ['nova-2', '2-general-nova', 'nova-2', 'c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c'],
    ['nova-2-phonecall', '2-phonecall-nova', 'nova-2', '7e3b5bdf-85ed-4fd2-9f7a-7721bbcad97b'],
    ['', 'general', 'base', '1ed36bac-f71c-4f3f-a31f-02fd6525c489'],
  ])('model %p reports name %p, arch %p and uuid %p as Deepgram does', (model, name, arch, uuid) => {
    expect(emulatedModel(model)).toMatchObject({ uuid, info: { name, arch } });
  });

  test('other models get a stable uuid-shaped id derived from the name', () => {
    const a = emulatedModel('nova-3-medical');
    expect(a).toEqual(emulatedModel('nova-3-medical'));
    expect(a.info).toMatchObject({ name: 'medical-nova-3', arch: 'nova-3' });
    expect(a.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.uuid).not.toBe(emulatedModel('nova-3').uuid);
    // Derived from the name: a fixed value, and another name gets another id.
    expect(a.uuid).toBe('0474d286-e92b-4c2f-a5aa-5867405584c1');
    expect(emulatedModel('my-custom-model').uuid).not.toBe(a.uuid);
    expect(emulatedModel('nova-2-finance').uuid).not.toBe(a.uuid);
  });
});

describe('createEngine validation', () => {
  test.each([
    [{ channels: 0 }, /channels/],
    [{ endpointing: -1 }, /endpointing/],
    [{ utteranceEndMs: 0 }, /utteranceEndMs/],
    [{ tuning: { frameMs: Number.NaN } }, /frameMs/],
    [{ tuning: { thresholdDbfs: 3 } }, /thresholdDbfs/],
  ])('rejects %p with a RangeError naming the field', (overrides, message) => {
    expect(() => createEngine(config(overrides))).toThrow(message);
  });
});
