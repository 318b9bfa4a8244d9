// The activator: processes one (visit, detector) end to end behind the VisitProcessor port — choose
// the pipelines, prepare a local repo from the central one, wait for the snaps, ingest them, run the
// first runnable pipeline, export its outputs — and always removes the local repo. Every await
// honours the visit's AbortSignal; failures become the typed errors of visit-failure.ts.

import type { FastifyBaseLogger } from 'fastify';
import { inputCollections, outputChain, outputRun, PRELOAD_RUN_BASENAME } from '../domain/collections';
import { detectorById, type Instrument } from '../domain/instruments';
import { type LogLevels, levelOf } from '../domain/log-levels';
import { CoordinateSystem, type FannedOutVisit } from '../domain/next-visit';
import {
  type PipelinesConfig,
  pipelineBasename,
  selectPipelines,
  type VisitForSelection,
} from '../domain/pipeline-selection';
import { CAMERA_LAYOUTS, detectorCenter, detectorRegion } from '../domain/sky/detector-region';
import type { SkyCircle } from '../domain/sky/sky-circle';
import { taiToUtc, utcToTai } from '../domain/tai';
import { loadPipelineGraph } from '../pipeline/engine/load-pipeline';
import type { PipelineGraph } from '../pipeline/engine/pipeline-graph';
import type { TaskRegistry } from '../pipeline/engine/task-registry';
import { runFirstRunnablePipeline } from '../pipeline/run-first-runnable';
import type { RawBucket } from '../ports/raw-bucket';
import {
  type Clock,
  systemClock,
  type VisitContext,
  type VisitOutcome,
  type VisitProcessor,
} from '../ports/visit-processor';
import { IgnorableVisitError } from '../prompt-service/visit-errors';
import type { Repo } from '../repo/repo';
import { RepoDatasetStore } from '../repo/repo-dataset-store';
import { transferDatasets } from '../repo/transfer';
import { exportOutputs } from './export-outputs';
import { type IngestedVisit, ingestRaws } from './ingest-raws';
import { createLocalRepo, insertInstrumentRecords, type LocalRepo } from './local-repo';
import { findPreloadDatasets, registerTypesLike } from './preload';
import type { RawArrivals } from './raw-arrivals';
import { StepTimer, TIMER_LOGGER } from './step-timer';
import { type ApdbVisitCheck, type VisitPhase, visitFailure } from './visit-failure';
import { waitForRaws } from './wait-for-raws';

export interface ActivatorOptions {
  readonly instrument: Instrument;
  /** The central repo, opened (and checked compatible) once at start. */
  readonly central: Repo;
  readonly rawBucket: RawBucket;
  readonly arrivals: RawArrivals;
  readonly apdb: ApdbVisitCheck;
  readonly tasks: TaskRegistry;
  readonly mainPipelines: PipelinesConfig;
  readonly preprocessingPipelines: PipelinesConfig;
  /** LOCAL_REPOS */
  readonly localReposDir: string;
  readonly skymap: string;
  /** IMAGE_TIMEOUT, seconds */
  readonly imageTimeoutSeconds: number;
  /** PRELOAD_PADDING, arcseconds */
  readonly preloadPaddingArcsec: number;
  /** EXPORT_TYPE_REGEXP, parsed */
  readonly exportTypes: readonly RegExp[];
  /** DEBUG_EXPORT_OUTPUTS */
  readonly exportOutputs: boolean;
  /** The deployment part of run names. */
  readonly deployment: string;
  /** SERVICE_LOG_LEVELS, for the activator's and the timers' loggers. */
  readonly logLevels: LogLevels;
  /** Seconds a retriable failure asks the fan-out to wait. @default 30 */
  readonly retryAfterSeconds?: number;
  /** @default the system clock */
  readonly clock?: Clock;
  /** Sidecar retry spacing for LSST raws, ms. @default 100 */
  readonly sidecarRetryMs?: number;
}

