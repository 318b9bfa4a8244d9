// Brings the local services up before the integration suite when they are not running, through the
// same script people use (npm run services:up). Set PP_SERVICES_AUTOSTART=0 to test against whatever
// is running, e.g. to see how the suite fails when a service is down.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../support/local-services';

export default function setup(): void {
  const script = join(repoRoot, 'scripts', 'services.sh');
  const status = spawnSync('bash', [script, 'status'], { encoding: 'utf8' });
  process.stdout.write(status.stdout);
  if (status.status === 0) return;
  if (process.env.PP_SERVICES_AUTOSTART === '0') {
    process.stdout.write('local services are not all up and PP_SERVICES_AUTOSTART=0: not starting them\n');
    return;
  }
  const started = Date.now();
  const up = spawnSync('bash', [script, 'up'], { stdio: 'inherit', timeout: 10 * 60_000 });
  if (up.status !== 0) {
    throw new Error(`"npm run services:up" failed (exit ${up.status ?? up.signal}); see its output above`);
  }
  process.stdout.write(`local services started in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
