// Collections: RUN (where datasets are written), CHAINED (an ordered search path of others) and
// CALIBRATION (datasets certified with validity ranges).

import { type CollectionType, checkCollectionName } from '../domain/repo/dataset-type';
import { CollectionTypeError, MissingCollectionError } from '../domain/repo/repo-errors';
import type { SqlSession } from '../ports/sql-database';

export interface CollectionRow {
  readonly id: bigint;
  readonly name: string;
  readonly type: CollectionType;
}

export async function findCollection(
  session: SqlSession,
  s: string,
  name: string,
): Promise<CollectionRow | undefined> {
  const result = await session.query<{ collection_id: bigint; name: string; type: CollectionType }>(
    `SELECT collection_id, name, type FROM ${s}.collection WHERE name = $1`,
    [name],
  );
  const row = result.rows[0];
  return row ? { id: row.collection_id, name: row.name, type: row.type } : undefined;
}

export async function requireCollection(
  session: SqlSession,
  s: string,
  name: string,
  type?: CollectionType,
): Promise<CollectionRow> {
  const row = await findCollection(session, s, name);
  if (!row) throw new MissingCollectionError(`collection ${name} does not exist: register it first`);
  if (type && row.type !== type)
    throw new CollectionTypeError(`collection ${name} is ${row.type}, not ${type}`);
  return row;
}

/** Creates the collection, or returns the existing one when it has the same type. */
export async function registerCollection(
  session: SqlSession,
  s: string,
  name: string,
  type: CollectionType,
  doc = '',
): Promise<CollectionRow> {
  checkCollectionName(name);
  await session.query(
    `INSERT INTO ${s}.collection (name, type, doc) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
    [name, type, doc],
  );
  return requireCollection(session, s, name, type);
}

/** Replaces a CHAINED collection's children (searched in the given order). */
export async function setChain(session: SqlSession, s: string, parent: string, children: readonly string[]) {
  const chain = await requireCollection(session, s, parent, 'CHAINED');
  const rows = [];
  for (const child of children) rows.push(await requireCollection(session, s, child));
  if (rows.some((r) => r.id === chain.id))
    throw new CollectionTypeError(`chain ${parent} cannot contain itself`);
  await session.query(`DELETE FROM ${s}.collection_chain WHERE parent_id = $1`, [chain.id]);
  for (const [position, row] of rows.entries())
    await session.query(`INSERT INTO ${s}.collection_chain VALUES ($1, $2, $3)`, [
      chain.id,
      position,
      row.id,
    ]);
}

/**
 * The CHAINED collection `parent`, created when missing, locked (SELECT … FOR UPDATE) until the
 * transaction ends: writers of one chain take turns, so concurrent visits cannot interleave their
 * read-modify-write of its positions. Take it first in the transaction, before other locks.
 */
export async function lockChain(session: SqlSession, s: string, parent: string): Promise<CollectionRow> {
  checkCollectionName(parent);
  await session.query(
    `INSERT INTO ${s}.collection (name, type, doc) VALUES ($1, 'CHAINED', '') ON CONFLICT (name) DO NOTHING`,
    [parent],
  );
  const result = await session.query<{ collection_id: bigint; type: CollectionType }>(
    `SELECT collection_id, type FROM ${s}.collection WHERE name = $1 FOR UPDATE`,
    [parent],
  );
  const row = result.rows[0];
  if (!row) throw new MissingCollectionError(`collection ${parent} vanished while it was being locked`);
  if (row.type !== 'CHAINED')
    throw new CollectionTypeError(`collection ${parent} is ${row.type}, not CHAINED`);
  return { id: row.collection_id, name: parent, type: row.type };
}

/**
 * Puts `children` at the front of a chain locked by lockChain, in the given order; those already in
 * it move there (Butler's prepend_chain), so prepending what is already in front changes nothing.
 */
export async function prependChildren(
  session: SqlSession,
  s: string,
  chain: CollectionRow,
  children: readonly string[],
): Promise<void> {
  const front: bigint[] = [];
  for (const name of children) {
    const row = await requireCollection(session, s, name);
    if (row.id === chain.id) throw new CollectionTypeError(`chain ${chain.name} cannot contain itself`);
    if (!front.includes(row.id)) front.push(row.id);
  }
  const current = await session.query<{ child_id: bigint }>(
    `SELECT child_id FROM ${s}.collection_chain WHERE parent_id = $1 ORDER BY position`,
    [chain.id],
  );
  const before = current.rows.map((r) => r.child_id);
  const after = [...front, ...before.filter((id) => !front.includes(id))];
  if (after.every((id, i) => id === before[i])) return;
  await session.query(`DELETE FROM ${s}.collection_chain WHERE parent_id = $1`, [chain.id]);
  await session.query(
    `INSERT INTO ${s}.collection_chain (parent_id, position, child_id)
       SELECT $1, p.position - 1, p.child_id FROM unnest($2::bigint[]) WITH ORDINALITY AS p(child_id, position)`,
    [chain.id, after],
  );
}

/** The non-chained collections `names` stand for, chains expanded depth-first, duplicates dropped. */
export async function flattenCollections(
  session: SqlSession,
  s: string,
  names: readonly string[],
): Promise<CollectionRow[]> {
  const seen = new Set<bigint>();
  const flat: CollectionRow[] = [];
  const expand = async (row: CollectionRow, depth: number): Promise<void> => {
    if (depth > 32)
      throw new CollectionTypeError(`collection chain through ${row.name} is too deep (a cycle?)`);
    if (row.type !== 'CHAINED') {
      if (!seen.has(row.id)) flat.push(row);
      seen.add(row.id);
      return;
    }
    const children = await session.query<{ collection_id: bigint; name: string; type: CollectionType }>(
      `SELECT c.collection_id, c.name, c.type FROM ${s}.collection_chain ch
         JOIN ${s}.collection c ON c.collection_id = ch.child_id
        WHERE ch.parent_id = $1 ORDER BY ch.position`,
      [row.id],
    );
    for (const child of children.rows)
      await expand({ id: child.collection_id, name: child.name, type: child.type }, depth + 1);
  };
  for (const name of names) await expand(await requireCollection(session, s, name), 0);
  return flat;
}