/** A visit in progress: what the steps share. */
interface VisitState {
  readonly visit: FannedOutVisit;
  readonly log: FastifyBaseLogger;
  readonly signal: AbortSignal;
  readonly timer: StepTimer;
  readonly local: LocalRepo;
  readonly chain: string;
  readonly preloadRun: string;
  phase: VisitPhase;
  ingested?: IngestedVisit;
}

export class Activator implements VisitProcessor {
  private readonly collections;
  private readonly clock: Clock;

  constructor(private readonly options: ActivatorOptions) {
    this.collections = inputCollections(options.instrument.name);
    this.clock = options.clock ?? systemClock;
  }

  async processVisit(visit: FannedOutVisit, context: VisitContext): Promise<VisitOutcome> {
    const log = context.log.child(
      { name: 'lsst.activator' },
      { level: levelOf(this.options.logLevels, 'lsst.activator') },
    );
    const timerLog = context.log.child(
      { name: TIMER_LOGGER },
      { level: levelOf(this.options.logLevels, TIMER_LOGGER) },
    );
    const timer = new StepTimer(timerLog, context);
    const selection = this.selectionOf(visit);
    // Before anything else: a visit nobody wants is answered at once (422), without a local repo.
    const mainFiles = selectPipelines(this.options.mainPipelines, selection);
    if (mainFiles.length === 0)
      throw new IgnorableVisitError(
        `no main pipeline is configured for survey "${visit.survey}": nothing to run`,
      );
    const region = this.regionOf(visit);
    log.info({ region }, 'Preparing Butler for visit %s', visit.groupId);
    const local = await createLocalRepo(this.options.localReposDir, `${visit.groupId}-${visit.detector}`);
    const chain = outputChain(visit.instrument, utcToTai(this.clock.nowUtcSeconds()));
    const state: VisitState = {
      visit,
      log,
      signal: context.signal,
      timer,
      local,
      chain,
      preloadRun: outputRun(chain, PRELOAD_RUN_BASENAME, this.options.deployment),
      phase: 'prepare',
    };
    try {
      const preprocessing = this.preprocessingFiles(selection);
      const graphs = await this.loadGraphs([...mainFiles, ...preprocessing]);
      await timer.time('prep', () => this.prepare(state, graphs, region));
      await timer.time('preprocess', () => this.preprocess(state, preprocessing, region));
      state.phase = 'wait';
      const raws = await timer.time('wait', () =>
        waitForRaws({
          expected: {
            instrument: visit.instrument,
            detector: visit.detector,
            group: visit.groupId,
            nimages: visit.nimages,
          },
          durationSeconds: visit.duration,
          imageTimeoutSeconds: this.options.imageTimeoutSeconds,
          bucket: this.options.rawBucket,
          arrivals: this.options.arrivals,
          log,
          signal: context.signal,
          ...(this.options.sidecarRetryMs === undefined
            ? {}
            : { sidecarRetryMs: this.options.sidecarRetryMs }),
        }),
      );
      state.phase = 'ingest';
      state.ingested = await timer.time('ingest', () =>
        ingestRaws({
          visit,
          raws,
          bucket: this.options.rawBucket,
          local: local.repo,
          central: this.options.central,
          rawRun: this.collections.raws,
          log: log.child({ exposures: raws.map((r) => r.exposureId) }),
          signal: context.signal,
        }),
      );
      const ingested = state.ingested;
      const visitLog = log.child({ exposures: ingested.exposureIds });
      state.phase = 'pipeline';
      const pipeline = await this.runMain(state, mainFiles, ingested, visitLog);
      state.phase = 'export';
      if (this.options.exportOutputs) {
        const report = await timer.time('export', () =>
          exportOutputs({
            local: local.repo,
            central: this.options.central,
            runs: [pipeline.run, state.preloadRun],
            chain: state.chain,
            types: this.options.exportTypes,
            signal: context.signal,
          }),
        );
        visitLog.info(
          { transferred: report.transferred, skipped: report.skipped, types: report.types },
          'Pipeline products saved to collections %s',
          pipeline.run,
        );
      }
      return {
        pipeline: pipeline.basename,
        message: `Pipeline executed: ${pipeline.basename} on exposure(s) ${ingested.exposureIds.join(', ')}`,
      };
    } catch (error) {
      throw await visitFailure(error, {
        phase: state.phase,
        signal: context.signal,
        apdb: this.options.apdb,
        ...(state.ingested ? { visitId: state.ingested.visitId } : {}),
        detector: visit.detector,
        retryAfterSeconds: this.options.retryAfterSeconds ?? 30,
      });
    } finally {
      await local
        .remove()
        .catch((error: unknown) => log.error({ err: error }, 'could not remove the local repo'));
    }
  }

