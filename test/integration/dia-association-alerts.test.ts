// Association into a real PostgreSQL APDB and alerts on a real Kafka topic: one source seen in three
// visits becomes one DiaObject with three validity versions; a rerun of a visit changes nothing and
// sends nothing; the alerts read back from the instrument's alert topic decode with the right ids,
// history and FITS cutouts.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Consumer, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryDatasetStore } from '../../service/adapters/in-memory/dataset-store';
import { KafkaPublisher } from '../../service/adapters/kafka/kafka-publisher';
import { decodeAlert } from '../../service/alerts/alert-packet';
import { loadAlertSchema } from '../../service/alerts/alert-schema';
import { Apdb } from '../../service/apdb/apdb';
import { associateVisitDetector, type DiaDependencies } from '../../service/dia/associate-visit-detector';
import { apdbLocation } from '../../service/domain/apdb/apdb-location';
import { diaIdPacker } from '../../service/domain/dia/dia-ids';
import { Header, readFits } from '../../service/domain/fits';
import { instrumentByName } from '../../service/domain/instruments';
import { instrumentTopics } from '../../service/domain/topics';
import { executePipeline } from '../../service/pipeline/engine/execute-pipeline';
import { loadPipelineGraph } from '../../service/pipeline/engine/load-pipeline';
import { implementAssociateApdb } from '../../service/pipeline/tasks/associate-apdb';
import { defaultTaskRegistry } from '../../service/pipeline/tasks/default-task-registry';
import { DIA_VISITS, visitInput } from '../support/dia-visits';
import { testKafka } from '../support/kafka';
import { databaseUrl, expectListening, uniqueName } from '../support/local-services';
import { dropSchema } from '../support/repos';

const { DETECTOR, VISITS, wcs } = DIA_VISITS;

