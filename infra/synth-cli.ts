// `npm run synth [-- --developer <name>] [--image-tag <tag>]`: runs `cdk8s synth`, passing the
// options to the app (infra/main.ts) as environment variables, since cdk8s does not forward arguments.

import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { developer: { type: 'string' }, 'image-tag': { type: 'string' } },
  strict: true,
});

const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
if (values.developer !== undefined) env.PP_DEVELOPER = values.developer;
if (values['image-tag'] !== undefined) env.PP_IMAGE_TAG = values['image-tag'];

const result = spawnSync('cdk8s', ['synth'], { env, stdio: 'inherit' });
process.exit(result.status ?? 1);
