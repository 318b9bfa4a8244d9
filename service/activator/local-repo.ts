// The per-visit local repo: a directory under LOCAL_REPOS with an in-memory registry, created for one
// (visit, detector) and always removed afterwards, so nothing of one visit leaks into the next.

import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Instrument } from '../domain/instruments';
import { Repo } from '../repo/repo';

export interface LocalRepo {
  readonly repo: Repo;
  readonly directory: string;
  /** Closes the registry and deletes the directory; safe to call twice. */
  remove(): Promise<void>;
}

export async function createLocalRepo(localReposDir: string, label: string): Promise<LocalRepo> {
  const directory = join(localReposDir, `visit-${label.replace(/[^A-Za-z0-9_.-]/g, '_')}-${randomUUID()}`);
  await mkdir(localReposDir, { recursive: true });
  let repo: Repo;
  try {
    // The registry lives in memory: it is small, per visit, and gone with the process if it dies.
    repo = await Repo.create(directory, { registryDb: 'memory:' });
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  let removed = false;
  return {
    repo,
    directory,
    async remove() {
      if (removed) return;
      removed = true;
      await repo.close().catch(() => undefined);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Instrument and detector records, from the central repo when it has them, else from the catalog. */
export async function insertInstrumentRecords(
  local: Repo,
  central: Repo,
  instrument: Instrument,
  detector: number,
): Promise<void> {
  const [instrumentRecord] = await central.registry.dimensionRecords('instrument', {
    instrument: instrument.name,
  });
  await local.registry.insertDimensionRecords(
    'instrument',
    [
      instrumentRecord ?? {
        instrument: instrument.name,
        detector_max: Math.max(...instrument.detectors.map((d) => d.id)) + 1,
        visit_max: 2 ** 40,
      },
    ],
    { skipExisting: true },
  );
  const [detectorRecord] = await central.registry.dimensionRecords('detector', {
    instrument: instrument.name,
    detector,
  });
  const name = instrument.detectors.find((d) => d.id === detector)?.name ?? String(detector);
  await local.registry.insertDimensionRecords(
    'detector',
    [detectorRecord ?? { instrument: instrument.name, detector, full_name: name }],
    { skipExisting: true },
  );
}
