// The embedded loop's adapters on real files and a real in-process bus: the folder bucket's
// exclusive claim and atomic writes, the bus's ordering and error isolation, and the notifying
// bucket's events read back by the same code the Kafka consumer uses.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RawArrivals } from '../../../service/activator/raw-arrivals';
import { recordRawNotification } from '../../../service/activator/raw-notification-consumer';
import { FileObjectBucket } from '../../../service/adapters/filesystem/file-object-bucket';
import { InProcessBus } from '../../../service/adapters/in-memory/in-process-bus';
import { NotifyingBucket } from '../../../service/adapters/in-memory/notifying-bucket';
import { BucketMissingError } from '../../../service/ports/object-bucket';

const quiet = pino({ level: 'silent' });

describe('FileObjectBucket', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pp-bucket-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('puts, gets and lists keys in order, leaving no temporary files', async () => {
    const bucket = await new FileObjectBucket(join(dir, 'raw')).create();
    await bucket.put('LATISS/2/b.fits', new Uint8Array([1, 2, 3]));
    await bucket.put('LATISS/1/a.json', '{"x":1}');
    await bucket.put('HSC/c.fits', 'c');
    expect(await bucket.list('LATISS/')).toEqual(['LATISS/1/a.json', 'LATISS/2/b.fits']);
    expect([...((await bucket.get('LATISS/2/b.fits')) ?? [])]).toEqual([1, 2, 3]);
    expect(await bucket.get('LATISS/none.fits')).toBeUndefined();
    const files = await readdir(join(dir, 'raw'), { recursive: true });
    expect(files.some((f) => String(f).endsWith('.partial'))).toBe(false);
  });

  it('grants a claim to exactly one of many concurrent writers', async () => {
    const bucket = await new FileObjectBucket(dir).create();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => bucket.claim('claims/LATISS/20261128/42', `writer ${i}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(Buffer.from((await bucket.get('claims/LATISS/20261128/42')) ?? []).toString()).toBe(
      `writer ${winner}`,
    );
  });

  it('refuses keys that leave the bucket and says when the bucket is missing', async () => {
    const bucket = new FileObjectBucket(join(dir, 'absent'));
    await expect(bucket.check()).rejects.toBeInstanceOf(BucketMissingError);
    await expect(bucket.put('x', 'y')).rejects.toThrow(/does not exist/);
    const real = await new FileObjectBucket(join(dir, 'real')).create();
    expect(() => real.pathOf('../escape')).toThrow(/leaves the bucket/);
  });
});

describe('InProcessBus', () => {
  it('delivers in order per subscription, after publish, and isolates a failing handler', async () => {
    const failures: string[] = [];
    const bus = new InProcessBus((error) => failures.push((error as Error).message));
    const seen: string[] = [];
    const slow: string[] = [];
    bus.subscribe('t', async (record) => {
      await new Promise((resolve) => setTimeout(resolve, record.offset === 0 ? 20 : 0));
      slow.push(String(record.value));
    });
    bus.subscribe('t', (record) => {
      if (record.value === 'bad') throw new Error('handler broke');
      seen.push(String(record.value));
    });
    await bus.publish('t', [
      { key: null, value: 'a' },
      { key: null, value: 'bad' },
      { key: null, value: 'c' },
    ]);
    await bus.publish('other', [{ key: null, value: 'elsewhere' }]);
    await bus.drain();
    expect(slow).toEqual(['a', 'bad', 'c']);
    expect(seen).toEqual(['a', 'c']);
    expect(failures).toEqual(['handler broke']);
    expect(bus.messageCount('t')).toBe(3);
    await bus.close();
    await expect(bus.publish('t', [{ key: null, value: 'late' }])).rejects.toThrow(/closed/);
  });
});

describe('NotifyingBucket', () => {
  it('announces each put as an RGW-style ObjectCreated event the service turns into an arrival', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-notify-'));
    try {
      const bus = new InProcessBus();
      const arrivals = new RawArrivals();
      const cursor = arrivals.cursor();
      bus.subscribe('raw-notifications-latiss', (record) =>
        recordRawNotification(String(record.value), arrivals, quiet),
      );
      const bucket = new NotifyingBucket(
        await new FileObjectBucket(dir).create(),
        bus,
        'raw-notifications-latiss',
        'raw',
      );
      await bucket.put('LATISS/20261128/AT_O_20261128_000001/AT_O_20261128_000001_R00_S00.fits', 'fits');
      await bus.drain();
      expect(await cursor.next(100)).toBe(
        'LATISS/20261128/AT_O_20261128_000001/AT_O_20261128_000001_R00_S00.fits',
      );
      expect(await cursor.next(0)).toBeUndefined();
      // claims are not raws: no event
      await bucket.claim('claims/1', 'me');
      await bus.drain();
      expect(bus.messageCount('raw-notifications-latiss')).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('skips a message that is not a notification, with a warning', () => {
    const arrivals = new RawArrivals();
    const warnings: string[] = [];
    recordRawNotification('{"Records": "nope"}', arrivals, {
      warn: (_o: object, m: string) => warnings.push(m),
    } as never);
    expect(warnings).toHaveLength(1);
    expect(arrivals.cursor().next(0)).resolves.toBeUndefined();
  });
});
