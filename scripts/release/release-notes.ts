// Release notes: the commits since the previous release tag, the component versions operators must
// match (read from service/domain/component-versions.json at both tags), and a "Breaking changes"
// section when a component's major version moved. Collecting reads git; rendering is pure.

import {
  COMPONENT_VERSIONS_PATH,
  type ComponentVersions,
  componentVersionsOrUnknown,
} from '../../service/domain/component-versions';
import { type ComponentChange, compareComponentVersions, OPERATOR_ACTIONS } from './component-changes';
import type { Commit, GitHistory } from './git-history';
import { compareReleaseVersions, tryParseReleaseVersion } from './release-version';

export interface ReleaseNotesRequest {
  /** The release being described: its tag, or any ref (HEAD) for a preview. */
  readonly to: string;
  /** @default - the highest release tag below `to` that is reachable from it */
  readonly from?: string;
  /** Images published for this release, listed as image:version. @default - no images section */
  readonly images?: readonly string[];
}

export interface ReleaseNotes {
  readonly to: string;
  /** Undefined for the first release. */
  readonly from: string | undefined;
  readonly commits: readonly Commit[];
  readonly components: readonly ComponentChange[];
  readonly images: readonly string[];
  /** Release-policy problems, e.g. a breaking change without a major version bump. */
  readonly warnings: readonly string[];
}

export function collectReleaseNotes(history: GitHistory, request: ReleaseNotesRequest): ReleaseNotes {
  const from = request.from ?? previousReleaseTag(history, request.to);
  const previous =
    from === undefined ? componentVersionsOrUnknown(undefined) : componentVersionsAt(history, from);
  const components = compareComponentVersions(previous, componentVersionsAt(history, request.to));
  return {
    to: request.to,
    from,
    commits: history.commitsBetween(from, request.to),
    components,
    images: (request.images ?? []).map((image) => `${image}:${request.to}`),
    warnings: versionBumpWarnings(from, request.to, components),
  };
}

/** The highest release tag reachable from `to` that is older than it (when `to` is itself a release). */
export function previousReleaseTag(history: GitHistory, to: string): string | undefined {
  const target = tryParseReleaseVersion(to);
  const candidates = history
    .releaseTagsReachableFrom(to)
    .filter(
      (tag) => tag.name !== to && (target === undefined || compareReleaseVersions(tag.version, target) < 0),
    );
  return candidates.at(-1)?.name;
}

/** The versions recorded at ref; a tag from before the file existed reads as all unknown. */
export function componentVersionsAt(history: GitHistory, ref: string): ComponentVersions {
  const text = history.fileAt(ref, COMPONENT_VERSIONS_PATH);
  if (text === undefined) return componentVersionsOrUnknown(undefined);
  try {
    return componentVersionsOrUnknown(JSON.parse(text));
  } catch (error) {
    // A broken file at an old tag cannot be fixed any more; report its versions as unknown.
    if (error instanceof SyntaxError) return componentVersionsOrUnknown(undefined);
    throw error;
  }
}

export function renderReleaseNotes(notes: ReleaseNotes): string {
  const sections = [
    `# prompt-processing ${notes.to}`,
    summaryLine(notes),
    ...breakingSection(notes.components),
    versionsSection(notes),
    ...imagesSection(notes.images),
    changesSection(notes.commits),
  ];
  return `${sections.join('\n\n')}\n`;
}

// Upstream's rule: a release that changes an operator-facing contract incompatibly is a major release.
function versionBumpWarnings(
  from: string | undefined,
  to: string,
  components: readonly ComponentChange[],
): string[] {
  const previous = from === undefined ? undefined : tryParseReleaseVersion(from);
  const current = tryParseReleaseVersion(to);
  if (previous === undefined || current === undefined || current.major > previous.major) return [];
  return components
    .filter((change) => change.breaking)
    .map(
      (change) =>
        `${change.title} changed its major version (${change.previous} → ${change.current}) but ${to} keeps ` +
        `major version ${current.major} of ${from}: release it as ${previous.major + 1}.0.0 instead`,
    );
}

function summaryLine(notes: ReleaseNotes): string {
  const count = `${notes.commits.length} commit${notes.commits.length === 1 ? '' : 's'}`;
  return notes.from === undefined ? `First release: ${count}.` : `Changes since ${notes.from}: ${count}.`;
}

function breakingSection(components: readonly ComponentChange[]): string[] {
  const breaking = components.filter((change) => change.breaking);
  if (breaking.length === 0) return [];
  const items = breaking.map(
    (change) =>
      `- **${change.title}** ${change.previous} → ${change.current}: ${OPERATOR_ACTIONS[change.component]}.`,
  );
  return [['## Breaking changes', '', ...items].join('\n')];
}

function versionsSection(notes: ReleaseNotes): string {
  const rows = notes.components.map((change) => {
    const current = change.changed ? `**${change.current}**` : change.current;
    return `| ${change.title} | ${notes.from === undefined ? '—' : change.previous} | ${current} |`;
  });
  return [
    '## Versions operators must match',
    '',
    `| Component | ${notes.from ?? 'previous'} | ${notes.to} |`,
    '| --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function imagesSection(images: readonly string[]): string[] {
  if (images.length === 0) return [];
  return [['## Images', '', ...images.map((image) => `- \`${image}\``)].join('\n')];
}

function changesSection(commits: readonly Commit[]): string {
  if (commits.length === 0) return '## Changes\n\nNo commits.';
  const items = commits.map((commit) => `- ${commit.subject} (${commit.shortHash}, ${commit.author})`);
  return ['## Changes', '', ...items].join('\n');
}
