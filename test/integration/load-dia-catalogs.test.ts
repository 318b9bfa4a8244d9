// loadDiaCatalogs against a real PostgreSQL APDB: the shipped Preprocessing pipeline preloads the
// DiaObjects of the region with their DiaSources and DiaForcedSources; the frames survive the local
// repo's JSON storage; association of the next visit then uses them and reads nothing from the APDB
// but the "already stored?" check, with the preloaded history in its alert.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryDatasetStore } from '../../service/adapters/in-memory/dataset-store';
import { decodeAlert, type Row } from '../../service/alerts/alert-packet';
import { loadAlertSchema } from '../../service/alerts/alert-schema';
import { Apdb } from '../../service/apdb/apdb';
import { associateVisitDetector } from '../../service/dia/associate-visit-detector';
import { apdbLocation } from '../../service/domain/apdb/apdb-location';
import type { CurrentDiaObject } from '../../service/domain/apdb/apdb-records';
import { diaIdPacker } from '../../service/domain/dia/dia-ids';
import type { SkyCircle } from '../../service/domain/sky/sky-circle';
import { executePipeline } from '../../service/pipeline/engine/execute-pipeline';
import { loadPipelineGraph } from '../../service/pipeline/engine/load-pipeline';
import { defaultTaskRegistry } from '../../service/pipeline/tasks/default-task-registry';
import { implementLoadDiaCatalogs } from '../../service/pipeline/tasks/load-dia-catalogs';
import { typedJsonCodec } from '../../service/repo/storage-codecs';
import { DIA_VISITS, visitInput } from '../support/dia-visits';
import { databaseUrl, expectListening, repoRoot, uniqueName } from '../support/local-services';
import { RecordingPublisher } from '../support/recording-publisher';
import { dropSchema } from '../support/repos';

/** An Apdb that counts the catalog reads association could make. */
class CountingApdb extends Apdb {
  readonly reads: string[] = [];
  override readDiaObjectsInRegion(circle: SkyCircle) {
    this.reads.push('objects');
    return super.readDiaObjectsInRegion(circle);
  }
  override readDiaSourceHistory(ids: readonly bigint[], since: number) {
    this.reads.push('sources');
    return super.readDiaSourceHistory(ids, since);
  }
  override readDiaForcedSourceHistory(ids: readonly bigint[], since: number) {
    this.reads.push('forcedSources');
    return super.readDiaForcedSourceHistory(ids, since);
  }
}

const schema = loadAlertSchema();
const { DETECTOR, VISITS } = DIA_VISITS;
const dataId = { instrument: 'LSSTCam', group: '2026-11-28T00:03:00', detector: DETECTOR };

/** What the local repo gives back: the frame through the DataFrame codec. */
function stored(value: unknown): Record<string, unknown> {
  return typedJsonCodec.decode(typedJsonCodec.encode(value)) as Record<string, unknown>;
}

describe('loadDiaCatalogs', () => {
  const namespace = uniqueName('it_preload').replace(/-/g, '_');
  let apdb: CountingApdb;
  const publisher = new RecordingPublisher();

  beforeAll(async () => {
    await expectListening('PostgreSQL', '127.0.0.1:5432');
    const opened = await Apdb.open(apdbLocation(databaseUrl(), namespace));
    apdb = new CountingApdb(opened.db, namespace);
    await apdb.create();
    const deps = { apdb, publisher, alertTopic: 'alerts', alertSchema: schema, nowMjdTai: () => 61010 };
    for (const k of [0, 1]) await associateVisitDetector(deps, visitInput(k));
  });

  afterAll(async () => {
    await apdb?.close();
    await dropSchema(namespace);
  });

  async function preload(region: SkyCircle, begin: string) {
    const registry = defaultTaskRegistry();
    implementLoadDiaCatalogs(registry, { apdb });
    const graph = await loadPipelineGraph(join(repoRoot, 'pipelines/LSSTCam/Preprocessing.yaml'), registry);
    expect(graph.unimplementedTasks).toEqual([]);
    const store = new InMemoryDatasetStore();
    await store.put('preload', { datasetType: 'region_time_info', dataId }, 'DataFrame', {
      region,
      timespanBegin: begin,
      timespanEnd: begin,
    });
    await executePipeline(graph, { dataId, store, run: 'preload' });
    const frame = async (datasetType: string) => stored(await store.get({ datasetType, dataId }));
    return {
      objects: (await frame('preloaded_dia_objects')).diaObjects as CurrentDiaObject[],
      sources: (await frame('preloaded_dia_sources')).diaSources as Row[],
      forced: (await frame('preloaded_dia_forced_sources')).diaForcedSources as Row[],
    };
  }

  // TAI MJD 61002.09, just before the third visit; the two stored so far are at 61000.1 and 61001.1.
  const visitTime = '2025-11-23T02:08:59Z';

  it('preloads the region’s DiaObjects with their DiaSources and DiaForcedSources, ids intact', async () => {
    const { objects, sources, forced } = await preload({ raDeg: 150, decDeg: 2, radiusDeg: 0.05 }, visitTime);
    const objectId = diaIdPacker(VISITS[0] as bigint, DETECTOR)(0);
    expect(objects.map((o) => [o.diaObjectId, o.nDiaSources])).toEqual([[objectId, 2]]);
    expect(sources.map((s) => s.diaSourceId)).toEqual(
      [0, 1].map((k) => diaIdPacker(VISITS[k] as bigint, DETECTOR)(0)),
    );
    expect(forced.map((f) => f.diaObjectId)).toEqual([objectId, objectId]);
  });

  it('preloads nothing for a region away from the objects, and only history inside the window', async () => {
    const away = await preload({ raDeg: 151, decDeg: 2, radiusDeg: 0.05 }, visitTime);
    expect([away.objects, away.sources, away.forced]).toEqual([[], [], []]);
    // A visit 367 days later: its 365-day window starts after both stored visits.
    const later = await preload({ raDeg: 150, decDeg: 2, radiusDeg: 0.05 }, '2026-11-25T02:08:59Z');
    expect(later.objects).toHaveLength(1);
    expect([later.sources, later.forced]).toEqual([[], []]);
  });

  it('lets association and the alert use the preloaded rows instead of reading the APDB', async () => {
    const { objects, sources, forced } = await preload({ raDeg: 150, decDeg: 2, radiusDeg: 0.05 }, visitTime);
    apdb.reads.length = 0;
    publisher.batches.length = 0;
    const result = await associateVisitDetector(
      { apdb, publisher, alertTopic: 'alerts', alertSchema: schema, nowMjdTai: () => 61010 },
      {
        ...visitInput(2),
        preloadedObjects: objects,
        preloadedDiaSources: sources,
        preloadedDiaForcedSources: forced,
      },
    );
    expect(result).toMatchObject({ stored: true, matched: 1, created: 0, alerts: 1 });
    expect(apdb.reads).toEqual([]);
    const alert = decodeAlert(schema, publisher.batches.flat()[0]?.value as Buffer);
    expect((alert.prvDiaSources as Row[]).map((s) => s.diaSourceId)).toEqual(
      sources.map((s) => s.diaSourceId),
    );
    expect((alert.prvDiaForcedSources as Row[]).length).toBe(2);
    expect(alert.diaObject).toMatchObject({ nDiaSources: 3 });
  });
});
