// Which kafka.strimzi.io API versions a Strimzi operator serves. An environment names both its
// operator version and the API version to emit; a mismatch would only surface when Argo CD applies
// the objects, so the chart checks it up front. The tests validate each environment's Kafka objects
// against the CRD files of exactly that operator version (infra/crds/strimzi-<version>-*.yaml).

import type { StrimziApiVersion } from './environment';

/** Strimzi 0.49 added the v1 API; 1.0 removed v1beta2. */
const V1_SINCE: readonly [number, number] = [0, 49];
const V1BETA2_UNTIL: readonly [number, number] = [1, 0];

function parseVersion(version: string): [number, number] {
  const match = /^(\d+)\.(\d+)\.\d+$/.exec(version);
  if (!match) {
    throw new Error(
      `strimzi version "${version}" is not MAJOR.MINOR.PATCH: use the operator's release (e.g. 0.49.1)`,
    );
  }
  return [Number(match[1]), Number(match[2])];
}

function atLeast(version: readonly [number, number], floor: readonly [number, number]): boolean {
  return version[0] !== floor[0] ? version[0] > floor[0] : version[1] >= floor[1];
}

/** The API versions an operator of `version` serves, newest first. */
export function servedStrimziApiVersions(version: string): StrimziApiVersion[] {
  const parsed = parseVersion(version);
  const served: StrimziApiVersion[] = [];
  if (atLeast(parsed, V1_SINCE)) served.push('v1');
  if (!atLeast(parsed, V1BETA2_UNTIL)) served.push('v1beta2');
  return served;
}

/** Throws, naming the versions that would work, when the operator does not serve `apiVersion`. */
export function assertStrimziApiVersion(version: string, apiVersion: StrimziApiVersion): void {
  const served = servedStrimziApiVersions(version);
  if (!served.includes(apiVersion)) {
    throw new Error(
      `strimzi ${version} does not serve kafka.strimzi.io/${apiVersion}: set strimziApiVersion to ` +
        `${served.map((v) => `'${v}'`).join(' or ')}, or correct strimziVersion`,
    );
  }
}
