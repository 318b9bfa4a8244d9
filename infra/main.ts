// The cdk8s app (cdk8s.yaml `app:`): synthesizes every shared environment, and a developer's when
// PP_DEVELOPER is set, into CDK8S_OUTDIR (dist/ by default). `npm run synth -- --developer <name>`
// sets PP_DEVELOPER through infra/synth-cli.ts.

import { requestedEnvironments, synthesizeEnvironment } from './synthesize';

function main(): void {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  const developer = process.env.PP_DEVELOPER || undefined;
  const imageTag = process.env.PP_IMAGE_TAG || undefined;
  for (const environment of requestedEnvironments({ developer, imageTag })) {
    synthesizeEnvironment(environment, outdir);
  }
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
