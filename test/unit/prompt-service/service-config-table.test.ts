import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_CONFIG_ENTRIES } from '../../../service/config/service-config';
import { repoRoot } from '../../support/local-services';

function documentedRows(): string[][] {
  const doc = readFileSync(join(repoRoot, 'docs', 'service.md'), 'utf8');
  const block = /<!-- service-config:begin[^>]*-->([\s\S]*?)<!-- service-config:end -->/.exec(doc)?.[1];
  if (!block) throw new Error('docs/service.md has no service-config block');
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

describe("docs/service.md's configuration table", () => {
  it('lists every setting of the schema with its default, doc and kind, in order', () => {
    const expected = SERVICE_CONFIG_ENTRIES.map((e) => [
      e.name,
      e.required
        ? '(required)'
        : e.default === undefined
          ? '(unset)'
          : e.default === ''
            ? '(empty)'
            : e.default,
      e.doc + (e.secret ? ' (secret)' : '') + (e.source === 'platform' ? ' (set by Knative)' : ''),
    ]);
    expect(documentedRows()).toEqual(expected);
  });
});
