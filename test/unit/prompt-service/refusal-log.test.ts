import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { RefusalLog } from '../../../service/prompt-service/refusal-log';

function recordingLogger(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

const INVALID = { statusCode: 400, result: 'invalid' } as const;

describe('RefusalLog', () => {
  it('logs at most the limit per second and then says how many went unlogged', () => {
    let now = 1000;
    const refusals = new RefusalLog({ nowUtcSeconds: () => now }, 3);
    const { log, lines } = recordingLogger('info');
    for (let i = 0; i < 10; i++) refusals.refused(log, INVALID, `bad ${i}`);
    expect(lines.map((l) => l.reason)).toEqual(['bad 0', 'bad 1', 'bad 2']);
    now += 1.01;
    refusals.refused(log, INVALID, 'bad 10');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatchObject({ reason: 'bad 10', unlogged: 7, result: 'invalid', statusCode: 400 });
    refusals.refused(log, INVALID, 'bad 11');
    expect(lines[4]).not.toHaveProperty('unlogged');
  });

  it('writes nothing when WARNING is off', () => {
    const refusals = new RefusalLog({ nowUtcSeconds: () => 0 });
    const { log, lines } = recordingLogger('error');
    refusals.refused(log, INVALID, 'bad');
    expect(lines).toEqual([]);
  });
});
