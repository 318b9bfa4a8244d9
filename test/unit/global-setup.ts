// Makes sure the reference tools some unit suites compare against (astropy, fitsverify) are
// installed, through the same idempotent script people run by hand.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../support/local-services';

export default function setup(): void {
  const run = spawnSync('bash', [join(repoRoot, 'scripts', 'install-test-tools.sh')], {
    stdio: 'inherit',
    timeout: 10 * 60_000,
  });
  if (run.status !== 0) {
    throw new Error(
      `scripts/install-test-tools.sh failed (exit ${run.status ?? run.signal}); see its output above`,
    );
  }
}
