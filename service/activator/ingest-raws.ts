// Ingest of a visit's raws into the local repo (upstream ingest_image + define_visits): each matched
// raw is read from the raw bucket, exposures whose rotation differs from the announced cameraAngle
// by more than 1° are dropped (the telescope did not do what next_visit said), and the rest are stored
// as `raw` datasets with their exposure and visit records. The visit id is the first exposure's id
// (one-to-one visit system).

import type { FastifyBaseLogger } from 'fastify';
import { type Header, readFits } from '../domain/fits';
import type { FannedOutVisit } from '../domain/next-visit';
import { sidecarKeyOf } from '../domain/raw-keys';
import { datasetTypeDefinition } from '../domain/repo/dataset-type';
import { angleDifferenceDeg } from '../domain/sky/detector-region';
import { dayObsOf, dayObsToIsoDate, taiToUtc } from '../domain/tai';
import type { RawBucket } from '../ports/raw-bucket';
import type { Repo } from '../repo/repo';
import type { MatchedRaw } from './snap-matcher';

export const MAX_ROTATION_ERROR_DEG = 1;

/** Every raw was dropped (wrong rotation) or unreadable: nothing can be processed. */
export class NoUsableRawsError extends Error {
  override readonly name = 'NoUsableRawsError';
}

export interface IngestedVisit {
  readonly visitId: number;
  readonly exposureIds: readonly number[];
  readonly physicalFilter: string;
  readonly band: string;
  readonly dayObs: number;
}

export interface IngestRequest {
  readonly visit: FannedOutVisit;
  readonly raws: readonly MatchedRaw[];
  readonly bucket: RawBucket;
  readonly local: Repo;
  readonly central: Repo;
  readonly rawRun: string;
  readonly log: FastifyBaseLogger;
  readonly signal: AbortSignal;
}

/**
 * The exposure's sky rotation, in cameraAngle's terms: the sidecar's ROTPA, else the header's ROTPA
 * (LSST cameras), else 270° − INST-PA (HSC, as obs_subaru's translator reads the instrument angle).
 */
export function rotationOf(header: Header, sidecar: Record<string, unknown> | undefined): number | undefined {
  const finite = (value: unknown) =>
    typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  const rotPa = finite(sidecar?.ROTPA) ?? finite(header.get('ROTPA'));
  if (rotPa !== undefined) return rotPa;
  const instPa = finite(header.get('INST-PA'));
  return instPa === undefined ? undefined : 270 - instPa;
}

