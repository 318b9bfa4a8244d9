// The shipped LATISS ApPipe through the real service, end to end on Kafka, RGW and PostgreSQL: the
// tester seeds a central repo (calibrations, templates, refcat) and the curated raw pool, uploads
// one group with a template (next_visit on Kafka, raws + sidecars into RGW); the fan-out POSTs the
// detector's visit to the service, which waits for the raw through bucket notifications (bridge),
// runs ApPipe (ISR … difference imaging, association into the APDB, alerts on Kafka) and exports.
//
// The detector is scaled to 3200×3200 px (amps 400×1600): smaller ones hold too few stars above
// measurePsf's 20σ for its 5 PSF stars, and the detector straddles several template patches (merged
// by getTemplate). About 90 s on a loaded 2-core machine (setup ~30 s, the visit ~55 s).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutBucketNotificationConfigurationCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand, DeleteTopicCommand } from '@aws-sdk/client-sns';
import type { FastifyInstance } from 'fastify';
import type { Consumer } from 'kafkajs';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExportTypes } from '../../service/activator/export-outputs';
import { writeInitOutputs } from '../../service/activator/init-outputs';
import { Activator } from '../../service/activator/process-visit';
import { RawArrivals } from '../../service/activator/raw-arrivals';
import { startRawNotificationConsumer } from '../../service/activator/raw-notification-consumer';
import { KafkaPublisher } from '../../service/adapters/kafka/kafka-publisher';
import { S3RawBucket } from '../../service/adapters/s3/s3-raw-bucket';
import { Apdb } from '../../service/apdb/apdb';
import { apdbLocation } from '../../service/domain/apdb/apdb-location';
import { outputChain, outputRun } from '../../service/domain/collections';
import { instrumentByName } from '../../service/domain/instruments';
import { parseLogLevels } from '../../service/domain/log-levels';
import type { FannedOutVisit } from '../../service/domain/next-visit';
import { parsePipelinesConfig } from '../../service/domain/pipeline-selection';
import { utcToTai } from '../../service/domain/tai';
import { startFanOutConsumer } from '../../service/fan-out/fan-out-consumer';
import { FanOutMetrics } from '../../service/fan-out/fan-out-metrics';
import { NextVisitFanOut } from '../../service/fan-out/next-visit-fan-out';
import { VisitPoster } from '../../service/fan-out/visit-poster';
import { implementAssociateApdb } from '../../service/pipeline/tasks/associate-apdb';
import { defaultTaskRegistry } from '../../service/pipeline/tasks/default-task-registry';
import { systemClock, type VisitContext, type VisitOutcome } from '../../service/ports/visit-processor';
import { buildServiceApp } from '../../service/prompt-service/service-app';
import { CURATED_POOLS } from '../../tester/pool/curated-groups';
import { makeUnobserved } from '../../tester/pool/make-unobserved';
import { seedCentralRepo } from '../../tester/seed/seed-central-repo';
import { uploadCurated } from '../../tester/upload/upload-runs';
import { readGroupRecord } from '../../tester/verify/verify-groups';
import { type RunningBridge, startBridge } from '../support/bridge';
import { createTopic, quietLogger } from '../support/kafka';
import { databaseUrl, repoRoot, uniqueName } from '../support/local-services';
import { centralRepo, dropSchema, type TestRepo } from '../support/repos';
import { testSns } from '../support/s3';
import { type TesterFixture, testerFixture } from '../support/tester';

const AMP = { dataWidth: 400, dataHeight: 1600 };
const DEPLOYMENT = 'pipelines-0123456-config-89abcde';
const PIPELINES = join(repoRoot, 'pipelines', 'LATISS');
/** TAI MJD of the Unix epoch. */
const UNIX_EPOCH_MJD = 40_587;

