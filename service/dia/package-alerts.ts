// One lsst.v11_0 alert per DiaSource of a (visit, detector): the source, its DiaObject's new version,
// the object's earlier DiaSources and DiaForcedSources, and FITS cutouts of the difference, science
// and matched template, Avro-encoded with Confluent framing and keyed by the DiaSource id. History
// rows are grouped by DiaObject once, so packaging stays linear in sources plus history.

import { alertEncoder, alertRecord, diaObjectRow, type Row } from '../alerts/alert-packet';
import type { AlertSchema } from '../alerts/alert-schema';
import type { DiaObjectRecord, DiaSourceRecord } from '../domain/apdb/apdb-records';
import { cutoutSize, cutoutsFits } from '../domain/diffim/cutouts';
import type { MaskedImage } from '../domain/image/masked-image';
import type { TanWcs } from '../domain/wcs/tan-wcs';
import type { BusMessage } from '../ports/event-publisher';

export interface AlertBatch {
  readonly visit: bigint;
  readonly detector: number;
  /** TAI MJD of the exposure midpoint: the DiaObject versions' validity start. */
  readonly midpointMjdTai: number;
  readonly processedMjdTai: number;
  readonly difference: MaskedImage;
  readonly science: MaskedImage;
  readonly matchedTemplate: MaskedImage;
  readonly wcs: TanWcs;
  readonly diaSources: readonly DiaSourceRecord[];
  /** The DiaObject version of each DiaSource, same order. */
  readonly diaObjects: readonly DiaObjectRecord[];
  /** Earlier DiaSource rows (APDB columns) of the objects. */
  readonly history: readonly Row[];
  /** Earlier DiaForcedSource rows of the objects. */
  readonly forcedHistory: readonly Row[];
}

export function packageAlerts(schema: AlertSchema, batch: AlertBatch): BusMessage[] {
  const history = byDiaObject(batch.history);
  const forcedHistory = byDiaObject(batch.forcedHistory);
  const images = [batch.difference, batch.science, batch.matchedTemplate];
  const encode = alertEncoder(schema);
  return batch.diaSources.map((source, i) => {
    const object = batch.diaObjects[i] as DiaObjectRecord;
    const size = cutoutSize(source.bboxSize ?? 0);
    const [difference, science, template] = cutoutsFits(images, batch.wcs, source.x, source.y, size);
    const record = alertRecord(schema, {
      diaSource: {
        ...source,
        visit: batch.visit,
        detector: batch.detector,
        timeProcessedMjdTai: batch.processedMjdTai,
      },
      prvDiaSources: history.get(object.diaObjectId) ?? [],
      prvDiaForcedSources: forcedHistory.get(object.diaObjectId) ?? [],
      diaObject: diaObjectRow(object, batch.midpointMjdTai),
      cutoutDifference: difference ?? null,
      cutoutScience: science ?? null,
      cutoutTemplate: template ?? null,
    });
    return { key: source.diaSourceId.toString(), value: encode(record) };
  });
}

function byDiaObject(rows: readonly Row[]): Map<unknown, Row[]> {
  const groups = new Map<unknown, Row[]>();
  for (const row of rows) {
    const list = groups.get(row.diaObjectId);
    if (list) list.push(row);
    else groups.set(row.diaObjectId, [row]);
  }
  return groups;
}
