// `npm run synth [-- --developer <name>] [--image-tag <tag>]`: runs `cdk8s synth`, passing the
// options to the app (infra/main.ts) as environment variables, since cdk8s does not forward arguments.
// `cdk8s synth` empties dist/ before the app runs, so arguments are checked here first: a typo must
// not leave dist/ empty.

import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { validateDeveloperName } from './environments/developer';

const { values } = parseArgs({
  options: { developer: { type: 'string' }, 'image-tag': { type: 'string' } },
  strict: true,
});

if (values.developer !== undefined) {
  try {
    validateDeveloperName(values.developer);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
}

const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
if (values.developer !== undefined) env.PP_DEVELOPER = values.developer;
if (values['image-tag'] !== undefined) env.PP_IMAGE_TAG = values['image-tag'];

const result = spawnSync('cdk8s', ['synth'], { env, stdio: 'inherit' });
process.exit(result.status ?? 1);
