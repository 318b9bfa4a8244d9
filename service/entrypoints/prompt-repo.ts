// `prompt-repo`: create and administer repos (central: S3 + PostgreSQL; local: directory + embedded
// PostgreSQL) — migrations, dataset types, collections, import/export, queries, calibrations.
// Wiring only; the work is in service/repo/ and service/registry/.
import { Command, Option } from 'commander';
import { parseAdminCliConfig } from '../config/admin-cli-config';
import { instrumentByName } from '../domain/instruments';
import { parseDataIdText } from '../domain/repo/data-id';
import { COLLECTION_TYPES, type CollectionType, datasetTypeDefinition } from '../domain/repo/dataset-type';
import { DIMENSIONS_CONFIG, dimensionsConfigLabel } from '../domain/repo/dimensions';
import { RepoError } from '../domain/repo/repo-errors';
import { latestVersion, migrateDown, migrateUp } from '../migrations/migration';
import { REGISTRY_MIGRATIONS } from '../migrations/registry';
import { Repo } from '../repo/repo';
import { transferDatasets } from '../repo/transfer';
import { printJson, runCli } from './cli-run';
import { writeInitOutputsCommand } from './write-init-outputs-command';

interface RepoOption {
  repo?: string;
}
interface SelectOptions extends RepoOption {
  datasetType: string;
  collections?: string;
  where?: string;
}

const s3 = () => {
  const endpoint = parseAdminCliConfig(process.env).S3_ENDPOINT_URL;
  return endpoint ? { endpoint } : {};
};

function rootOf(options: RepoOption): string {
  const root = options.repo ?? parseAdminCliConfig(process.env).CENTRAL_REPO;
  if (!root) throw new RepoError('no repo given: pass --repo <root> or set CENTRAL_REPO');
  return root;
}

/** Opens the repo; unless `anyVersion`, refuses one whose schema or dimensions-config differs. */
async function withRepo<T>(root: string, work: (repo: Repo) => Promise<T>, anyVersion = false): Promise<T> {
  const repo = anyVersion
    ? await Repo.open(root, { s3: s3() })
    : await Repo.openCompatible(root, { s3: s3() });
  try {
    return await work(repo);
  } finally {
    await repo.close();
  }
}

const list = (text?: string) =>
  text
    ? text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

function selection(options: SelectOptions) {
  const collections = list(options.collections);
  return {
    datasetType: options.datasetType,
    ...(collections ? { collections } : {}),
    where: parseDataIdText(options.where ?? ''),
  };
}

const repoOption = () =>
  new Option('--repo <root>', 'repo root (s3://bucket/prefix or a directory); default CENTRAL_REPO');

function selectOptions(command: Command): Command {
  return command
    .requiredOption('--dataset-type <name>', 'dataset type to select')
    .option('--collections <a,b>', 'collections to search (chains expanded); default all runs')
    .option('--where <k=v,…>', 'data id values the datasets must have, e.g. instrument=LSSTCam,detector=42');
}