  /** Whether outputs of this dataset type leave the local repo (EXPORT_TYPE_REGEXP, DEBUG_EXPORT_OUTPUTS). */
  private exported(datasetType: string): boolean {
    return (
      this.options.exportOutputs && this.options.exportTypes.some((pattern) => pattern.test(datasetType))
    );
  }

  private selectionOf(visit: FannedOutVisit): VisitForSelection {
    if (visit.coordinateSystem !== CoordinateSystem.ICRS) return { survey: visit.survey };
    const boresight = visit.position;
    const detector = detectorById(this.options.instrument, visit.detector);
    const center = detectorCenter(CAMERA_LAYOUTS[this.options.instrument.name], {
      boresight,
      cameraAngleDeg: visit.cameraAngle,
      detectorName: detector?.name ?? String(visit.detector),
    });
    return { survey: visit.survey, boresight, detectorCenter: center };
  }

  private regionOf(visit: FannedOutVisit): SkyCircle | undefined {
    if (visit.coordinateSystem !== CoordinateSystem.ICRS) return undefined;
    const detector = detectorById(this.options.instrument, visit.detector);
    return detectorRegion(
      CAMERA_LAYOUTS[this.options.instrument.name],
      {
        boresight: visit.position,
        cameraAngleDeg: visit.cameraAngle,
        detectorName: detector?.name ?? String(visit.detector),
      },
      this.options.preloadPaddingArcsec,
    );
  }

  private preprocessingFiles(selection: VisitForSelection): readonly string[] {
    try {
      return selectPipelines(this.options.preprocessingPipelines, selection);
    } catch {
      return [];
    }
  }

  /** Graphs that build; the others are reported when the pipeline is chosen. */
  private async loadGraphs(files: readonly string[]): Promise<PipelineGraph[]> {
    const graphs: PipelineGraph[] = [];
    for (const file of files) {
      try {
        graphs.push(await loadPipelineGraph(file, this.options.tasks));
      } catch {
        // skipped with its reason by chooseRunnablePipeline
      }
    }
    return graphs;
  }

  private async prepare(state: VisitState, graphs: readonly PipelineGraph[], region: SkyCircle | undefined) {
    const { visit, local, signal } = state;
    const central = this.options.central;
    await insertInstrumentRecords(local.repo, central, this.options.instrument, visit.detector);
    signal.throwIfAborted();
    const datasets = region
      ? await findPreloadDatasets({
          central,
          graphs,
          collections: this.collections,
          instrument: visit.instrument,
          detector: visit.detector,
          physicalFilter: visit.filters,
          skymap: this.options.skymap,
          region,
          time: new Date(taiToUtc(visit.private_sndStamp) * 1000),
          signal,
        })
      : [];
    signal.throwIfAborted();
    await registerTypesLike(local.repo, central, datasets);
    const report = await transferDatasets(central, local.repo, datasets);
    state.log.debug(
      {
        datasets: report.transferred,
        bytes: report.bytes,
        types: [...new Set(datasets.map((d) => d.datasetType))],
      },
      'preloaded %d dataset(s) from the central repo',
      report.transferred,
    );
    signal.throwIfAborted();
  }

