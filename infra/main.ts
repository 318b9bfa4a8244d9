// The cdk8s app (cdk8s.yaml `app:`): synthesizes every shared environment, and a developer's when
// PP_DEVELOPER is set (with its teardown Jobs when PP_TEARDOWN=1), into CDK8S_OUTDIR (dist/ by
// default). `npm run synth -- --developer <name> [--teardown]` sets these through infra/synth-cli.ts.

import { synthesize } from './synthesize';

function main(): void {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  const developer = process.env.PP_DEVELOPER || undefined;
  const imageTag = process.env.PP_IMAGE_TAG || undefined;
  const revision = process.env.PP_REVISION || undefined;
  const teardown = process.env.PP_TEARDOWN === '1';
  synthesize({ developer, imageTag, revision, teardown }, outdir);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    // A construct's validation message says what to change; a stack trace would bury it.
    console.error(`synth failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
