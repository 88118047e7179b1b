import { TestScheduler } from 'rxjs/testing';
import { gateSilence } from '../../src/operators/gateSilence';
import { withKeepAlive } from '../../src/operators/withKeepAlive';
import { KEEP_ALIVE } from '../../src/protocol/frames';
import { encode, silence, tone } from './gateSilenceSignals';

// 100 ms chunks of linear16 at 8 kHz: S = speech (a -20 dBFS tone), z = digital silence.
const S = encode(tone(8000, 0.1, -20), 'linear16');
const z = encode(silence(8000, 0.1), 'linear16');
const audio = { S, z };
const values = { S, z, k: KEEP_ALIVE };
const gate = gateSilence({ encoding: 'linear16', sample_rate: 8000, prerollMs: 100, hangoverMs: 100 });

/** One chunk every 100 ms, then completion 100 ms after the last one. */
const every100ms = (plan: string): string => `${[...plan].join(' 99ms ')} 99ms |`;

function newTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

test('during a gated pause KeepAlives flow every intervalMs, and the preroll comes back with the speech', () => {
  newTestScheduler().run(({ cold, expectObservable }) => {
    const audio$ = cold(every100ms('SSS' + 'z'.repeat(13) + 'SSS'), audio);
    // z at 300 is the hangover; 400..1500 are held; at 1600 the preroll (a copy of the z at 1500) and S.
    expectObservable(audio$.pipe(gate, withKeepAlive({ idleMs: 250, intervalMs: 200 }))).toBe(
      'S 99ms S 99ms S 99ms z 249ms k 199ms k 199ms k 199ms k 199ms k 199ms k 49ms (zS) 96ms S 99ms S 99ms |',
      values,
    );
  });
});

test('no KeepAlive is sent while audio flows, silent chunks within the hangover included', () => {
  newTestScheduler().run(({ cold, expectObservable }) => {
    const gateWithHangover = gateSilence({ encoding: 'linear16', sample_rate: 8000, hangoverMs: 300 });
    const plan = 'SSzSSzzSSSzzzSS';
    expectObservable(
      cold(every100ms(plan), audio).pipe(gateWithHangover, withKeepAlive({ idleMs: 250 })),
    ).toBe(every100ms(plan), values);
  });
});

test('KeepAlive timing restarts from the last chunk when speech resumes', () => {
  newTestScheduler().run(({ cold, expectObservable }) => {
    const audio$ = cold(every100ms('SS' + 'z'.repeat(8) + 'SS' + 'z'.repeat(6)), audio);
    // k at 450, 700, 950; speech at 1000; after the hangover chunk at 1200 the next k is at 1450, not 1200.
    expectObservable(audio$.pipe(gate, withKeepAlive({ idleMs: 250 }))).toBe(
      'S 99ms S 99ms z 249ms k 249ms k 249ms k 49ms (zS) 96ms S 99ms z 249ms k 249ms k 99ms |',
      values,
    );
  });
});
