import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BRIDGE_CONFIG_ENTRIES } from '../../../service/config/bridge-config';
import { repoRoot } from '../../support/local-services';
import { markedTableRows } from '../../support/markdown-table';

function readmeRows(): string[][] {
  return markedTableRows(join(repoRoot, 'README.md'), 'bridge-config');
}

describe("README's bridge configuration table", () => {
  it('lists every setting of the schema with its default and doc, in order', () => {
    const expected = BRIDGE_CONFIG_ENTRIES.map((e) => [
      e.name,
      e.required ? '(required)' : (e.default ?? '(unset)'),
      e.doc,
    ]);
    expect(readmeRows()).toEqual(expected);
  });
});