describe('LATISS ApPipe through the prompt service (Kafka, RGW, PostgreSQL)', () => {
  let f: TesterFixture;
  let central: TestRepo;
  let apdb: Apdb;
  let bridge: RunningBridge;
  let notifications: Consumer;
  let fanOutConsumer: Consumer;
  let app: FastifyInstance;
  let alerts: KafkaPublisher;
  let topicArn: string | undefined;
  let localRepos: string;
  const sns = testSns();
  const dispatcher = new Agent({ headersTimeout: 0, bodyTimeout: 0 });
  const shutdown = new AbortController();
  const apdbSchema = uniqueName('it_ap_apdb').replace(/-/g, '_');
  const answered: Array<{ visit: FannedOutVisit; outcome?: VisitOutcome; error?: unknown }> = [];

  beforeAll(async () => {
    f = await testerFixture('ap');
    const { kafka } = f;
    localRepos = mkdtempSync(join(tmpdir(), 'pp-it-ap-local-'));
    central = await centralRepo('ap');
    await seedCentralRepo({
      repo: central.repo,
      pool: CURATED_POOLS.LATISS,
      pipelinesDir: join(repoRoot, 'pipelines'),
      ampSize: AMP,
    });
    await makeUnobserved({
      bucket: f.usersBucket,
      pool: CURATED_POOLS.LATISS,
      kind: 'curated',
      ampSize: AMP,
      nowUtc: new Date(),
    });
    apdb = await Apdb.open(apdbLocation(databaseUrl(), apdbSchema));
    await apdb.create();

    // raw bucket → (RGW notification) → bridge → Kafka → the service's notification consumer
    const arrivals = new RawArrivals();
    const rawTopic = await createTopic(kafka, 'it-ap-raws');
    bridge = await startBridge(kafka, rawTopic);
    notifications = await startRawNotificationConsumer({
      kafka,
      topic: rawTopic,
      arrivals,
      log: quietLogger,
    });
    topicArn = (
      await sns.send(
        new CreateTopicCommand({
          Name: uniqueName('it-ap'),
          Attributes: { 'push-endpoint': `${bridge.url}/s3-events` },
        }),
      )
    ).TopicArn;
    await f.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: f.rawBucket.bucket,
        NotificationConfiguration: {
          TopicConfigurations: [{ Id: 'raws', TopicArn: topicArn, Events: ['s3:ObjectCreated:*'] }],
        },
      }),
    );

    const tasks = defaultTaskRegistry();
    alerts = new KafkaPublisher(kafka);
    implementAssociateApdb(tasks, {
      apdb,
      publisher: alerts,
      alertTopic: await createTopic(kafka, 'it-ap-alerts'),
      nowMjdTai: () => utcToTai(Date.now() / 1000) / 86_400 + UNIX_EPOCH_MJD,
    });
    const main = parsePipelinesConfig(
      `- pipelines: [${['ApPipe.yaml', 'SingleFrame.yaml', 'Isr.yaml'].map((p) => join(PIPELINES, p)).join(', ')}]`,
    );
    const preprocessing = parsePipelinesConfig(`- pipelines: [${join(PIPELINES, 'Preprocessing.yaml')}]`);
    await writeInitOutputs({
      central: central.repo,
      instrument: 'LATISS',
      configs: [main, preprocessing],
      tasks,
      deployment: DEPLOYMENT,
      packageVersion: 'test',
      processingTai: utcToTai(Date.now() / 1000),
    });
    const activator = new Activator({
      instrument: instrumentByName('LATISS'),
      central: central.repo,
      rawBucket: new S3RawBucket(f.s3, f.rawBucket.bucket),
      arrivals,
      apdb,
      tasks,
      mainPipelines: main,
      preprocessingPipelines: preprocessing,
      localReposDir: localRepos,
      skymap: 'latiss_v1',
      imageTimeoutSeconds: 20,
      preloadPaddingArcsec: 30,
      exportTypes: parseExportTypes('- .*'),
      exportOutputs: true,
      deployment: DEPLOYMENT,
      logLevels: parseLogLevels('.=CRITICAL'),
      sidecarRetryMs: 50,
    });
    app = buildServiceApp({
      processor: {
        async processVisit(visit: FannedOutVisit, context: VisitContext) {
          try {
            const outcome = await activator.processVisit(visit, context);
            answered.push({ visit, outcome });
            return outcome;
          } catch (error) {
            answered.push({ visit, error });
            throw error;
          }
        },
      },
      instrument: 'LATISS',
      messageExpirationSeconds: 600,
      workerTimeoutSeconds: 170,
      logger: quietLogger,
      version: { version: 'test', commit: 'test', deployment: DEPLOYMENT },
      shutdownSignal: shutdown.signal,
    });
    const serviceUrl = await app.listen({ host: '127.0.0.1', port: 0 });

    // next_visit topic → fan-out → POST /next-visit
    const fanOut = new NextVisitFanOut({
      rules: { instrument: 'LATISS', messageExpirationSeconds: 600 },
      sender: new VisitPoster({ serviceUrl, source: f.topic, retryOn503: true, dispatcher }),
      maxInFlight: 4,
      metrics: new FanOutMetrics(),
      log: quietLogger,
      clock: systemClock,
    });
    fanOutConsumer = await startFanOutConsumer({
      kafka,
      topic: f.topic,
      groupId: uniqueName('it-ap-fanout'),
      fanOut,
      signal: shutdown.signal,
    });
    await new Promise((r) => setTimeout(r, 1500)); // the fan-out reads from the newest offset
  }, 400_000); // seeding full-size templates: ~40 s alone, minutes on a box busy with other suites

  afterAll(async () => {
    shutdown.abort();
    await fanOutConsumer?.disconnect();
    await app?.close();
    await notifications?.disconnect();
    await bridge?.close();
    await alerts?.close();
    if (topicArn) await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    sns.destroy();
    await dispatcher.close();
    await apdb?.close();
    await dropSchema(apdbSchema);
    await central?.cleanup();
    await f?.cleanup();
    rmSync(localRepos, { recursive: true, force: true });
  });

  it('stores DiaSources in the APDB and exports the outputs under <INST>/prompt/output-<date>/ApPipe/<deployment>', async () => {
    const [sent] = (await uploadCurated(await f.context('LATISS', 'curated'), 1)).groups;
    if (!sent) throw new Error('the tester uploaded no group');
    const record = await readGroupRecord(f.usersBucket, sent.groupId);
    const deadline = Date.now() + 150_000;
    while (answered.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const [answer] = answered;
    if (answer?.error) throw answer.error;
    expect(answer?.visit).toMatchObject({ instrument: 'LATISS', detector: 0, groupId: sent.groupId });
    expect(answer?.outcome?.pipeline).toBe('ApPipe');

    const visit = BigInt(record.exposureIds[0] ?? 0);
    const diaSources = await apdb.db.query<{ n: bigint }>(
      `SELECT count(*) AS n FROM "${apdbSchema}"."DiaSource" WHERE "visit" = $1 AND "detector" = 0`,
      [visit],
    );
    expect(Number(diaSources.rows[0]?.n)).toBeGreaterThan(0);

    const chain = outputChain('LATISS', utcToTai(Date.now() / 1000));
    const run = outputRun(chain, 'ApPipe', DEPLOYMENT);
    const exported = await central.repo.registry.queryDatasets({
      datasetType: 'difference_image',
      collections: [run],
    });
    expect(exported.map((d) => d.dataId)).toEqual([
      expect.objectContaining({ visit: Number(visit), detector: 0 }),
    ]);
    for (const type of ['preliminary_visit_image', 'dia_source_associated', 'apdb_marker'])
      expect(
        await central.repo.registry.queryDatasets({ datasetType: type, collections: [run] }),
      ).toHaveLength(1);
    expect((await central.repo.registry.flattenCollections([chain]))[0]?.name).toBe(run);
  }, 400_000);
});
