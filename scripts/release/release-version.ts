// Release versions: the project publishes final releases only, spelled as PEP 440 "X.Y.Z" with no
// leading "v" (the upstream convention), so a git tag, an image tag and a package version agree.

export interface ReleaseVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The canonical spelling, identical to the git tag and the image tag. */
  readonly text: string;
}

/** Thrown when a tag is not a publishable release version; the message says how to spell it. */
export class InvalidReleaseVersionError extends Error {
  override readonly name = 'InvalidReleaseVersionError';
  constructor(
    readonly candidate: string,
    readonly reason: string,
  ) {
    super(`"${candidate}" is not a release version: ${reason}`);
  }
}

const CANONICAL = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** Parses "X.Y.Z"; anything else is rejected with the reason and the spelling to use instead. */
export function parseReleaseVersion(candidate: string): ReleaseVersion {
  const match = CANONICAL.exec(candidate);
  if (match) {
    return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), text: candidate };
  }
  throw new InvalidReleaseVersionError(candidate, explainRejection(candidate));
}

/** Same as parseReleaseVersion, but answers undefined instead of throwing: for sifting git tags. */
export function tryParseReleaseVersion(candidate: string): ReleaseVersion | undefined {
  return CANONICAL.test(candidate) ? parseReleaseVersion(candidate) : undefined;
}

/** Orders versions oldest first, for sort(). */
export function compareReleaseVersions(a: ReleaseVersion, b: ReleaseVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

// The reasons cover the mistakes people make when tagging, most specific first, so the workflow log
// tells the releaser exactly which tag to push instead.
function explainRejection(candidate: string): string {
  const trimmed = candidate.trim();
  if (trimmed === '') return 'the tag is empty; tag the release as X.Y.Z, e.g. 1.2.3';
  if (trimmed !== candidate) return `it has surrounding whitespace; tag it as "${trimmed}"`;
  if (/^[vV]\d/.test(candidate)) {
    return `release tags have no leading "v" (PEP 440 canonical form); tag it as "${candidate.slice(1)}"`;
  }
  const numbers = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))*$/.exec(candidate);
  if (numbers) {
    const parts = candidate.split('.');
    if (parts.length < 3) {
      const padded = [...parts, '0', '0'].slice(0, 3).join('.');
      return `a release needs three numbers X.Y.Z; tag it as "${padded}"`;
    }
    if (parts.length > 3) return 'a release has exactly three numbers X.Y.Z; drop the extra components';
    const canonical = parts.map((part) => String(Number(part))).join('.');
    return `numbers must not have leading zeros (PEP 440 normalizes them away); tag it as "${canonical}"`;
  }
  if (/^\d+\.\d+\.\d+\+/.test(candidate)) {
    return 'local version labels ("+...") cannot be published; tag the release as plain X.Y.Z';
  }
  if (/^\d+\.\d+\.\d+[-_.]?(a|b|rc|c|alpha|beta|pre|preview|post|dev|r|rev)/i.test(candidate)) {
    return 'only final releases X.Y.Z are published; pre-, post- and dev-releases are not';
  }
  return 'expected three dot-separated numbers X.Y.Z without a leading "v", e.g. 1.2.3';
}