function migrateCommand(): Command {
  const migrate = new Command('migrate').description('show or change the registry schema version');
  migrate
    .command('show-current')
    .description('print the schema version and dimensions-config of the repo and of this build')
    .addOption(repoOption())
    .option('--json', 'print JSON')
    .action(async (options: RepoOption & { json?: boolean }) => {
      const versions = await withRepo(rootOf(options), (repo) => repo.registry.versions(), true);
      const report = {
        ...versions,
        buildSchemaVersion: latestVersion(REGISTRY_MIGRATIONS),
        buildDimensionsConfig: dimensionsConfigLabel(DIMENSIONS_CONFIG),
      };
      if (options.json) return printJson(report);
      process.stdout.write(
        `schema version ${report.schemaVersion} (this build: ${report.buildSchemaVersion}); dimensions-config ${report.dimensionsConfig ?? '-'} (this build: ${report.buildDimensionsConfig})\n`,
      );
    });
  migrate
    .command('up')
    .description('apply migrations up to --to (default: the latest)')
    .addOption(repoOption())
    .option('--to <version>', 'target version', Number)
    .action(async (options: RepoOption & { to?: number }) => {
      const report = await withRepo(
        rootOf(options),
        (repo) => migrateUp(repo.registry.db, REGISTRY_MIGRATIONS, repo.registry.schema, options.to),
        true,
      );
      process.stdout.write(
        `registry ${report.from} → ${report.to}${report.applied.length ? `: ${report.applied.join('; ')}` : ' (nothing to do)'}\n`,
      );
    });
  migrate
    .command('down')
    .description('undo migrations down to --to (default: one step); refuses steps that would lose data')
    .addOption(repoOption())
    .option('--to <version>', 'target version', Number)
    .action(async (options: RepoOption & { to?: number }) => {
      const report = await withRepo(
        rootOf(options),
        (repo) => migrateDown(repo.registry.db, REGISTRY_MIGRATIONS, repo.registry.schema, options.to),
        true,
      );
      process.stdout.write(
        `registry ${report.from} → ${report.to}: undid ${report.applied.join('; ') || 'nothing'}\n`,
      );
    });
  return migrate;
}

