// The prompt service end to end on the real backends: POST /next-visit (structured CloudEvent) →
// activator → central repo (RGW + PostgreSQL) → raws PUT into RGW, announced through the bridge and
// Kafka → test pipelines (test/fixtures/pipelines/HSC) → APDB (PostgreSQL) → export. Each case checks
// the HTTP answer, what reached the APDB and the central repo, and that no local repo is left behind.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, DeleteTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CloudEvent, HTTP } from 'cloudevents';
import type { FastifyInstance } from 'fastify';
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExportTypes } from '../../service/activator/export-outputs';
import { writeInitOutputs } from '../../service/activator/init-outputs';
import { Activator } from '../../service/activator/process-visit';
import { RawArrivals } from '../../service/activator/raw-arrivals';
import { startRawNotificationConsumer } from '../../service/activator/raw-notification-consumer';
import { S3RawBucket } from '../../service/adapters/s3/s3-raw-bucket';
import { Apdb } from '../../service/apdb/apdb';
import { outputChain } from '../../service/domain/collections';
import { Header, imageHdu, writeFits } from '../../service/domain/fits';
import { instrumentByName } from '../../service/domain/instruments';
import { parseLogLevels } from '../../service/domain/log-levels';
import { CoordinateSystem, Dome, type FannedOutVisit, RotationSystem } from '../../service/domain/next-visit';
import { parsePipelinesConfig } from '../../service/domain/pipeline-selection';
import { otherRawKeyOf } from '../../service/domain/raw-keys';
import { datasetTypeDefinition } from '../../service/domain/repo/dataset-type';
import { seededRandom } from '../../service/domain/synthetic/random';
import { utcToTai } from '../../service/domain/tai';
import type { Exposure } from '../../service/pipeline/engine/storage-classes';
import { buildServiceApp } from '../../service/prompt-service/service-app';
import { exposureCodec } from '../../service/repo/storage-codecs';
import { type RunningBridge, startBridge } from '../support/bridge';
import { createTopic, quietLogger, testKafka } from '../support/kafka';
import { databaseUrl, uniqueName } from '../support/local-services';
import { centralRepo, dropSchema, emptyBucket, type TestRepo } from '../support/repos';
import { testS3, testSns } from '../support/s3';
import { serviceTestTasks } from '../support/service-test-tasks';

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'pipelines', 'HSC');
const DEPLOYMENT = 'pipelines-0123456-config-89abcde';
const DETECTOR = 50;
const SIZE = 8;
const HSC_RAW_WIDTH = 2144;
const HSC_RAW_HEIGHT = 4241;

/**
 * A raw of HSC's real single-HDU shape (int16 + BZERO), every pixel `level` ADU; with a seed, the
 * first pixels (those the test ISR reads) carry Poisson noise around it.
 */
function rawFits(instPa: number, level = 1100, seed?: number): Buffer {
  // INST-PA 270 is sky rotation 0 (obs_subaru: rotation = 270° − INST-PA), the visits' cameraAngle.
  const pixels = new Uint16Array(HSC_RAW_WIDTH * HSC_RAW_HEIGHT).fill(level);
  if (seed !== undefined) {
    const random = seededRandom(seed);
    for (let i = 0; i < SIZE * SIZE; i++) pixels[i] = random.poisson(level);
  }
  return Buffer.from(
    writeFits([
      imageHdu(pixels, [HSC_RAW_WIDTH, HSC_RAW_HEIGHT], {
        cards: [
          { keyword: 'INST-PA', value: instPa },
          { keyword: 'EXPTIME', value: 30 },
          { keyword: 'FILTER01', value: 'HSC-I' },
        ],
      }),
    ]),
  );
}

function visitFor(group: string, overrides: Partial<FannedOutVisit> = {}): FannedOutVisit {
  const now = Date.now() / 1000;
  return {
    salIndex: 999,
    scriptSalIndex: 200023,
    groupId: group,
    coordinateSystem: CoordinateSystem.ICRS,
    position: [149.28, 2.93],
    startTime: utcToTai(now),
    rotationSystem: RotationSystem.SKY,
    cameraAngle: 0,
    filters: 'HSC-I',
    dome: Dome.OPEN,
    duration: 1,
    nimages: 1,
    instrument: 'HSC',
    survey: 'SURVEY',
    totalCheckpoints: 0,
    private_sndStamp: utcToTai(now - 1),
    detector: DETECTOR,
    ...overrides,
  };
}

