// Prints the tags one image build gets, one per line (optionally as image:tag), for the workflows'
// `tags` outputs. The rules themselves live in image-tags.ts.
// usage: tsx scripts/release/image-tags-cli.ts --event push --ref refs/heads/main --base-tag latest

import { Command, Option } from 'commander';
import { given, InvalidFlagError, parseFlag, runCli } from './cli-exit';
import { BUILD_EVENTS, type BuildEvent, ImageTagRuleError, imageTags } from './image-tags';

interface ImageTagsOptions {
  readonly event: BuildEvent;
  readonly ref: string;
  readonly headRef?: string;
  readonly baseTag?: string;
  readonly runtimeVersion?: string;
  readonly makeLatest?: string;
  readonly defaultBranch: string;
  readonly image?: string;
}

function imageTagsCommand(): Command {
  return new Command('image-tags')
    .description('list the tags for one image build (rules: docs/release.md)')
    .addOption(
      new Option('--event <event>', 'github.event_name, or "tag"')
        .choices(BUILD_EVENTS)
        .makeOptionMandatory(),
    )
    .requiredOption('--ref <ref>', 'github.ref, e.g. refs/heads/main or refs/tags/1.2.3')
    .option('--head-ref <branch>', 'github.head_ref (pull requests)')
    .option('--base-tag <tag>', 'the base tag built or built upon, e.g. latest or node20')
    .option('--runtime-version <version>', 'the exact Node.js version in the base, e.g. 20.20.2')
    .option('--make-latest <bool>', 'also tag latest (manual dispatch from main only)', 'false')
    .option('--default-branch <branch>', 'the branch whose builds carry no prefix', 'main')
    .option('--image <name>', 'print image:tag instead of the bare tag, e.g. ghcr.io/org/prompt-service');
}

function main(): void {
  const options = imageTagsCommand().parse().opts<ImageTagsOptions>();
  const tags = imageTags({
    event: options.event,
    ref: options.ref,
    headRef: given(options.headRef),
    baseTag: given(options.baseTag),
    runtimeVersion: given(options.runtimeVersion),
    makeLatest: parseFlag(options.makeLatest, 'make-latest'),
    defaultBranch: options.defaultBranch,
  });
  const image = given(options.image);
  for (const tag of tags) process.stdout.write(`${image === undefined ? tag : `${image}:${tag}`}\n`);
}

runCli(main, [ImageTagRuleError, InvalidFlagError]);