describe('association into the APDB and alerts on Kafka', () => {
  const namespace = uniqueName('it_dia').replace(/-/g, '_');
  const topic = instrumentTopics(instrumentByName('LSSTCam'), `${uniqueName('it')}-`).alerts;
  let apdb: Apdb;
  let kafka: Kafka;
  let publisher: KafkaPublisher;
  let deps: DiaDependencies;

  beforeAll(async () => {
    await expectListening('PostgreSQL', '127.0.0.1:5432');
    await expectListening('Kafka', '127.0.0.1:9092');
    apdb = await Apdb.open(apdbLocation(databaseUrl(), namespace));
    await apdb.create();
    kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    publisher = new KafkaPublisher(kafka);
    let clock = 61010;
    deps = { apdb, publisher, alertTopic: topic, alertSchema: schema, nowMjdTai: () => clock++ };
  });

  afterAll(async () => {
    await publisher?.close();
    await apdb?.close();
    await dropSchema(namespace);
    const admin = kafka?.admin();
    if (admin) {
      await admin.connect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('turns a source seen in three visits into one DiaObject with nDiaSources 3 and three versions', async () => {
    const results = [];
    for (let k = 0; k < 3; k++) results.push(await associateVisitDetector(deps, visitInput(k)));
    expect(results.map((r) => [r.stored, r.created, r.matched, r.alerts])).toEqual([
      [true, 1, 0, 1],
      [true, 0, 1, 1],
      [true, 0, 1, 1],
    ]);
    const objects = await apdb.readDiaObjectsInRegion({ raDeg: 150, decDeg: 2, radiusDeg: 0.01 });
    expect(objects).toHaveLength(1);
    const firstId = diaIdPacker(VISITS[0] as bigint, DETECTOR)(0);
    expect(objects[0]).toMatchObject({
      diaObjectId: firstId,
      nDiaSources: 3,
      firstDiaSourceMjdTai: 61000.1,
      lastDiaSourceMjdTai: 61002.1,
    });
    const versions = await apdb.db.query<{
      validityStartMjdTai: number;
      validityEndMjdTai: number | null;
      nDiaSources: number;
    }>(
      `SELECT "validityStartMjdTai", "validityEndMjdTai", "nDiaSources" FROM "${namespace}"."DiaObject" WHERE "diaObjectId" = $1 ORDER BY 1`,
      [firstId],
    );
    expect(versions.rows).toEqual([
      { validityStartMjdTai: 61000.1, validityEndMjdTai: 61001.1, nDiaSources: 1 },
      { validityStartMjdTai: 61001.1, validityEndMjdTai: 61002.1, nDiaSources: 2 },
      { validityStartMjdTai: 61002.1, validityEndMjdTai: null, nDiaSources: 3 },
    ]);
    const status = await apdb.status();
    expect(status.rowCounts).toMatchObject({
      DiaObject: 3,
      DiaObjectLast: 1,
      DiaSource: 3,
      DiaForcedSource: 3,
    });
  });

  it('changes nothing and sends no alert when a visit is processed again', async () => {
    const before = (await apdb.status()).rowCounts;
    const again = await associateVisitDetector(deps, visitInput(2));
    expect(again).toMatchObject({ stored: false, alerts: 0, diaSources: 0 });
    expect((await apdb.status()).rowCounts).toEqual(before);
  });

  it('puts one decodable alert per DiaSource on the alert topic, with ids, history and cutouts', async () => {
    const messages = await readTopic(kafka, topic, 3, 20_000);
    expect(messages).toHaveLength(3);
    const alerts = messages.map((m) => decodeAlert(schema, m.value));
    const ids = VISITS.map((v) => diaIdPacker(v, DETECTOR)(0));
    expect(alerts.map((a) => a.diaSourceId)).toEqual(ids);
    expect(messages.map((m) => m.key)).toEqual(ids.map(String));
    const last = alerts[2] as Record<string, unknown>;
    expect(last.diaSource).toMatchObject({
      visit: VISITS[2],
      detector: DETECTOR,
      diaObjectId: ids[0],
      band: 'r',
    });
    expect((last.prvDiaSources as Array<{ diaSourceId: bigint }>).map((s) => s.diaSourceId)).toEqual(
      ids.slice(0, 2),
    );
    expect((last.prvDiaForcedSources as unknown[]).length).toBe(2);
    expect(last.diaObject).toMatchObject({ diaObjectId: ids[0], nDiaSources: 3, r_psfFluxNdata: 3 });
    for (const name of ['cutoutDifference', 'cutoutScience', 'cutoutTemplate']) {
      const hdu = readFits(new Uint8Array(last[name] as Buffer)).hdus[0];
      expect(hdu?.kind === 'image' && hdu.axes).toEqual([30, 30]);
    }
    expect((alerts[0] as Record<string, unknown>).prvDiaSources).toEqual([]);
  });
});

describe('associateApdb through the engine', () => {
  const namespace = uniqueName('it_dia_task').replace(/-/g, '_');
  const topic = instrumentTopics(instrumentByName('LSSTCam'), `${uniqueName('it')}-`).alerts;
  let apdb: Apdb;
  let kafka: Kafka;
  let publisher: KafkaPublisher;

  beforeAll(async () => {
    apdb = await Apdb.open(apdbLocation(databaseUrl(), namespace));
    await apdb.create();
    kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    publisher = new KafkaPublisher(kafka);
  });

  afterAll(async () => {
    await publisher?.close();
    await apdb?.close();
    await dropSchema(namespace);
    const admin = kafka?.admin();
    if (admin) {
      await admin.connect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('stores the visit-detector named by the data ID, at the header’s midpoint, and sends its alert', async () => {
    const V = '[instrument, visit, detector]';
    const dir = mkdtempSync(join(tmpdir(), 'associate-'));
    writeFileSync(
      join(dir, 'Associate.yaml'),
      `description: association only
instrument: LSSTCam
inputs:
  dia: { dimensions: ${V}, storageClass: DataFrame }
  preloaded: { dimensions: ${V}, storageClass: DataFrame }
  calexp: { dimensions: ${V}, storageClass: Exposure }
  diff: { dimensions: ${V}, storageClass: Exposure }
  matched: { dimensions: ${V}, storageClass: Exposure }
  diff_psf: { dimensions: ${V}, storageClass: Psf }
  calexp_psf: { dimensions: ${V}, storageClass: Psf }
  astrometry: { dimensions: ${V}, storageClass: AstrometricSolution }
tasks:
  associateApdb:
    task: associateApdb
    connections:
      inputs: { diaSources: dia, preloadedDiaObjects: preloaded, exposure: calexp, difference: diff,
                matchedTemplate: matched, psf: diff_psf, sciencePsf: calexp_psf, astrometry: astrometry }
      outputs:
        apdbMarker: { datasetType: apdb_marker, dimensions: ${V}, storageClass: ApdbMarker }
        associatedDiaSources: { datasetType: dia_source_associated, dimensions: ${V}, storageClass: DataFrame }
`,
    );
    const registry = defaultTaskRegistry();
    implementAssociateApdb(registry, { apdb, publisher, alertTopic: topic, nowMjdTai: () => 61005 });
    const graph = await loadPipelineGraph(join(dir, 'Associate.yaml'), registry);
    const input = visitInput(0);
    const store = new InMemoryDatasetStore();
    const v = { instrument: 'LSSTCam', visit: Number(VISITS[0]), detector: DETECTOR };
    const metadata = new Header([{ keyword: 'MJD-AVG', value: 61000.1 }]);
    const put = (datasetType: string, storageClass: string, value: unknown) =>
      store.put('in', { datasetType, dataId: v }, storageClass, value);
    await put('dia', 'DataFrame', input.diaSources);
    await put('preloaded', 'DataFrame', { diaObjects: [] });
    for (const name of ['calexp', 'diff', 'matched'])
      await put(name, 'Exposure', { ...input.science, metadata });
    await put('diff_psf', 'Psf', input.differencePsf);
    await put('calexp_psf', 'Psf', input.sciencePsf);
    await put('astrometry', 'AstrometricSolution', {
      wcs,
      source: 'refined',
      matchCount: 10,
      rmsPixels: 0.05,
    });
    await executePipeline(graph, { dataId: { ...v, band: 'r' }, store, run: 'out' });
    const marker = await store.get({ datasetType: 'apdb_marker', dataId: v });
    expect(marker).toMatchObject({ stored: true, diaSources: 1, created: 1, alerts: 1 });
    const [message] = await readTopic(kafka, topic, 1, 20_000);
    const alert = decodeAlert(schema, (message as { value: Buffer }).value);
    expect(alert.diaSourceId).toBe(diaIdPacker(VISITS[0] as bigint, DETECTOR)(0));
    expect(alert.diaSource).toMatchObject({ midpointMjdTai: 61000.1, timeProcessedMjdTai: 61005, band: 'r' });
  });
});

const schema = loadAlertSchema();

async function readTopic(kafka: Kafka, topic: string, count: number, timeoutMs: number) {
  const consumer: Consumer = kafka.consumer({ groupId: uniqueName('it-alerts'), maxWaitTimeInMs: 100 });
  const out: Array<{ key: string | null; value: Buffer }> = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        out.push({ key: message.key?.toString() ?? null, value: message.value ?? Buffer.alloc(0) });
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (out.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // A moment more, so an unexpected extra alert (from the rerun) would be seen.
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    await consumer.disconnect();
  }
  return out;
}
