// Writes the release notes for a tag (or a preview for HEAD) as Markdown, for `gh release create
// --notes-file`. Release-policy warnings go to stderr; --strict turns them into a failure.
// usage: tsx scripts/release/release-notes-cli.ts --to 1.2.0 [--from 1.1.0] [--output notes.md]

import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { InvalidComponentVersionsError } from '../../service/domain/component-versions';
import { given, runCli } from './cli-exit';
import { GitCommandError, GitHistory } from './git-history';
import { collectReleaseNotes, renderReleaseNotes } from './release-notes';
import { parseReleaseVersion } from './release-version';

interface ReleaseNotesOptions {
  readonly to: string;
  readonly from?: string;
  readonly repo: string;
  readonly image: readonly string[];
  readonly output?: string;
  readonly strict: boolean;
}

/** Thrown under --strict when the release breaks the versioning policy. */
class ReleasePolicyError extends Error {
  override readonly name = 'ReleasePolicyError';
}

function releaseNotesCommand(): Command {
  return new Command('release-notes')
    .description('release notes since the previous release tag, with operator-facing versions')
    .option('--to <ref>', 'the release tag (X.Y.Z), or HEAD for a preview', 'HEAD')
    .option('--from <ref>', 'the previous release (default: highest older release tag reachable from --to)')
    .option('--repo <dir>', 'the git checkout to read', '.')
    .option('--image <name>', 'an image published as <name>:<version>; repeatable', collect, [])
    .option('--output <file>', 'write the notes to this file instead of stdout')
    .option(
      '--strict',
      'fail when the version does not follow the policy (e.g. breaking change, no major bump)',
      false,
    );
}

function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}

function main(): void {
  const options = releaseNotesCommand().parse().opts<ReleaseNotesOptions>();
  const history = new GitHistory(options.repo);
  // Notes for a tag are release notes, so the tag must be a release version; HEAD, branches and
  // hashes are previews and need none.
  if (history.isTag(options.to)) parseReleaseVersion(options.to);
  const notes = collectReleaseNotes(history, {
    to: options.to,
    from: given(options.from),
    images: options.image,
  });
  for (const warning of notes.warnings) process.stderr.write(`warning: ${warning}\n`);
  const markdown = renderReleaseNotes(notes);
  if (options.output === undefined) process.stdout.write(markdown);
  else writeFileSync(options.output, markdown);
  if (options.strict && notes.warnings.length > 0) {
    throw new ReleasePolicyError(
      `${notes.warnings.length} release-policy warning(s) above; fix the version tag`,
    );
  }
}

runCli(main, [GitCommandError, InvalidComponentVersionsError, ReleasePolicyError]);
