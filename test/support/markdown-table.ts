// Reads a Markdown table that a document fences between `<!-- NAME:begin … -->` and
// `<!-- NAME:end -->` comments, so tests can hold documentation to the schema it describes.
import { readFileSync } from 'node:fs';

/** The body rows (header and rule skipped), cells trimmed and stripped of backticks. */
export function markedTableRows(path: string, name: string): string[][] {
  const text = readFileSync(path, 'utf8');
  const block = new RegExp(`<!-- ${name}:begin[^>]*-->([\\s\\S]*?)<!-- ${name}:end -->`).exec(text)?.[1];
  if (!block) throw new Error(`${path} has no ${name} block`);
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
