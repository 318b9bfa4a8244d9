// The options of `npm run synth`, parsed and checked before cdk8s runs: `cdk8s synth` empties dist/
// before the app starts, so a typo must fail here, not leave dist/ empty.

import { parseArgs } from 'node:util';
import { validateDeveloperName } from './environments/developer';
import type { SynthRequest } from './synthesize';

export const SYNTH_USAGE =
  'usage: npm run synth [-- --developer <name> [--image-tag <tag>] [--revision <n>] [--teardown]]';
const DEVELOPER_ONLY = ['image-tag', 'revision', 'teardown'] as const;

/** Throws with the usage line on unknown options, a bad developer name, or options that need --developer. */
export function parseSynthArgs(args: readonly string[]): SynthRequest {
  let values: { developer?: string; 'image-tag'?: string; revision?: string; teardown?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        developer: { type: 'string' },
        'image-tag': { type: 'string' },
        revision: { type: 'string' },
        teardown: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${SYNTH_USAGE}`);
  }
  const given = DEVELOPER_ONLY.filter((option) => values[option] !== undefined);
  if (values.developer === undefined && given.length > 0) {
    throw new Error(
      `${given.map((o) => `--${o}`).join(', ')}: only for a developer environment: add --developer <name>\n${SYNTH_USAGE}`,
    );
  }
  if (values.developer !== undefined) validateDeveloperName(values.developer);
  return {
    ...(values.developer === undefined ? {} : { developer: values.developer }),
    ...(values['image-tag'] === undefined ? {} : { imageTag: values['image-tag'] }),
    ...(values.revision === undefined ? {} : { revision: values.revision }),
    ...(values.teardown ? { teardown: true } : {}),
  };
}
