// verify: after a run, per group and detector — did processing happen (the APDB stored the
// visit-detector, or the central repo has outputs), which pipeline ran (from the output run's
// name, `<INST>/prompt/output-<date>/<Pipeline>/<deployment>`), and how many injected transients
// came back as DiaSources.

import type { Apdb } from '../../service/apdb/apdb';
import { containsVisitDetector } from '../../service/apdb/read-dia-objects';
import { INSTRUMENT_NAMES } from '../../service/domain/instruments';
import type { ObjectBucket } from '../../service/ports/object-bucket';
import { quoteIdentifier } from '../../service/ports/sql-database';
import type { Repo } from '../../service/repo/repo';
import { type GroupRecord, groupRecordKey } from '../upload/upload-group';
import { recoverTransients } from './match-transients';

/** Outputs that show how far a pipeline got, most complete first. */
const EVIDENCE = ['apdb_marker', 'difference_image', 'preliminary_visit_image', 'post_isr_image'] as const;

export interface DetectorVerdict {
  readonly groupId: string;
  readonly detector: number;
  readonly visit: number;
  readonly processed: boolean;
  readonly pipeline: string;
  readonly apdbStored: boolean;
  readonly diaSources: number;
  readonly transientsInjected: number;
  readonly transientsFound: number;
}

export class GroupNotFoundError extends Error {
  override readonly name = 'GroupNotFoundError';
}

export async function readGroupRecord(usersBucket: ObjectBucket, groupId: string): Promise<GroupRecord> {
  for (const instrument of INSTRUMENT_NAMES) {
    const bytes = await usersBucket.get(groupRecordKey(instrument, groupId));
    if (bytes) return JSON.parse(Buffer.from(bytes).toString('utf8')) as GroupRecord;
  }
  throw new GroupNotFoundError(
    `group ${groupId} was not uploaded by prompt-tester (no tester-runs/<INST>/${groupId}.json in ${usersBucket.location}): check the id and --users-bucket`,
  );
}

async function pipelineThatRan(repo: Repo | undefined, record: GroupRecord, detector: number, visit: number) {
  if (!repo) return '-';
  for (const datasetType of EVIDENCE) {
    if (!(await repo.registry.datasetType(datasetType))) continue;
    const found = await repo.registry.queryDatasets({
      datasetType,
      where: { instrument: record.instrument, detector, visit },
    });
    const run = found[0]?.run;
    if (run) return run.split('/')[3] ?? run;
  }
  return 'none';
}

export async function verifyGroup(
  record: GroupRecord,
  apdb: Apdb | undefined,
  repo: Repo | undefined,
): Promise<DetectorVerdict[]> {
  const visit = record.exposureIds[0] ?? 0;
  const verdicts: DetectorVerdict[] = [];
  for (const { detector, transients } of record.detectors) {
    let apdbStored = false;
    let sources: { ra: number; dec: number }[] = [];
    if (apdb) {
      const schema = quoteIdentifier(apdb.namespace);
      apdbStored = await containsVisitDetector(apdb.db, schema, BigInt(visit), detector);
      const rows = await apdb.db.query<{ ra: number; dec: number }>(
        `SELECT "ra", "dec" FROM ${schema}."DiaSource" WHERE "visit" = $1 AND "detector" = $2`,
        [BigInt(visit), detector],
      );
      sources = rows.rows.map((r) => ({ ra: Number(r.ra), dec: Number(r.dec) }));
    }
    const pipeline = await pipelineThatRan(repo, record, detector, visit);
    const recovery = recoverTransients(transients, sources);
    verdicts.push({
      groupId: record.groupId,
      detector,
      visit,
      processed: apdbStored || (pipeline !== 'none' && pipeline !== '-'),
      pipeline,
      apdbStored,
      diaSources: sources.length,
      transientsInjected: recovery.injected,
      transientsFound: recovery.found,
    });
  }
  return verdicts;
}