function post(app: FastifyInstance, visit: FannedOutVisit) {
  const message = HTTP.structured(
    new CloudEvent({ type: 'com.example.kafka', source: 'test', data: JSON.stringify(visit) }),
  );
  return app.inject({
    method: 'POST',
    url: '/next-visit',
    headers: message.headers as Record<string, string>,
    payload: message.body as string,
  });
}

describe('prompt service against Kafka, RGW and PostgreSQL', () => {
  let s3: S3Client;
  let sns: SNSClient;
  let bridge: RunningBridge;
  let consumer: Consumer;
  let topicArn: string | undefined;
  let central: TestRepo;
  let apdb: Apdb;
  let localRepos: string;
  const apdbSchema = uniqueName('it_svc_apdb').replace(/-/g, '_');
  const rawBucketName = uniqueName('it-svc-raws');
  const arrivals = new RawArrivals();
  const shutdown = new AbortController();
  let waitingStarted: () => void = () => {};
  let app: FastifyInstance;

  function appWith(mainFiles: string[], options: { imageTimeout?: number } = {}): FastifyInstance {
    const tasks = serviceTestTasks(apdb, { onWaiting: () => waitingStarted() });
    const activator = new Activator({
      instrument: instrumentByName('HSC'),
      central: central.repo,
      rawBucket: new S3RawBucket(s3, rawBucketName),
      arrivals,
      apdb,
      tasks,
      mainPipelines: parsePipelinesConfig(
        `- pipelines: [${mainFiles.map((f) => join(FIXTURES, f)).join(', ')}]`,
      ),
      preprocessingPipelines: parsePipelinesConfig('- pipelines: []'),
      localReposDir: localRepos,
      skymap: 'hsc_rings_v1',
      imageTimeoutSeconds: options.imageTimeout ?? 10,
      preloadPaddingArcsec: 30,
      exportTypes: parseExportTypes('- .*'),
      exportOutputs: true,
      deployment: DEPLOYMENT,
      logLevels: parseLogLevels('.=CRITICAL'),
      retryAfterSeconds: 7,
    });
    return buildServiceApp({
      processor: activator,
      instrument: 'HSC',
      messageExpirationSeconds: 3600,
      workerTimeoutSeconds: 60,
      logger: quietLogger,
      version: { version: 'test', commit: 'test', deployment: DEPLOYMENT },
      shutdownSignal: shutdown.signal,
    });
  }

  async function putRaw(
    group: string,
    exposureId: number,
    instPa = 270,
    snap: { index: number; level: number; seed: number } = { index: 0, level: 1100, seed: Number.NaN },
  ): Promise<void> {
    const key = otherRawKeyOf({
      instrument: 'HSC',
      detector: DETECTOR,
      group,
      snap: snap.index,
      exposureId: String(exposureId),
      filter: 'HSC_I',
    });
    const body = rawFits(instPa, snap.level, Number.isNaN(snap.seed) ? undefined : snap.seed);
    await s3.send(new PutObjectCommand({ Bucket: rawBucketName, Key: key, Body: body }));
  }

  async function exported(datasetType: string, run: string, where: Record<string, number>) {
    const refs = await central.repo.registry.queryDatasets({ datasetType, collections: [run], where });
    return Promise.all(
      refs.map(async (ref) => exposureCodec.decode(await central.repo.get(ref)) as Exposure),
    );
  }

  const group = () => String(10_000_000 + Math.floor(Math.random() * 89_999_999));
  const exposure = () => 1_000_000 + Math.floor(Math.random() * 8_000_000);

  beforeAll(async () => {
    const kafka = testKafka();
    s3 = testS3();
    sns = testSns();
    localRepos = mkdtempSync(join(tmpdir(), 'pp-it-local-repos-'));
    const topic = await createTopic(kafka, 'it-svc-raws');
    bridge = await startBridge(kafka, topic);
    consumer = await startRawNotificationConsumer({ kafka, topic, arrivals, log: quietLogger });
    const created = await sns.send(
      new CreateTopicCommand({
        Name: uniqueName('it-svc'),
        Attributes: { 'push-endpoint': `${bridge.url}/s3-events` },
      }),
    );
    topicArn = created.TopicArn;
    await s3.send(new CreateBucketCommand({ Bucket: rawBucketName }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: rawBucketName,
        NotificationConfiguration: {
          TopicConfigurations: [{ Id: 'raws', TopicArn: topicArn, Events: ['s3:ObjectCreated:*'] }],
        },
      }),
    );
    central = await centralRepo('svc');
    const registry = central.repo.registry;
    await registry.insertDimensionRecords('instrument', [{ instrument: 'HSC', detector_max: 112 }], {
      skipExisting: true,
    });
    await registry.insertDimensionRecords(
      'detector',
      [{ instrument: 'HSC', detector: DETECTOR, full_name: String(DETECTOR) }],
      { skipExisting: true },
    );
    await registry.insertDimensionRecords(
      'physical_filter',
      [{ instrument: 'HSC', physical_filter: 'HSC-I', band: 'i' }],
      { skipExisting: true },
    );
    await registry.registerDatasetType(
      datasetTypeDefinition({
        name: 'bias',
        dimensions: ['instrument', 'detector'],
        storageClass: 'Exposure',
        isCalibration: true,
      }),
    );
    await registry.registerCollection('HSC/calib/bias-2026', 'RUN');
    const bias = new Float32Array(SIZE * SIZE).fill(100);
    const stored = await central.repo.put(
      'bias',
      { instrument: 'HSC', detector: DETECTOR },
      'HSC/calib/bias-2026',
      exposureCodec.encode({
        width: SIZE,
        height: SIZE,
        image: bias,
        variance: bias.slice(),
        mask: new Uint16Array(SIZE * SIZE),
        metadata: new Header([]),
      }),
      'fits',
    );
    await registry.registerCollection('HSC/calib', 'CALIBRATION');
    await registry.certify('HSC/calib', [stored.id], { begin: new Date('2020-01-01T00:00:00Z') });
    apdb = await Apdb.open({ dbUrl: databaseUrl(), namespace: apdbSchema });
    await apdb.create();
    await writeInitOutputs({
      central: central.repo,
      instrument: 'HSC',
      configs: [
        parsePipelinesConfig(
          `- pipelines: [${['ApPipe.yaml', 'SingleFrame.yaml', 'Slow.yaml'].map((f) => join(FIXTURES, f)).join(', ')}]`,
        ),
      ],
      tasks: serviceTestTasks(apdb),
      deployment: DEPLOYMENT,
      packageVersion: 'test',
      processingTai: utcToTai(Date.now() / 1000),
    });
    app = appWith(['ApPipe.yaml', 'SingleFrame.yaml']);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await consumer?.disconnect();
    await bridge?.close();
    if (topicArn) await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    await emptyBucket(s3, rawBucketName);
    await s3.send(new DeleteBucketCommand({ Bucket: rawBucketName }));
    await apdb?.close();
    await dropSchema(apdbSchema);
    await central?.cleanup();
    s3.destroy();
    sns.destroy();
    rmSync(localRepos, { recursive: true, force: true });
  });

  it('falls back from ApPipe (no template) to SingleFrame for a raw that arrives while waiting, and exports', async () => {
    const g = group();
    const id = exposure();
    const answer = post(app, visitFor(g));
    await new Promise((r) => setTimeout(r, 500));
    await putRaw(g, id);
    const response = await answer;
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ result: 'success', pipeline: 'SingleFrame' });
    expect(await apdb.containsVisitDetector(BigInt(id), DETECTOR)).toBe(true);
    const run = `${outputChain('HSC', utcToTai(Date.now() / 1000))}/SingleFrame/${DEPLOYMENT}`;
    const exported = await central.repo.registry.queryDatasets({
      datasetType: 'post_isr_image',
      collections: [run],
      where: { exposure: id },
    });
    expect(exported).toHaveLength(1);
    const image = exposureCodec.decode(await central.repo.get(exported[0] as (typeof exported)[0])) as {
      image: Float32Array;
    };
    expect(image.image[0]).toBe(1000); // 1100 raw − 100 bias
    // the run joined the day's output chain, at its front
    const chain = outputChain('HSC', utcToTai(Date.now() / 1000));
    expect((await central.repo.registry.flattenCollections([chain]))[0]?.name).toBe(run);
    expect(readdirSync(localRepos).filter((d) => d.startsWith('visit-'))).toEqual([]);
  }, 30_000);

  it('ingests both snaps of a two-snap visit, runs ISR on each and sums them into the visit image', async () => {
    const g = group();
    const first = exposure();
    const second = first + 1;
    const answer = post(app, visitFor(g, { nimages: 2 }));
    await new Promise((r) => setTimeout(r, 500));
    await putRaw(g, second, 270, { index: 1, level: 1300, seed: 2 });
    await putRaw(g, first, 270, { index: 0, level: 1100, seed: 1 });
    const response = await answer;
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().message).toContain(`exposure(s) ${first}, ${second}`);
    // the visit is named after its first exposure; the APDB row proves the visit-level task ran
    expect(await apdb.containsVisitDetector(BigInt(first), DETECTOR)).toBe(true);
    const run = `${outputChain('HSC', utcToTai(Date.now() / 1000))}/SingleFrame/${DEPLOYMENT}`;
    const [snap0] = await exported('post_isr_image', run, { exposure: first });
    const [snap1] = await exported('post_isr_image', run, { exposure: second });
    const [visitImage] = await exported('post_isr_visit_image', run, { visit: first });
    if (!snap0 || !snap1 || !visitImage) throw new Error('a snap or the visit image was not exported');
    let total = 0;
    for (let i = 0; i < SIZE * SIZE; i++) {
      expect(visitImage.image[i]).toBe((snap0.image[i] as number) + (snap1.image[i] as number));
      total += visitImage.image[i] as number;
    }
    // (1100 − 100) + (1300 − 100) ADU, the mean of 64 Poisson pixels: within 5σ of √(2400/64)
    expect(Math.abs(total / (SIZE * SIZE) - 2200)).toBeLessThan(5 * Math.sqrt(2400 / (SIZE * SIZE)));
    expect(snap0.image.some((v, i) => v !== snap1.image[i])).toBe(true);
  }, 30_000);

  it('processes a raw that was already in the bucket before next_visit came', async () => {
    const g = group();
    const id = exposure();
    await putRaw(g, id);
    const started = Date.now();
    const response = await post(app, visitFor(g, { duration: 30 }));
    expect(response.statusCode, response.body).toBe(200);
    // found by listing, not by waiting out duration·2 + IMAGE_TIMEOUT = 70 s
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await apdb.containsVisitDetector(BigInt(id), DETECTOR)).toBe(true);
  }, 30_000);

  it('fails with 500 "Timed out waiting for images" after duration·2 + IMAGE_TIMEOUT when no raw comes', async () => {
    const short = appWith(['SingleFrame.yaml'], { imageTimeout: 1 });
    const started = Date.now();
    const response = await post(short, visitFor(group(), { duration: 0.5 }));
    const seconds = (Date.now() - started) / 1000;
    await short.close();
    expect(response.statusCode).toBe(500);
    expect(response.json().message).toContain('Timed out waiting for images');
    expect(seconds).toBeGreaterThanOrEqual(1.9);
    expect(seconds).toBeLessThan(10);
    expect(readdirSync(localRepos).filter((d) => d.startsWith('visit-'))).toEqual([]);
  }, 30_000);

  it('fails with 500 when every exposure is rotated more than 1° from cameraAngle', async () => {
    const g = group();
    await putRaw(g, exposure(), 45);
    const response = await post(app, visitFor(g, { cameraAngle: 0 }));
    expect(response.statusCode).toBe(500);
    expect(response.json().message).toContain('rotation');
  }, 30_000);

  it('answers 503 with Retry-After and leaves no APDB rows when shut down mid-pipeline', async () => {
    const slow = appWith(['Slow.yaml']);
    const g = group();
    const id = exposure();
    await putRaw(g, id);
    waitingStarted = () => shutdown.abort(new Error('SIGTERM received: the service is shutting down'));
    const response = await post(slow, visitFor(g));
    await slow.close();
    expect(response.statusCode, response.body).toBe(503);
    expect(response.headers['retry-after']).toBe('7');
    expect(response.json()).toMatchObject({ retrySafe: true });
    expect(response.json().message).toContain('SIGTERM');
    expect(await apdb.containsVisitDetector(BigInt(id), DETECTOR)).toBe(false);
    expect(readdirSync(localRepos).filter((d) => d.startsWith('visit-'))).toEqual([]);
  }, 30_000);
});
