// `prompt-apdb`: create, reset and inspect an APDB (PostgreSQL schema, or embedded PostgreSQL in a
// directory). Wiring only; the work is in service/apdb/.
import { Command } from 'commander';
import { Apdb } from '../apdb/apdb';
import { parseAdminCliConfig } from '../config/admin-cli-config';
import { apdbLocation } from '../domain/apdb/apdb-location';
import { printJson, runCli } from './cli-run';

interface Target {
  namespace?: string;
  dbUrl?: string;
}

async function withApdb<T>(options: Target, work: (apdb: Apdb) => Promise<T>): Promise<T> {
  const dbUrl = options.dbUrl ?? parseAdminCliConfig(process.env).CONFIG_APDB ?? '';
  const apdb = await Apdb.open(apdbLocation(dbUrl, options.namespace));
  try {
    return await work(apdb);
  } finally {
    await apdb.close();
  }
}

function addTarget(command: Command): Command {
  return command
    .option('--namespace <schema>', "PostgreSQL schema of the APDB (default: the URL's search_path)")
    .option(
      '--db-url <url>',
      'postgresql:// URL (may carry options=-c search_path=<schema>), or a directory for embedded PostgreSQL; default CONFIG_APDB',
    );
}

function program(): Command {
  const cli = new Command('prompt-apdb')
    .description('Create, reset and inspect the Alert Production Database (APDB).')
    .showHelpAfterError();

  addTarget(cli.command('create'))
    .description('create the APDB tables in the namespace; a no-op when they exist at this version')
    .action(async (options: Target) => {
      const report = await withApdb(options, (apdb) => apdb.create());
      const what =
        report.applied.length > 0 ? `created (${report.applied.join('; ')})` : 'already up to date';
      process.stdout.write(
        `APDB ${apdbLocation(options.dbUrl ?? process.env.CONFIG_APDB ?? '', options.namespace).namespace}: ${what}\n`,
      );
    });

  addTarget(cli.command('reset'))
    .description('drop the namespace with all its rows and create it empty (needs --yes)')
    .option('--yes', 'confirm that every DiaObject, DiaSource and DiaForcedSource is to be deleted')
    .action(async (options: Target & { yes?: boolean }) => {
      if (!options.yes)
        throw new Error('reset deletes every row in the APDB namespace: rerun with --yes to confirm');
      await withApdb(options, (apdb) => apdb.reset());
      process.stdout.write('APDB reset: empty tables at the current version\n');
    });

  addTarget(cli.command('status'))
    .description('print schema version and row counts')
    .option('--json', 'print JSON')
    .action(async (options: Target & { json?: boolean }) => {
      const status = await withApdb(options, (apdb) => apdb.status());
      if (options.json) return printJson(status);
      const lines = [
        `namespace ${status.namespace} in ${status.database}`,
        `schema version ${status.schemaVersion} (this build: ${status.latestSchemaVersion}); ApdbSchema ${status.metadata['version:schema'] ?? '-'}`,
        ...Object.entries(status.rowCounts).map(([table, n]) => `${table.padEnd(20)} ${n}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  return cli;
}

runCli('prompt-apdb', program());
