import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BRIDGE_CONFIG_ENTRIES } from '../../../service/config/bridge-config';
import { repoRoot } from '../../support/local-services';

function readmeRows(): string[][] {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const block = /<!-- bridge-config:begin[^>]*-->([\s\S]*?)<!-- bridge-config:end -->/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no bridge-config block');
  return block
    .trim()
    .split('\n')
    .slice(2)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/^`|`$/g, '')),
    );
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
