// Association into a real PostgreSQL APDB and alerts on a real Kafka topic: one source seen in three
// visits becomes one DiaObject with three validity versions; a rerun of a visit changes nothing and
// sends nothing; the alerts read back from the instrument's alert topic decode with the right ids,
// history and FITS cutouts.

import type { Consumer, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaPublisher } from '../../service/adapters/kafka/kafka-publisher';
import { decodeAlert } from '../../service/alerts/alert-packet';
import { loadAlertSchema } from '../../service/alerts/alert-schema';
import { Apdb } from '../../service/apdb/apdb';
import {
  associateVisitDetector,
  type DiaDependencies,
  type DiaVisitDetector,
} from '../../service/dia/associate-visit-detector';
import { apdbLocation } from '../../service/domain/apdb/apdb-location';
import { diaIdPacker } from '../../service/domain/dia/dia-ids';
import { emptyDiaSourceTable } from '../../service/domain/diffim/dia-source-table';
import { readFits } from '../../service/domain/fits';
import { instrumentByName } from '../../service/domain/instruments';
import { circularPsf } from '../../service/domain/measurement/psf-model';
import { instrumentTopics } from '../../service/domain/topics';
import { pixelToSky, tanWcs } from '../../service/domain/wcs/tan-wcs';
import { testKafka } from '../support/kafka';
import { databaseUrl, expectListening, uniqueName } from '../support/local-services';
import { dropSchema } from '../support/repos';

const DETECTOR = 94;
const VISITS = [2026112800101n, 2026112800102n, 2026112800103n];
const wcs = tanWcs(150, 2, 100.5, 100.5, [-5.5e-5, 0, 0, 5.5e-5]);
const SIZE = 200;

function visitInput(k: number): DiaVisitDetector {
  const plane = (value: number) => new Float32Array(SIZE * SIZE).fill(value);
  const image = {
    width: SIZE,
    height: SIZE,
    image: plane(0),
    variance: plane(100),
    mask: new Uint16Array(SIZE * SIZE),
  };
  const table = emptyDiaSourceTable(1);
  // The same star, 0.05″ of jitter between visits: well inside the 1″ radius.
  table.x[0] = 100.3 + 0.25 * k;
  table.y[0] = 99.7;
  const sky = pixelToSky(wcs, table.x[0], table.y[0]);
  table.ra[0] = sky.ra;
  table.dec[0] = sky.dec;
  table.psfFlux[0] = 900 + 100 * k;
  table.psfFluxErr[0] = 100;
  table.snr[0] = 9 + k;
  table.bboxSize[0] = 11;
  return {
    visit: VISITS[k] as bigint,
    detector: DETECTOR,
    band: 'r',
    midpointMjdTai: 61000.1 + k,
    diaSources: table,
    difference: image,
    science: image,
    matchedTemplate: image,
    differencePsf: circularPsf(4),
    sciencePsf: circularPsf(4),
    wcs,
  };
}

describe('association into the APDB and alerts on Kafka', () => {
  const namespace = uniqueName('it_dia').replace(/-/g, '_');
  const topic = instrumentTopics(instrumentByName('LSSTCam'), `${uniqueName('it')}-`).alerts;
  let apdb: Apdb;
  let kafka: Kafka;
  let publisher: KafkaPublisher;
  let deps: DiaDependencies;
  const schema = loadAlertSchema();

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
