// The load generator of bench:http, in a process of its own (pinned to the other core by the
// benchmark) so it never competes with the server it measures. Arguments: port, seconds,
// connections, pipelining. Prints one JSON line: requests, seconds, latencies and status counts.
import autocannon from 'autocannon';
import { CloudEvent, HTTP } from 'cloudevents';

/** A structured CloudEvent whose visit has an unknown field: the fan-out's envelope, a bad visit. */
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

async function main(args: readonly string[]): Promise<void> {
  const [port, seconds, connections, pipelining] = args.map(Number);
  const message = HTTP.structured(
    new CloudEvent({ type: 'com.example.kafka', source: 'bench', data: JSON.stringify(badVisit) }),
  );
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/next-visit`,
    method: 'POST',
    headers: message.headers as Record<string, string>,
    body: message.body as string,
    connections,
    pipelining,
    duration: seconds,
  });
  const answered400 = result.statusCodeStats?.['400']?.count ?? 0;
  process.stdout.write(
    `${JSON.stringify({
      requests: result.requests.total,
      seconds: result.duration,
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      other: result.requests.total - answered400 + result.errors + result.timeouts,
    })}\n`,
  );
}

void main(process.argv.slice(2));
