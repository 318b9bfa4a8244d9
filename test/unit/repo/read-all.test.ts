import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readAll } from '../../../service/repo/read-all';

const chunksOf = (...sizes: number[]) => {
  let next = 0;
  return sizes.map((size) => Buffer.from(Array.from({ length: size }, () => next++ % 251)));
};

describe('readAll', () => {
  it('gathers the chunks into one buffer of the announced size', async () => {
    const chunks = chunksOf(3, 5, 7);
    const all = await readAll(Readable.from(chunks), 15);
    expect(all.equals(Buffer.concat(chunks))).toBe(true);
    expect(all.length).toBe(15);
  });

  it('returns what was really read when the stream is shorter or longer than announced', async () => {
    const chunks = chunksOf(4, 4);
    expect((await readAll(Readable.from(chunks), 20)).equals(Buffer.concat(chunks))).toBe(true);
    expect((await readAll(Readable.from(chunks), 6)).equals(Buffer.concat(chunks))).toBe(true);
    expect((await readAll(Readable.from(chunks))).equals(Buffer.concat(chunks))).toBe(true);
    expect((await readAll(Readable.from([]), 10)).length).toBe(0);
  });
});
