// Which tags a built image gets, from what triggered the build. Upstream keeps these rules in
// workflow YAML; here they are code so that tests pin them down and every workflow shares them.
// Pure: the caller passes the event and refs; nothing is read from the environment.

import { parseReleaseVersion } from './release-version';

/** What started the build, as GitHub names it, plus "tag" for a pushed release tag. */
export const BUILD_EVENTS = ['push', 'pull_request', 'workflow_dispatch', 'tag'] as const;
export type BuildEvent = (typeof BUILD_EVENTS)[number];

export interface ImageTagRequest {
  /** The triggering event (`github.event_name`); a push of a tag ref counts as a release. */
  readonly event: BuildEvent;
  /** The full git ref (`github.ref`): `refs/heads/main`, `refs/pull/7/merge`, `refs/tags/1.2.3`. */
  readonly ref: string;
  /**
   * The pull request's source branch (`github.head_ref`): a merge ref names no branch.
   * @default - required for pull requests, ignored otherwise
   */
  readonly headRef?: string;
  /**
   * For the base image, the moving tag being built (e.g. `node20`); for the service image, the tag
   * of the base it was built on (an entry of BASE_TAG_LIST, e.g. `latest`).
   * @default - required for branch builds, ignored for releases
   */
  readonly baseTag?: string;
  /**
   * The exact Node.js version inside the base (`process.versions.node`, e.g. `20.20.2`). It adds
   * a version tag `node<version>` that stays put when the moving base tag moves on.
   * @default - no version tag
   */
  readonly runtimeVersion?: string;
  /**
   * Also tag `latest`. Honoured only on a manual dispatch from the default branch (see
   * docs/release.md, "The latest tag"); anywhere else it is an error rather than silently ignored.
   * @default false
   */
  readonly makeLatest?: boolean;
  /** @default 'main' */
  readonly defaultBranch?: string;
}

/** Thrown when a build's inputs cannot yield valid tags; the message says what to change. */
export class ImageTagRuleError extends Error {
  override readonly name = 'ImageTagRuleError';
}

const TAG_REFS = 'refs/tags/';
const BRANCH_REFS = 'refs/heads/';
// Docker's reference grammar for a tag.
const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * The tags for one image build, most specific last:
 * - release tag `X.Y.Z` → `X.Y.Z`;
 * - default branch → `<base>`, `node<runtime>` (when known and different), `latest` (when asked on a dispatch);
 * - any other branch → the same with the branch's last path segment as a prefix:
 *   `tickets/DM-12345` → `DM-12345-<base>`, `u/jdoe/topic` → `topic-<base>`.
 */
export function imageTags(request: ImageTagRequest): string[] {
  if (request.ref.startsWith(TAG_REFS)) return releaseTags(request);
  if (request.event === 'tag') {
    throw new ImageTagRuleError(`a tag build needs a ref under ${TAG_REFS}, got "${request.ref}"`);
  }
  const branch = branchOf(request);
  const defaultBranch = request.defaultBranch ?? 'main';
  // A pull request never counts as the default branch, even from a fork's "main": its images must
  // not overwrite the ones main publishes.
  const onDefaultBranch = request.event !== 'pull_request' && branch === defaultBranch;
  checkMakeLatest(request, onDefaultBranch, defaultBranch);

  const baseTags = [requireBaseTag(request)];
  const versionTag = runtimeVersionTag(request.runtimeVersion);
  if (versionTag !== undefined && versionTag !== baseTags[0]) baseTags.push(versionTag);

  if (!onDefaultBranch) {
    const prefix = branchTagPrefix(branch);
    return baseTags.map((tag) => checkedTag(`${prefix}-${tag}`, `branch "${branch}"`));
  }
  const tags = [...baseTags];
  if (request.makeLatest === true && !tags.includes('latest')) tags.push('latest');
  return tags;
}

function releaseTags(request: ImageTagRequest): string[] {
  if (request.event === 'pull_request') {
    throw new ImageTagRuleError(`a pull request cannot build the release ref "${request.ref}"`);
  }
  if (request.makeLatest === true) {
    throw new ImageTagRuleError(
      'make-latest does not apply to releases: a release is tagged with its version only; untick make-latest',
    );
  }
  return [parseReleaseVersion(request.ref.slice(TAG_REFS.length)).text];
}

function branchOf(request: ImageTagRequest): string {
  if (request.event === 'pull_request') {
    if (!request.headRef) {
      throw new ImageTagRuleError(
        `a pull request build needs the head branch (github.head_ref); the ref "${request.ref}" names none`,
      );
    }
    return stripPrefix(request.headRef, BRANCH_REFS);
  }
  if (!request.ref.startsWith(BRANCH_REFS)) {
    throw new ImageTagRuleError(
      `a ${request.event} build needs a branch ref (refs/heads/...) or a release tag ref (refs/tags/X.Y.Z), got "${request.ref}"`,
    );
  }
  return request.ref.slice(BRANCH_REFS.length);
}

function checkMakeLatest(request: ImageTagRequest, onDefaultBranch: boolean, defaultBranch: string): void {
  if (request.makeLatest !== true) return;
  if (request.event !== 'workflow_dispatch' || !onDefaultBranch) {
    throw new ImageTagRuleError(
      `make-latest is honoured only on a manual dispatch from ${defaultBranch} ` +
        `(got ${request.event} on ${request.ref}): untick make-latest, or dispatch the workflow from ${defaultBranch}`,
    );
  }
}

function requireBaseTag(request: ImageTagRequest): string {
  if (!request.baseTag) {
    throw new ImageTagRuleError(
      'a branch build needs the base tag (e.g. "latest" or "node20"); pass --base-tag',
    );
  }
  return checkedTag(request.baseTag, 'the base tag');
}

// `node --version` prints a leading "v" while process.versions.node does not; both are accepted.
function runtimeVersionTag(runtimeVersion: string | undefined): string | undefined {
  if (!runtimeVersion) return undefined;
  const version = stripPrefix(runtimeVersion, 'v');
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new ImageTagRuleError(
      `runtime version "${runtimeVersion}" is not an exact Node.js version X.Y.Z; pass process.versions.node from the base image`,
    );
  }
  return `node${version}`;
}

// Upstream uses the last path segment of the branch; characters Docker forbids become "-" so that
// a branch like "u/jdoe/fix+retry" still builds.
function branchTagPrefix(branch: string): string {
  const lastSegment =
    branch
      .split('/')
      .filter((segment) => segment !== '')
      .pop() ?? '';
  const prefix = lastSegment.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '');
  if (prefix === '') {
    throw new ImageTagRuleError(
      `branch "${branch}" has no usable name for an image tag; rename it to end in letters or digits`,
    );
  }
  return prefix;
}

function checkedTag(tag: string, origin: string): string {
  if (!DOCKER_TAG.test(tag)) {
    throw new ImageTagRuleError(
      `"${tag}" (from ${origin}) is not a valid image tag: use at most 128 letters, digits, "_", "." or "-", not starting with "." or "-"`,
    );
  }
  return tag;
}

function stripPrefix(text: string, prefix: string): string {
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}
