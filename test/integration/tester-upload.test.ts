import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeKey, judgeSidecar } from '../../service/activator/snap-matcher';
import { S3ObjectBucket } from '../../service/adapters/s3/s3-object-bucket';
import { readFits } from '../../service/domain/fits';
import {
  fanOutVisit,
  parseFannedOutVisit,
  parseSummitVisit,
  type SummitVisit,
} from '../../service/domain/next-visit';
import { parseRawKey, sidecarKeyOf } from '../../service/domain/raw-keys';
import { CURATED_POOLS, type CuratedPool } from '../../tester/pool/curated-groups';
import { makeUnobserved } from '../../tester/pool/make-unobserved';
import { groupRecordKey, type SentGroup } from '../../tester/upload/upload-group';
import { UploadFailedError, uploadCurated } from '../../tester/upload/upload-runs';
import { TopicReader } from '../support/kafka';
import { kafkaBootstrap, uniqueName } from '../support/local-services';
import { type BinRun, runBin } from '../support/run-bin';
import { type TesterFixture, testerFixture } from '../support/tester';

const AMP = { dataWidth: 32, dataHeight: 32 };
// One HSC raw (4.6 s to simulate at full size) stands in for the 10 of the curated pool.
const HSC_ONE: CuratedPool = {
  instrument: 'HSC',
  groups: [{ ...(CURATED_POOLS.HSC.groups[2] as CuratedPool['groups'][number]), detectors: [50] }],
};

function runTester(args: string[], env: Record<string, string>): Promise<BinRun> {
  return runBin('prompt-tester', args, env);
}

describe('prompt-tester upload (Kafka + RGW)', () => {
  let f: TesterFixture;
  let reader: TopicReader;
  const runs: SentGroup[][] = [];

  beforeAll(async () => {
    f = await testerFixture('tester');
    const now = new Date();
    await makeUnobserved({
      bucket: f.usersBucket,
      pool: CURATED_POOLS.LATISS,
      kind: 'curated',
      ampSize: AMP,
      nowUtc: now,
    });
    await makeUnobserved({ bucket: f.usersBucket, pool: HSC_ONE, kind: 'curated', nowUtc: now });
    reader = await TopicReader.start(f.kafka, f.topic);
    for (let run = 0; run < 2; run++)
      runs.push([...(await uploadCurated(await f.context('LATISS', 'curated'), 3)).groups]);
  }, 120_000);

  afterAll(async () => {
    await reader?.stop();
    await f?.cleanup();
  });

  it('puts one next_visit per group on the topic, each fanning out to valid FannedOutVisits', async () => {
    const messages = await reader.waitFor((m) => m.length >= 6, 10_000);
    const visits: SummitVisit[] = messages.map((m) => parseSummitVisit(JSON.parse(m.value)));
    expect(visits.map((v) => v.groupId)).toEqual(runs.flat().map((g) => g.groupId));
    for (const visit of visits) {
      expect(visit.instrument).toBe('LATISS');
      expect(visit.nimages).toBe(1);
      expect(parseFannedOutVisit(fanOutVisit(visit, [0])[0]).detector).toBe(0);
    }
    expect(visits[2]?.position).toEqual([300, -45]); // the no-template group
  });

  it('uploads raws at keys the service matches, with sidecars and headers carrying the new ids', async () => {
    for (const group of runs.flat()) {
      expect(group.rawKeys).toHaveLength(1);
      const key = group.rawKeys[0] as string;
      const expected = { instrument: 'LATISS', detector: 0, group: group.groupId, nimages: 1 };
      const verdict = judgeKey(key, expected);
      if (verdict.kind !== 'needs-sidecar') throw new Error(`${key}: ${verdict.kind}`);
      const sidecarBytes = await f.rawBucket.get(sidecarKeyOf(key));
      const sidecar = JSON.parse(Buffer.from(sidecarBytes ?? []).toString('utf8')) as Record<string, unknown>;
      expect(judgeSidecar(key, verdict.rawKey, sidecar, expected)?.exposureId).toBe(group.exposureIds[0]);
      const header = readFits(new Uint8Array((await f.rawBucket.get(key)) ?? [])).hdus[0]?.header;
      const parsed = parseRawKey(key);
      if (parsed?.style !== 'lsst') throw new Error(`not an LSST key: ${key}`);
      expect(header?.string('GROUPID')).toBe(group.groupId);
      expect(header?.string('OBSID')).toBe(parsed.obsId);
      expect(header?.integer('SEQNUM')).toBe(parsed.seqNum);
      expect(header?.string('DAYOBS')).toBe(String(parsed.dayObs));
      expect(sidecar.OBSID).toBe(parsed.obsId);
      expect(sidecar.GROUPID).toBe(group.groupId);
      // verify's record of the group is there too.
      expect(await f.usersBucket.get(groupRecordKey('LATISS', group.groupId))).toBeDefined();
    }
  });

  it('gives two consecutive runs disjoint exposure ids', () => {
    const [first, second] = runs.map((run) => run.flatMap((g) => g.exposureIds));
    expect(first).toHaveLength(3);
    expect(new Set([...(first ?? []), ...(second ?? [])]).size).toBe(6);
  });

  it('writes HSC raws with EXP-ID equal to the exposure id in the key', async () => {
    const report = await uploadCurated(await f.context('HSC', 'curated'), 1);
    const group = report.groups[0];
    const key = group?.rawKeys[0] ?? '';
    expect(
      judgeKey(key, { instrument: 'HSC', detector: 50, group: group?.groupId ?? '', nimages: 1 }),
    ).toMatchObject({
      kind: 'match',
      raw: { exposureId: group?.exposureIds[0] },
    });
    const header = readFits(new Uint8Array((await f.rawBucket.get(key)) ?? [])).hdus[0]?.header;
    expect(header?.string('EXP-ID')).toBe(`HSCE${String(group?.exposureIds[0]).padStart(8, '0')}`);
  });

  it('fails with UploadFailedError listing the next_visit already sent when the raw bucket is missing', async () => {
    const missing = new S3ObjectBucket(f.s3, uniqueName('it-missing').toLowerCase());
    const attempt = uploadCurated(await f.context('LATISS', 'curated', missing), 2);
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadFailedError);
    expect((error as UploadFailedError).sent[0]?.nextVisitSent).toBe(true);
    expect((error as Error).message).toMatch(
      /does not exist.*already sent: \S+ \(next_visit sent, 0 raw\(s\)\)/,
    );
  });

  it('fails through the CLI with one clear line and exit 1 when the bucket is missing or the broker is down', async () => {
    const env = { S3_ENDPOINT_URL: f.endpoint, KAFKA_CLUSTER: kafkaBootstrap };
    const common = [
      '--users-bucket',
      f.usersBucket.bucket,
      '--topic',
      f.topic,
      '--slew-seconds',
      '0',
      '--snap-seconds',
      '0',
    ];
    const noBucket = await runTester(
      ['upload', 'LATISS', '1', '--raw-bucket', 'it-no-such-bucket-x', ...common],
      env,
    );
    expect(noBucket.code).toBe(1);
    expect(noBucket.stderr).toMatch(/prompt-tester: bucket it-no-such-bucket-x does not exist/);
    const noBroker = await runTester(
      ['upload', 'LATISS', '1', '--raw-bucket', f.rawBucket.bucket, '--kafka', '127.0.0.1:1', ...common],
      env,
    );
    expect(noBroker.code).toBe(1);
    expect(noBroker.stderr).toMatch(
      /prompt-tester: upload failed: kafka did not take 1 message\(s\) for topic .*; nothing was sent/,
    );
  }, 60_000);
});
