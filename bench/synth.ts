// Time to synthesize every environment (the shared ones plus one developer's, with its teardown Jobs), printed as JSON.
// In-process runs after a warm-up give the median; `cdk8s synth` subprocesses give the
// end-to-end time a developer waits for (tsx start-up and module loading included), median of three.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requestedEnvironments, type SynthRequest, synthesize } from '../infra/synthesize';

const RUNS = 7;
const END_TO_END_RUNS = 3;
const GOAL_MS = 5000;

function countFiles(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).length;
}

// Everything synth can write: the shared environments, one developer's, and its teardown Jobs.
const REQUEST: SynthRequest = { developer: 'bench', teardown: true };

function synthOnce(outdir: string): number {
  const start = process.hrtime.bigint();
  synthesize(REQUEST, outdir);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function endToEnd(outdir: string): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(path.resolve('node_modules/.bin/cdk8s'), ['synth', '--output', outdir], {
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', PP_DEVELOPER: 'bench', PP_TEARDOWN: '1' },
    stdio: 'ignore',
  });
  if (result.status !== 0) throw new Error(`cdk8s synth exited with ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const outdir = mkdtempSync(path.join(tmpdir(), 'bench-synth-'));
try {
  synthOnce(outdir); // warm-up: module caches, JIT
  const times = Array.from({ length: RUNS }, () => synthOnce(outdir));
  const files = countFiles(outdir);
  const endToEndMs = median(
    Array.from({ length: END_TO_END_RUNS }, () => endToEnd(path.join(outdir, 'cli'))),
  );
  const round = (ms: number) => Math.round(ms * 10) / 10;
  console.log(
    JSON.stringify({
      benchmark: 'synth',
      environments: requestedEnvironments(REQUEST).map((e) => e.name),
      teardown: true,
      files,
      runs: RUNS,
      medianMs: round(median(times)),
      minMs: round(Math.min(...times)),
      maxMs: round(Math.max(...times)),
      endToEndRuns: END_TO_END_RUNS,
      endToEndCdk8sSynthMedianMs: round(endToEndMs),
      goalMs: GOAL_MS,
      withinGoal: endToEndMs <= GOAL_MS,
    }),
  );
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
