// `npm run synth [-- --developer <name>] [--image-tag <tag>] [--revision <n>] [--teardown]`: runs `cdk8s synth`,
// passing the options to the app (infra/main.ts) as environment variables, since cdk8s does not
// forward arguments. Options are checked first (infra/synth-args.ts): cdk8s empties dist/ up front.

import { spawnSync } from 'node:child_process';
import { parseSynthArgs } from './synth-args';
import type { SynthRequest } from './synthesize';

let request: SynthRequest;
try {
  request = parseSynthArgs(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}

const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
if (request.developer !== undefined) env.PP_DEVELOPER = request.developer;
if (request.imageTag !== undefined) env.PP_IMAGE_TAG = request.imageTag;
if (request.revision !== undefined) env.PP_REVISION = request.revision;
if (request.teardown) env.PP_TEARDOWN = '1';

const result = spawnSync('cdk8s', ['synth'], { env, stdio: 'inherit' });
process.exit(result.status ?? 1);