  /**
   * Writes the visit's region and time (upstream regionTimeInfo) and runs the preprocessing pipeline
   * while the raws are still on their way. Its failures are only logged: the main pipeline decides.
   */
  private async preprocess(state: VisitState, files: readonly string[], region: SkyCircle | undefined) {
    const { visit, local, signal } = state;
    const dataId = { instrument: visit.instrument, group: visit.groupId, detector: visit.detector };
    await local.repo.registry.insertDimensionRecords(
      'group',
      [{ instrument: visit.instrument, group: visit.groupId }],
      { skipExisting: true },
    );
    const store = new RepoDatasetStore(local.repo, [state.preloadRun]);
    const begin = taiToUtc(visit.private_sndStamp);
    await store.put(state.preloadRun, { datasetType: 'region_time_info', dataId }, 'DataFrame', {
      region: region ?? null,
      timespanBegin: new Date(begin * 1000).toISOString(),
      timespanEnd: new Date((begin + 3 * visit.duration) * 1000).toISOString(),
    });
    if (files.length === 0) return;
    try {
      const outcome = await runFirstRunnablePipeline({
        files,
        load: (file) => loadPipelineGraph(file, this.options.tasks),
        store,
        dataId,
        runFor: (graph) => outputRun(state.chain, pipelineBasename(graph.file), this.options.deployment),
        signal,
      });
      state.log.info({ pipeline: outcome.report.file }, 'preprocessing pipeline %s ran', outcome.report.file);
    } catch (error) {
      signal.throwIfAborted();
      state.log.warn(
        { err: error },
        'preprocessing failed, going on without it: %s',
        (error as Error).message,
      );
    }
  }

  /** Input search path of the local repo: the raws, then every run the preload brought in. */
  private async searchPath(local: Repo): Promise<string[]> {
    const runs = await local.registry.db.query<{ name: string }>(
      `SELECT name FROM "${local.registry.schema}".collection WHERE type = 'RUN' ORDER BY name`,
    );
    const names = runs.rows.map((r) => r.name);
    return [this.collections.raws, ...names.filter((n) => n !== this.collections.raws)];
  }

  private async runMain(
    state: VisitState,
    files: readonly string[],
    ingested: IngestedVisit,
    log: FastifyBaseLogger,
  ): Promise<{ basename: string; run: string }> {
    const { visit, local } = state;
    const dataId = {
      instrument: visit.instrument,
      detector: visit.detector,
      exposure: ingested.exposureIds[0] ?? ingested.visitId,
      visit: ingested.visitId,
      group: visit.groupId,
      day_obs: ingested.dayObs,
      physical_filter: ingested.physicalFilter,
      band: ingested.band,
      skymap: this.options.skymap,
    };
    const where = `instrument='${visit.instrument}' and detector=${visit.detector} and exposure in (${ingested.exposureIds.join(', ')})`;
    const store = new RepoDatasetStore(local.repo, await this.searchPath(local.repo));
    let basename = '';
    const outcome = await runFirstRunnablePipeline({
      files,
      load: (file) => loadPipelineGraph(file, this.options.tasks),
      store,
      dataId,
      // every snap: ISR runs per exposure, combineSnaps makes the visit image
      exposures: ingested.exposureIds,
      runFor: (graph) => {
        basename = pipelineBasename(graph.file);
        log.info({ pipeline: basename }, "Running '%s' on %s", graph.file, where);
        return outputRun(state.chain, basename, this.options.deployment);
      },
      signal: state.signal,
      // Only what the export takes is written: the local repo is removed when the visit ends.
      persist: (datasetType) => this.exported(datasetType),
    });
    for (const skipped of outcome.skipped)
      log.info(
        { pipeline: skipped.file, reason: skipped.reason },
        'skipped pipeline %s: %s',
        skipped.file,
        skipped.reason,
      );
    const { report } = outcome;
    state.timer.record(
      'pipeline',
      report.totalMilliseconds / 1000,
      report.startedAtUnixMs + report.totalMilliseconds,
    );
    for (const task of report.tasks)
      state.timer.record(
        `task:${task.label}`,
        task.milliseconds / 1000,
        report.startedAtUnixMs + task.startMilliseconds + task.milliseconds,
      );
    return { basename, run: outcome.report.run };
  }
}