function text(header: Header, keyword: string): string | undefined {
  const value = header.get(keyword);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

async function readSidecar(request: IngestRequest, raw: MatchedRaw) {
  if (raw.rawKey.style !== 'lsst') return undefined;
  const bytes = await request.bucket.read(sidecarKeyOf(raw.key), request.signal);
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function bandFor(request: IngestRequest, physicalFilter: string): Promise<string> {
  const [record] = await request.central.registry.dimensionRecords('physical_filter', {
    instrument: request.visit.instrument,
    physical_filter: physicalFilter,
  });
  // Without a central record, the filter name stands for its band (as tester filters do).
  return typeof record?.band === 'string' ? record.band : physicalFilter.split('~')[0] || physicalFilter;
}

interface AcceptedRaw {
  readonly raw: MatchedRaw;
  readonly bytes: Buffer;
  readonly header: Header;
  readonly sidecar: Record<string, unknown> | undefined;
}

async function accept(request: IngestRequest, raw: MatchedRaw): Promise<AcceptedRaw | undefined> {
  const bytes = await request.bucket.read(raw.key, request.signal);
  if (!bytes) {
    request.log.warn({ key: raw.key }, 'raw disappeared from the bucket before ingest; skipping it');
    return undefined;
  }
  const sidecar = await readSidecar(request, raw);
  const header = readFits(bytes).hdus[0]?.header;
  if (!header) return undefined;
  const rotation = rotationOf(header, sidecar);
  if (
    rotation !== undefined &&
    angleDifferenceDeg(rotation, request.visit.cameraAngle) > MAX_ROTATION_ERROR_DEG
  ) {
    request.log.warn(
      { key: raw.key, exposure: raw.exposureId, rotation, cameraAngle: request.visit.cameraAngle },
      'Exposure %d rotated %s°, more than 1° from the announced cameraAngle: dropping it',
      raw.exposureId,
      rotation.toFixed(2),
    );
    return undefined;
  }
  return { raw, bytes, header, sidecar };
}

async function insertRecords(request: IngestRequest, accepted: readonly AcceptedRaw[], filter: string) {
  const { visit, local } = request;
  const instrument = visit.instrument;
  const first = accepted[0] as AcceptedRaw;
  const dayObs =
    first.raw.rawKey.style === 'lsst' ? first.raw.rawKey.dayObs : dayObsOf(visit.private_sndStamp);
  const band = await bandFor(request, filter);
  const begin = new Date(taiToUtc(visit.startTime || visit.private_sndStamp) * 1000);
  const end = new Date(begin.getTime() + Math.max(visit.duration, 1) * 1000);
  const iso = dayObsToIsoDate(dayObs);
  const records = local.registry;
  await records.insertDimensionRecords('physical_filter', [{ instrument, physical_filter: filter, band }], {
    skipExisting: true,
  });
  await records.insertDimensionRecords(
    'day_obs',
    [{ instrument, day_obs: dayObs, timespan_begin: `${iso}T12:00:00Z`, timespan_end: null }],
    { skipExisting: true },
  );
  await records.insertDimensionRecords('group', [{ instrument, group: visit.groupId }], {
    skipExisting: true,
  });
  await records.insertDimensionRecords(
    'exposure',
    accepted.map((a) => ({
      instrument,
      exposure: a.raw.exposureId,
      physical_filter: filter,
      day_obs: dayObs,
      group: visit.groupId,
      obs_id: a.raw.rawKey.style === 'lsst' ? a.raw.rawKey.obsId : String(a.raw.exposureId),
      exposure_time: a.header.number('EXPTIME') ?? null,
      timespan_begin: begin.toISOString(),
      timespan_end: end.toISOString(),
    })),
    { skipExisting: true },
  );
  await records.insertDimensionRecords(
    'visit',
    [
      {
        instrument,
        visit: first.raw.exposureId,
        physical_filter: filter,
        day_obs: dayObs,
        timespan_begin: begin.toISOString(),
        timespan_end: end.toISOString(),
        region: null,
      },
    ],
    { skipExisting: true },
  );
  return { dayObs, band };
}

export async function ingestRaws(request: IngestRequest): Promise<IngestedVisit> {
  const accepted: AcceptedRaw[] = [];
  for (const raw of request.raws) {
    request.signal.throwIfAborted();
    const ok = await accept(request, raw);
    if (ok) accepted.push(ok);
  }
  const first = accepted[0];
  if (!first)
    throw new NoUsableRawsError(
      `all ${request.raws.length} raw(s) were dropped (rotation more than 1° from cameraAngle ${request.visit.cameraAngle}, or unreadable)`,
    );
  const filter =
    request.visit.filters ||
    text(first.header, 'FILTER') ||
    text(first.header, 'FILTER01') ||
    (typeof first.sidecar?.FILTER === 'string' ? first.sidecar.FILTER : '') ||
    'unknown';
  const { dayObs, band } = await insertRecords(request, accepted, filter);
  const { local, visit } = request;
  await local.registry.registerDatasetType(
    datasetTypeDefinition({
      name: 'raw',
      dimensions: ['instrument', 'detector', 'exposure'],
      storageClass: 'Raw',
    }),
  );
  await local.registry.registerCollection(request.rawRun, 'RUN');
  for (const a of accepted) {
    request.signal.throwIfAborted();
    request.log.info(
      { key: a.raw.key, exposure: a.raw.exposureId },
      'Ingesting image id %d',
      a.raw.exposureId,
    );
    await local.put(
      'raw',
      { instrument: visit.instrument, detector: visit.detector, exposure: a.raw.exposureId },
      request.rawRun,
      a.bytes,
      'fits',
    );
  }
  return {
    visitId: first.raw.exposureId,
    exposureIds: accepted.map((a) => a.raw.exposureId),
    physicalFilter: filter,
    band,
    dayObs,
  };
}
