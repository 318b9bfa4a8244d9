import { describe, expect, it } from 'vitest';
import { ServiceMetrics } from '../../../service/prompt-service/service-metrics';

const INVALID = { statusCode: 400, result: 'invalid' } as const;
const SUCCESS = { statusCode: 200, result: 'success' } as const;

function requestsTotal(text: string, result: string): number | undefined {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`prompt_next_visit_requests_total{result="${result}"}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('ServiceMetrics', () => {
  it('counts requests by result, as read on each scrape and never twice', async () => {
    const metrics = new ServiceMetrics();
    for (let i = 0; i < 5; i++) metrics.counted(INVALID);
    metrics.counted(SUCCESS);
    const first = await metrics.registry.metrics();
    expect(requestsTotal(first, 'invalid')).toBe(5);
    expect(requestsTotal(first, 'success')).toBe(1);
    expect(requestsTotal(first, 'stale')).toBeUndefined();

    expect(requestsTotal(await metrics.registry.metrics(), 'invalid')).toBe(5);
    metrics.counted(INVALID);
    metrics.counted(INVALID);
    const third = await metrics.registry.metrics();
    expect(requestsTotal(third, 'invalid')).toBe(7);
    expect(requestsTotal(third, 'success')).toBe(1);
  });

  it('gives the same counts through the JSON reading of the registry', async () => {
    const metrics = new ServiceMetrics();
    metrics.counted(INVALID);
    const json = await metrics.registry.getMetricsAsJSON();
    const requests = json.find((m) => m.name === 'prompt_next_visit_requests_total');
    expect(requests?.values).toEqual([{ labels: { result: 'invalid' }, value: 1 }]);
  });
});
