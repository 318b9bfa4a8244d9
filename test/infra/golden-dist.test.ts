// The committed dist/ is the reviewed state of every shared cluster: this fails whenever the code
// would synthesize something else, so each change to a cluster shows up as a diff in review.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED_ENVIRONMENTS, synthesizeEnvironment } from '../../infra/synthesize';

const COMMITTED = path.resolve(__dirname, '../../dist');

function readTree(root: string, relative = ''): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) for (const [k, v] of readTree(root, child)) files.set(k, v);
    else files.set(child, readFileSync(path.join(root, child), 'utf8'));
  }
  return files;
}

function synthesizeShared(): string {
  const outdir = mkdtempSync(path.join(tmpdir(), 'prompt-synth-'));
  for (const environment of SHARED_ENVIRONMENTS) synthesizeEnvironment(environment, outdir);
  return outdir;
}

describe('golden dist/', () => {
  const outdirs: string[] = [];
  afterAll(() => {
    for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each(SHARED_ENVIRONMENTS.map((e) => [e.distPath]))(
    'matches a fresh synth of %s byte for byte',
    (distPath) => {
      const outdir = synthesizeShared();
      outdirs.push(outdir);
      const fresh = readTree(path.join(outdir, distPath));
      const committed = readTree(path.join(COMMITTED, distPath));
      const hint = 'dist/ differs from what the code synthesizes: run `npm run synth` and commit dist/';
      expect([...committed.keys()].sort(), hint).toEqual([...fresh.keys()].sort());
      for (const [file, content] of fresh) expect(committed.get(file), `${hint} (${file})`).toBe(content);
    },
  );

  it('synthesizes identical bytes twice', () => {
    const first = synthesizeShared();
    const second = synthesizeShared();
    outdirs.push(first, second);
    expect(readTree(second)).toEqual(readTree(first));
  });
});
