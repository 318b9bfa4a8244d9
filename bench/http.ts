// bench:http — throughput of POST /next-visit on the 400 path (a structured CloudEvent whose visit
// has an unknown field: envelope reading, FannedOutVisit validation, the refusal answer, its metric
// and its log line), the server pinned to core 0 and autocannon in a process of its own on core 1,
// pipelined so the generator is not the bottleneck. The machine is shared, so besides wall-clock req/s
// the server's own CPU time is measured and "per core" is requests per server CPU second. Peer in the
// same run: a bare fastify route answering 400 on the same core. Goal: ≥ 10k req/s per core.
// Prints JSON: medians over the rounds, and ours/peer (as a ratio of the medians, and as the median
// of each round's ratio, the two measured back to back in alternating order).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PIPELINING = Number(process.env.BENCH_PIPELINING ?? 8);
const ROOT = join(__dirname, '..');
const TASKSET = '/usr/bin/taskset';
const PINNED = existsSync(TASKSET) && cpus().length > 1;

type Kind = 'service' | 'peer';

/** Runs a tsx module in a process of its own, pinned to `core` when the machine has two. */
function spawnPinned(core: number, module: string, args: readonly string[], ipc: boolean): ChildProcess {
  const node = [process.execPath, '--require', 'tsx/cjs', join(ROOT, 'bench', 'support', module), ...args];
  const [command, ...rest] = PINNED ? [TASKSET, '-c', String(core), ...node] : node;
  return spawn(command as string, rest, {
    cwd: ROOT,
    stdio: ipc ? ['ignore', 'pipe', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit'],
  });
}

async function startTarget(kind: Kind): Promise<{ child: ChildProcess; port: number }> {
  const child = spawnPinned(0, 'http-target.ts', [kind], true);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString('utf8').trim())));
    child.once('exit', (code) => reject(new Error(`${kind} target exited with ${code}`)));
  });
  return { child, port };
}

function serverCpuSeconds(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (message: { cpuSeconds: number }) => resolve(message.cpuSeconds));
    child.send('cpu');
  });
}

interface Load {
  readonly requests: number;
  readonly seconds: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly other: number;
}

async function load(port: number, seconds: number): Promise<Load> {
  const child = spawnPinned(1, 'http-load.ts', [port, seconds, CONNECTIONS, PIPELINING].map(String), false);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  return JSON.parse(out) as Load;
}

interface Round {
  readonly requestsPerSecond: number;
  /** Requests answered per second of the server's own CPU time. */
  readonly requestsPerCpuSecond: number;
  /** Server CPU seconds per wall second: near 1 when it had its core to itself. */
  readonly serverCpuShare: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly non400: number;
}

async function measure(kind: Kind): Promise<Round> {
  const { child, port } = await startTarget(kind);
  try {
    await load(port, 2); // warm-up, discarded
    const cpuBefore = await serverCpuSeconds(child);
    const result = await load(port, SECONDS);
    const cpuSeconds = (await serverCpuSeconds(child)) - cpuBefore;
    return {
      requestsPerSecond: Math.round(result.requests / result.seconds),
      requestsPerCpuSecond: Math.round(result.requests / cpuSeconds),
      serverCpuShare: Number((cpuSeconds / result.seconds).toFixed(2)),
      latencyP50Ms: result.latencyP50Ms,
      latencyP99Ms: result.latencyP99Ms,
      non400: result.other,
    };
  } finally {
    child.kill('SIGTERM');
  }
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

function summary(list: readonly Round[]) {
  return {
    requestsPerCpuSecond: median(list.map((r) => r.requestsPerCpuSecond)),
    requestsPerSecond: median(list.map((r) => r.requestsPerSecond)),
    serverCpuShare: median(list.map((r) => r.serverCpuShare)),
    latencyP50Ms: median(list.map((r) => r.latencyP50Ms)),
    latencyP99Ms: median(list.map((r) => r.latencyP99Ms)),
    non400Responses: list.reduce((sum, r) => sum + r.non400, 0),
    rounds: list.map((r) => r.requestsPerCpuSecond),
  };
}

function loadAverage(): number {
  return Number(execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ')[0]);
}

/** Ours over the peer within each round (measured back to back), the median over the rounds. */
function pairedRatio(ours: readonly Round[], peer: readonly Round[], field: keyof Round): number {
  const ratios = ours.map((round, i) => round[field] / (peer[i]?.[field] ?? Number.NaN));
  return Number(median(ratios).toFixed(3));
}

async function main(): Promise<void> {
  const loadBefore = loadAverage();
  const rounds: Record<Kind, Round[]> = { service: [], peer: [] };
  // The load on a shared machine drifts: alternate which of the two goes first in a round, and
  // compare each round's pair as well as the medians.
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['service', 'peer'] as const) : (['peer', 'service'] as const);
    for (const kind of order) rounds[kind].push(await measure(kind));
  }
  const ours = summary(rounds.service);
  const peer = summary(rounds.peer);
  const result = {
    benchmark: 'http',
    path: 'POST /next-visit → 400 (unknown field in a structured CloudEvent)',
    serverCores: 1,
    pinned: PINNED,
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    secondsPerRound: SECONDS,
    rounds: ROUNDS,
    loadAverageBefore: loadBefore,
    goalRequestsPerCoreSecond: 10_000,
    service: ours,
    peer: { what: 'bare fastify route answering 400', ...peer },
    serviceOverPeer: {
      perCpuSecond: Number((ours.requestsPerCpuSecond / peer.requestsPerCpuSecond).toFixed(3)),
      wallClock: Number((ours.requestsPerSecond / peer.requestsPerSecond).toFixed(3)),
      perCpuSecondPairedMedian: pairedRatio(rounds.service, rounds.peer, 'requestsPerCpuSecond'),
      wallClockPairedMedian: pairedRatio(rounds.service, rounds.peer, 'requestsPerSecond'),
    },
    loadAverageAfter: loadAverage(),
    meetsGoal: ours.requestsPerCpuSecond >= 10_000,
    meetsGoalWallClock: ours.requestsPerSecond >= 10_000,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:http: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
