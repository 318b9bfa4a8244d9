// upload-random with 4 workers against Kafka and RGW: 20 visits × 10 LSSTCam detectors = 200 raws,
// every one in the bucket with its sidecar, every visit announced, no exposure id twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentByName } from '../../service/domain/instruments';
import { parseRawKey } from '../../service/domain/raw-keys';
import { randomPool } from '../../tester/pool/curated-groups';
import { makeUnobserved } from '../../tester/pool/make-unobserved';
import { uploadRandom } from '../../tester/upload/upload-runs';
import { messageCount } from '../support/kafka';
import { type TesterFixture, testerFixture } from '../support/tester';

describe('prompt-tester upload-random (Kafka + RGW)', () => {
  let f: TesterFixture;

  beforeAll(async () => {
    f = await testerFixture('random');
    const detectors = instrumentByName('LSSTCam')
      .detectors.slice(0, 10)
      .map((d) => d.id);
    await makeUnobserved({
      bucket: f.usersBucket,
      pool: randomPool('LSSTCam', 5, detectors),
      kind: 'random',
      ampSize: { dataWidth: 16, dataHeight: 16 },
      nowUtc: new Date(),
    });
  }, 120_000);

  afterAll(async () => {
    await f?.cleanup();
  });

  it('finishes 200 files with 4 workers without loss', async () => {
    const report = await uploadRandom(await f.context('LSSTCam', 'random'), 20, 4, 42);
    expect(report.groups).toHaveLength(20);
    expect(report.files).toBe(200);
    expect(report.filesPerSecond).toBeGreaterThan(0);
    const keys = await f.rawBucket.list('LSSTCam/');
    const raws = keys.filter((k) => k.endsWith('.fits'));
    const sidecars = new Set(keys.filter((k) => k.endsWith('.json')));
    expect(raws).toHaveLength(200);
    expect(sidecars.size).toBe(200);
    expect(new Set(raws)).toEqual(new Set(report.groups.flatMap((g) => g.rawKeys)));
    const exposures = new Set(
      raws.map((k) => {
        const key = parseRawKey(k);
        if (key?.style !== 'lsst') throw new Error(`unparsable key ${k}`);
        return key.dayObs * 100_000 + key.seqNum;
      }),
    );
    expect(exposures.size).toBe(20);
    expect(await messageCount(f.kafka, f.topic)).toBe(20);
  }, 60_000);
});
