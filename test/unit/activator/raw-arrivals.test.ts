import { describe, expect, it } from 'vitest';
import { RawArrivals } from '../../../service/activator/raw-arrivals';

describe('raw arrivals', () => {
  it('replays recent keys to a new cursor, then hands out new ones as they come', async () => {
    const arrivals = new RawArrivals();
    arrivals.add('a');
    arrivals.add('b');
    const cursor = arrivals.cursor();
    expect(await cursor.next(0)).toBe('a');
    expect(await cursor.next(0)).toBe('b');
    const waiting = cursor.next(1000);
    setTimeout(() => arrivals.add('c'), 10);
    expect(await waiting).toBe('c');
    cursor.close();
  });

  it('does not replay keys older than the history window', async () => {
    let now = 1000;
    const arrivals = new RawArrivals(100, 60, () => now);
    arrivals.add('old');
    now = 1100;
    arrivals.add('new');
    expect(await arrivals.cursor().next(0)).toBe('new');
  });

  it('forgets the oldest keys beyond its size, and cursors skip what was forgotten', async () => {
    const arrivals = new RawArrivals(2);
    const early = arrivals.cursor();
    for (const key of ['1', '2', '3']) arrivals.add(key);
    expect(await early.next(0)).toBe('2');
    expect(await arrivals.cursor().next(0)).toBe('2');
  });

  it('gives up after the timeout with undefined', async () => {
    const started = Date.now();
    expect(await new RawArrivals().cursor().next(50)).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('fails a wait when its signal aborts', async () => {
    const controller = new AbortController();
    const waiting = new RawArrivals().cursor().next(10_000, controller.signal);
    controller.abort(new Error('worker timeout'));
    await expect(waiting).rejects.toThrow('worker timeout');
  });

  it('serves several cursors independently', async () => {
    const arrivals = new RawArrivals();
    const one = arrivals.cursor();
    const two = arrivals.cursor();
    arrivals.add('x');
    expect(await one.next(0)).toBe('x');
    expect(await two.next(0)).toBe('x');
    expect(await one.next(0)).toBeUndefined();
  });
});
