// One snapshot per chart that dist/ does not already hold. The shared environments' charts are
// snapshotted by the golden dist/ (golden-dist.test.ts): committed, byte-compared, reviewed as a
// diff, so a second copy here would only double every review. Developer environments are
// git-ignored, so their charts (one developer, each instrument, with its teardown) are pinned here.

import { describe, expect, it } from 'vitest';
import { developerEnvironment } from '../../infra/environments/developer';
import { synthInstrument, synthTeardown } from './support/synth';

const SNAPSHOT_DEVELOPER = developerEnvironment('snapshot', { imageTag: 'DM-00000-snapshot' });

describe.each(SNAPSHOT_DEVELOPER.instruments.map((name) => [name]))('developer chart %s', (instrument) => {
  it('matches its snapshot', () => {
    expect(synthInstrument(SNAPSHOT_DEVELOPER, instrument)).toMatchSnapshot();
  });

  it('has a teardown chart matching its snapshot', () => {
    expect(synthTeardown(SNAPSHOT_DEVELOPER, instrument)).toMatchSnapshot();
  });
});
