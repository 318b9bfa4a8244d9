// bench:http — throughput of POST /next-visit on the 400 path (a structured CloudEvent whose visit
// has an unknown field: CloudEvents parsing and strict FannedOutVisit validation, then the error
// handler), the server pinned to one core with `taskset`, autocannon on the other. Peer in the same
// run: a bare fastify route answering 400 on the same core. Goal: ≥ 10k req/s.
// Prints JSON: median req/s and latency over the rounds, and ours/peer.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { CloudEvent, HTTP } from 'cloudevents';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 64;
const ROOT = join(__dirname, '..');
const TASKSET = '/usr/bin/taskset';

const badVisit = {
  salIndex: 1,
  scriptSalIndex: 200023,
  groupId: '2026-11-28T03:14:15.926',
  coordinateSystem: 2,
  position: [149.28, 2.93],
  startTime: 1_795_849_237,
  rotationSystem: 2,
  cameraAngle: 270,
  filters: 'r_57',
  dome: 2,
  duration: 30,
  nimages: 1,
  instrument: 'LSSTCam',
  survey: 'SURVEY',
  totalCheckpoints: 0,
  private_sndStamp: 1_795_849_237,
  detector: 94,
  unexpected: true,
};

async function startTarget(kind: 'service' | 'peer'): Promise<{ child: ChildProcess; port: number }> {
  const node = [
    process.execPath,
    '--require',
    'tsx/cjs',
    join(ROOT, 'bench', 'support', 'http-target.ts'),
    kind,
  ];
  const pinned = existsSync(TASKSET) && cpus().length > 1;
  const [command, ...args] = pinned ? [TASKSET, '-c', '0', ...node] : node;
  const child = spawn(command as string, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString('utf8').trim())));
    child.once('exit', (code) => reject(new Error(`${kind} target exited with ${code}`)));
  });
  return { child, port };
}

interface Round {
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly non400: number;
}

async function measure(port: number): Promise<Round> {
  const message = HTTP.structured(
    new CloudEvent({ type: 'com.example.kafka', source: 'bench', data: JSON.stringify(badVisit) }),
  );
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/next-visit`,
    method: 'POST',
    headers: message.headers as Record<string, string>,
    body: message.body as string,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non400: result.non2xx - (result.statusCodeStats?.['400']?.count ?? 0) + result['2xx'] + result.errors,
  };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function main(): Promise<void> {
  // The load generator stays off the server's core.
  if (existsSync(TASKSET) && cpus().length > 1)
    spawn(TASKSET, ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
  const rounds: Record<'service' | 'peer', Round[]> = { service: [], peer: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of ['service', 'peer'] as const) {
      const { child, port } = await startTarget(kind);
      try {
        await measure(port); // warm-up, discarded
        rounds[kind].push(await measure(port));
      } finally {
        child.kill('SIGTERM');
      }
    }
  }
  const summary = (list: Round[]) => ({
    requestsPerSecond: median(list.map((r) => r.requestsPerSecond)),
    latencyP50Ms: median(list.map((r) => r.latencyP50Ms)),
    latencyP99Ms: median(list.map((r) => r.latencyP99Ms)),
    non400Responses: list.reduce((sum, r) => sum + r.non400, 0),
  });
  const ours = summary(rounds.service);
  const peer = summary(rounds.peer);
  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: 'http',
        path: 'POST /next-visit → 400 (unknown field in a structured CloudEvent)',
        serverCores: 1,
        connections: CONNECTIONS,
        secondsPerRound: SECONDS,
        rounds: ROUNDS,
        goalRequestsPerSecond: 10_000,
        service: ours,
        peer: { what: 'bare fastify route answering 400', ...peer },
        serviceOverPeer: Number((ours.requestsPerSecond / peer.requestsPerSecond).toFixed(3)),
        meetsGoal: ours.requestsPerSecond >= 10_000,
      },
      null,
      2,
    )}\n`,
  );
}

void main();
