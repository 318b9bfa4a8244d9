import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, expectListening } from '../support/local-services';
import { centralRepoNames, dropSchema, emptyBucket, useLocalS3Credentials } from '../support/repos';
import { type BinRun, runBin } from '../support/run-bin';
import { testS3 } from '../support/s3';

function run(
  bin: 'prompt-repo' | 'prompt-apdb',
  args: string[],
  env: Record<string, string> = {},
): Promise<BinRun> {
  return runBin(bin, args, env);
}

describe('prompt-repo and prompt-apdb (the bins, against PostgreSQL and RGW)', () => {
  const names = centralRepoNames('cli');
  const s3 = testS3();
  let env: Record<string, string>;
  const apdbSchema = `${names.namespace}_apdb`;

  beforeAll(async () => {
    await expectListening('PostgreSQL', '127.0.0.1:5432');
    await expectListening('Ceph RGW', '127.0.0.1:7480');
    await s3.send(new CreateBucketCommand({ Bucket: names.bucket }));
    const { endpoint } = useLocalS3Credentials();
    // What the migration Job gets: CENTRAL_REPO and S3_ENDPOINT_URL (+ credentials from Secrets).
    env = { CENTRAL_REPO: names.root, S3_ENDPOINT_URL: endpoint };
  });

  afterAll(async () => {
    await dropSchema(names.namespace);
    await dropSchema(apdbSchema);
    await emptyBucket(s3, names.bucket);
    await s3.send(new DeleteBucketCommand({ Bucket: names.bucket }));
    s3.destroy();
  });

  it('creates a central repo, migrates it (as the Job does) and shows the versions', async () => {
    const created = await run(
      'prompt-repo',
      ['create', names.root, '--registry-db', databaseUrl(), '--namespace', names.namespace],
      env,
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const up = await run('prompt-repo', ['migrate', 'up'], env);
    expect(up.stdout).toBe('registry 3 → 3 (nothing to do)\n');
    const down = await run('prompt-repo', ['migrate', 'down'], env);
    expect(down.stdout).toMatch(/registry 3 → 2: undid 3 calibration validity ranges/);
    const stale = await run('prompt-repo', ['query-datasets', '--dataset-type', 'bias'], env);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(
      /^prompt-repo: .* is at schema version 2 but this build expects 3: run "prompt-repo migrate up"\n$/,
    );
    await run('prompt-repo', ['migrate', 'up'], env);
    const shown = await run('prompt-repo', ['migrate', 'show-current', '--json'], env);
    expect(JSON.parse(shown.stdout)).toEqual({
      schemaVersion: 3,
      dimensionsConfig: 'prompt:2',
      buildSchemaVersion: 3,
      buildDimensionsConfig: 'prompt:2',
    });
  }, 60_000);

  it('registers dataset types idempotently and fails with one line on a conflicting one', async () => {
    const args = [
      'register-dataset-type',
      'bias',
      '--dimensions',
      'instrument,detector',
      '--storage-class',
      'ExposureF',
      '--calibration',
    ];
    expect((await run('prompt-repo', args, env)).stdout).toBe('bias: registered\n');
    expect((await run('prompt-repo', args, env)).stdout).toBe('bias: already registered (same definition)\n');
    const conflict = await run(
      'prompt-repo',
      ['register-dataset-type', 'bias', '--dimensions', 'instrument', '--storage-class', 'ExposureF'],
      env,
    );
    expect(conflict.code).toBe(1);
    expect(conflict.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(conflict.stderr).toMatch(/dataset type bias is registered as bias\(instrument, detector\)/);
    const unknown = await run('prompt-repo', ['query-datasets', '--dataset-type', 'flat'], env);
    expect(unknown.stderr).toMatch(/dataset type flat is not registered/);
    const empty = await run('prompt-repo', ['query-datasets', '--dataset-type', 'bias', '--json'], env);
    expect(JSON.parse(empty.stdout)).toEqual([]);
  }, 60_000);

  it('fails with a usage message and exit 1 on a missing repo or option', async () => {
    const noRepo = await run('prompt-repo', ['migrate', 'show-current']);
    expect(noRepo.code).toBe(1);
    expect(noRepo.stderr).toBe('prompt-repo: no repo given: pass --repo <root> or set CENTRAL_REPO\n');
    const dir = mkdtempSync(join(tmpdir(), 'pp-not-a-repo-'));
    try {
      const notRepo = await run('prompt-repo', ['migrate', 'show-current', '--repo', dir]);
      expect(notRepo.stderr).toMatch(/is not a repo \(no repo\.yaml\): create it with "prompt-repo create/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const help = await run('prompt-repo', ['register-dataset-type', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--storage-class <name>/);
  }, 60_000);

  it('prompt-apdb create (as the Job runs it) is idempotent, status --json counts rows, reset needs --yes', async () => {
    const args = ['--namespace', apdbSchema, '--db-url', databaseUrl()];
    expect((await run('prompt-apdb', ['create', ...args])).stdout).toMatch(/created/);
    expect((await run('prompt-apdb', ['create', ...args])).stdout).toMatch(/already up to date/);
    const configApdb = `${databaseUrl()}?options=${encodeURIComponent(`-c search_path=${apdbSchema}`)}`;
    const status = await run('prompt-apdb', ['status', '--json'], { CONFIG_APDB: configApdb });
    expect(JSON.parse(status.stdout)).toMatchObject({
      namespace: apdbSchema,
      schemaVersion: 1,
      metadata: { 'version:schema': '10.0.0' },
      rowCounts: { DiaObject: 0, DiaSource: 0 },
    });
    const refused = await run('prompt-apdb', ['reset', ...args]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'prompt-apdb: reset deletes every row in the APDB namespace: rerun with --yes to confirm\n',
    );
    expect((await run('prompt-apdb', ['reset', '--yes', ...args])).code).toBe(0);
    const clash = await run('prompt-apdb', ['status', '--namespace', 'other'], { CONFIG_APDB: configApdb });
    expect(clash.stderr).toMatch(/--namespace other disagrees with the URL's search_path/);
  }, 60_000);
});
