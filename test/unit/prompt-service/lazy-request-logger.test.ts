import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LazyRequestLogger } from '../../../service/prompt-service/lazy-request-logger';

/** A pino root writing parsed lines into `lines`, and how many children were made from it. */
function recordingRoot(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const root = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const made = { children: 0 };
  const child = root.child.bind(root);
  const counting = Object.assign(Object.create(root) as FastifyBaseLogger, {
    child: (...args: Parameters<typeof child>) => {
      made.children += 1;
      return child(...args);
    },
  });
  return { root: counting, lines, made };
}

describe('LazyRequestLogger', () => {
  it('makes no pino child while nothing is written, even when its level is read', () => {
    const { root, made } = recordingRoot('info');
    const log = new LazyRequestLogger(root, { reqId: 'req-1' }, {});
    expect(log.level).toBe('info');
    expect(made.children).toBe(0);
  });

  it("writes each line with the request's bindings, through one child", () => {
    const { root, lines, made } = recordingRoot('info');
    const log = new LazyRequestLogger(root, { reqId: 'req-7' }, {});
    log.warn({ reason: 'bad' }, 'refused: %s', 'bad');
    log.info('second');
    log.debug('below the level');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ reqId: 'req-7', reason: 'bad', msg: 'refused: bad', level: 40 });
    expect(lines[1]).toMatchObject({ reqId: 'req-7', msg: 'second' });
    expect(made.children).toBe(1);
  });

  it("takes a route's own level without making the child, and honours it when writing", () => {
    const { root, lines } = recordingRoot('info');
    const log = new LazyRequestLogger(root, { reqId: 'req-2' }, { level: 'error' });
    expect(log.level).toBe('error');
    log.warn('dropped');
    log.error('kept');
    expect(lines.map((l) => l.msg)).toEqual(['kept']);
  });

  it("gives children that carry the request's bindings and their own", () => {
    const { root, lines } = recordingRoot('info');
    const log = new LazyRequestLogger(root, { reqId: 'req-3' }, {});
    log.child({ detector: 94 }).info('visit');
    expect(lines[0]).toMatchObject({ reqId: 'req-3', detector: 94, msg: 'visit' });
  });

  it('sets a level on the child it then makes', () => {
    const { root, lines } = recordingRoot('info');
    const log = new LazyRequestLogger(root, { reqId: 'req-4' }, {});
    log.level = 'debug';
    log.debug('now visible');
    expect(log.level).toBe('debug');
    expect(lines.map((l) => l.msg)).toEqual(['now visible']);
  });
});