function program(): Command {
  const cli = new Command('prompt-repo')
    .description('Create and administer Prompt Processing repos (registry + datastore).')
    .showHelpAfterError();

  cli
    .command('create')
    .description('create a repo: write <root>/repo.yaml and migrate its registry to this build')
    .argument('<root>', 's3://bucket/prefix or a directory')
    .option(
      '--registry-db <url>',
      'postgresql:// URL of the registry (default: embedded PostgreSQL in <root>/registry)',
    )
    .option('--namespace <schema>', 'registry schema', 'registry')
    .action(async (root: string, options: { registryDb?: string; namespace: string }) => {
      const repo = await Repo.create(root, {
        s3: s3(),
        namespace: options.namespace,
        ...(options.registryDb ? { registryDb: options.registryDb } : {}),
      });
      await repo.close();
      process.stdout.write(`created repo ${root} (${repo.registry.description})\n`);
    });

  cli.addCommand(migrateCommand());
  cli.addCommand(writeInitOutputsCommand());

  cli
    .command('register-dataset-type')
    .description(
      'register a dataset type; a no-op when the same definition exists, an error when another does',
    )
    .argument('<name>', 'dataset type name')
    .requiredOption('--dimensions <a,b>', 'dimensions, e.g. instrument,detector,exposure')
    .requiredOption('--storage-class <name>', 'storage class, e.g. ExposureF, ArrowAstropy')
    .option('--calibration', 'a calibration type (certifiable with validity ranges)')
    .addOption(repoOption())
    .action(
      async (
        name: string,
        options: RepoOption & { dimensions: string; storageClass: string; calibration?: boolean },
      ) => {
        const definition = datasetTypeDefinition({
          name,
          dimensions: list(options.dimensions) ?? [],
          storageClass: options.storageClass,
          isCalibration: options.calibration ?? false,
        });
        const outcome = await withRepo(rootOf(options), (repo) =>
          repo.registry.registerDatasetType(definition),
        );
        process.stdout.write(
          `${name}: ${outcome === 'registered' ? 'registered' : 'already registered (same definition)'}\n`,
        );
      },
    );

  cli
    .command('register-collection')
    .description("create a RUN, CHAINED or CALIBRATION collection (and set a chain's children)")
    .argument('<name>', 'collection name')
    .addOption(new Option('--type <type>', 'collection type').choices(COLLECTION_TYPES).makeOptionMandatory())
    .option('--children <a,b>', 'for CHAINED: the collections searched, in order')
    .addOption(repoOption())
    .action(async (name: string, options: RepoOption & { type: CollectionType; children?: string }) => {
      await withRepo(rootOf(options), async (repo) => {
        await repo.registry.registerCollection(name, options.type);
        const children = list(options.children);
        if (children) await repo.registry.setChain(name, children);
      });
      process.stdout.write(`${name}: ${options.type}\n`);
    });

  cli
    .command('register-instrument')
    .description('insert an instrument and its detectors from the instrument catalog (skip-existing)')
    .argument('<instrument>', 'LATISS, LSSTComCam, LSSTCam or HSC')
    .addOption(repoOption())
    .action(async (name: string, options: RepoOption) => {
      const instrument = instrumentByName(name);
      const added = await withRepo(rootOf(options), async (repo) => {
        const ids = instrument.detectors.map((d) => d.id);
        let n = await repo.registry.insertDimensionRecords(
          'instrument',
          [{ instrument: instrument.name, detector_max: Math.max(...ids) + 1 }],
          { skipExisting: true },
        );
        n += await repo.registry.insertDimensionRecords(
          'detector',
          instrument.detectors.map((d) => ({
            instrument: instrument.name,
            detector: d.id,
            full_name: d.name,
          })),
          { skipExisting: true },
        );
        return n;
      });
      process.stdout.write(`${instrument.name}: ${added} new dimension records\n`);
    });

  const transfer = (direction: 'export' | 'import') =>
    selectOptions(
      cli
        .command(direction)
        .description(
          direction === 'export'
            ? 'copy selected datasets (files, records, dimension records) from --repo into <other-repo>'
            : 'copy selected datasets (files, records, dimension records) from <other-repo> into --repo',
        )
        .argument('<other-repo>', 'root of the other repo')
        .addOption(repoOption()),
    ).action(async (other: string, options: SelectOptions) => {
      const here = rootOf(options);
      const [from, to] = direction === 'export' ? [here, other] : [other, here];
      const report = await withRepo(from, (source) =>
        withRepo(to, async (target) =>
          transferDatasets(source, target, await source.registry.queryDatasets(selection(options))),
        ),
      );
      printJson(report);
    });
  transfer('export');
  transfer('import');

  selectOptions(
    cli
      .command('query-datasets')
      .description('list datasets of a type in collections, with data ids and file records')
      .addOption(repoOption())
      .option('--json', 'print JSON'),
  ).action(async (options: SelectOptions & { json?: boolean }) => {
    const datasets = await withRepo(rootOf(options), (repo) =>
      repo.registry.queryDatasets(selection(options)),
    );
    if (options.json) return printJson(datasets);
    for (const d of datasets)
      process.stdout.write(`${d.id}  ${d.run}  ${JSON.stringify(d.dataId)}  ${d.record.path}\n`);
  });

  selectOptions(
    cli
      .command('certify-calibrations')
      .description(
        'certify datasets of a calibration type into a CALIBRATION collection for a validity range',
      )
      .argument('<collection>', 'CALIBRATION collection (created when absent)')
      .requiredOption('--begin <time>', 'start of validity (ISO 8601, inclusive)')
      .option('--end <time>', 'end of validity (ISO 8601, exclusive); default open-ended')
      .addOption(repoOption()),
  ).action(async (collection: string, options: SelectOptions & { begin: string; end?: string }) => {
    const begin = parseTime(options.begin, '--begin');
    const end = options.end ? parseTime(options.end, '--end') : undefined;
    const n = await withRepo(rootOf(options), async (repo) => {
      const datasets = await repo.registry.queryDatasets(selection(options));
      if (datasets.length === 0)
        throw new RepoError(`no ${options.datasetType} datasets match: nothing to certify`);
      await repo.registry.registerCollection(collection, 'CALIBRATION');
      return repo.registry.certify(
        collection,
        datasets.map((d) => d.id),
        { begin, ...(end ? { end } : {}) },
      );
    });
    process.stdout.write(`certified ${n} ${options.datasetType} dataset(s) into ${collection}\n`);
  });
  return cli;
}

function parseTime(text: string, flag: string): Date {
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) throw new RepoError(`${flag} ${text} is not an ISO 8601 time`);
  return time;
}

runCli('prompt-repo', program());
