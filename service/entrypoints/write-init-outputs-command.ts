// `prompt-repo write-init-outputs`: the initializer Job's command. Reads the service's settings
// (instrument, central repo, pipelines configs, CONFIG_APDB), computes the deployment id the service
// will use, and registers the day's output chain, runs, dataset types and init-outputs.
import { resolve } from 'node:path';
import { Command } from 'commander';
import { computeDeploymentId } from '../activator/deployment-id';
import { writeInitOutputs } from '../activator/init-outputs';
import { readInitializerSettings } from '../config/service-settings';
import { utcToTai } from '../domain/tai';
import { defaultTaskRegistry } from '../pipeline/tasks/default-task-registry';
import { packageVersion } from '../prompt-service/service-version';
import { Repo } from '../repo/repo';
import { printJson } from './cli-run';

const PACKAGE_ROOT = resolve(__dirname, '..', '..');

export function writeInitOutputsCommand(): Command {
  return new Command('write-init-outputs')
    .description(
      "register today's output chain, runs, output dataset types and init-outputs in the central repo (the initializer Job)",
    )
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const { config, main, preprocessing } = readInitializerSettings(process.env, PACKAGE_ROOT);
      const version = packageVersion(PACKAGE_ROOT);
      const deployment = await computeDeploymentId([main, preprocessing], config.CONFIG_APDB, version);
      const central = await Repo.openCompatible(config.CENTRAL_REPO, {
        s3: config.S3_ENDPOINT_URL ? { endpoint: config.S3_ENDPOINT_URL } : {},
      });
      try {
        const report = await writeInitOutputs({
          central,
          instrument: config.RUBIN_INSTRUMENT,
          configs: [main, preprocessing],
          tasks: defaultTaskRegistry(),
          deployment,
          packageVersion: version,
          processingTai: utcToTai(Date.now() / 1000),
        });
        if (options.json) printJson({ deployment, ...report });
        else
          process.stdout.write(
            `${report.chain}: ${report.runs.length} run(s), ${report.datasetTypes.length} dataset type(s), ${report.initOutputsWritten} init-output(s) written (deployment ${deployment})\n`,
          );
      } finally {
        await central.close();
      }
    });
}
