// The rules every Dockerfile of the project must follow, checked on the parsed file (dockerfile-ast)
// because no Docker engine is needed to read one: the final stage runs as a non-root user, every
// external base is pinned to an exact tag or digest, no ENV or ARG carries a secret, and the final
// stage states its health check (or HEALTHCHECK NONE, with the probes documented elsewhere).

import { Arg, type Dockerfile, DockerfileParser, Env, type From, type Instruction } from 'dockerfile-ast';

export interface PolicyFinding {
  /** 1-based line in the Dockerfile. */
  readonly line: number;
  readonly message: string;
}

// Names that say "this holds a secret"; build args and env vars are stored in the image history.
// Short words only count as whole "_"-separated parts, so AUTHOR or KEYRING_DIR are not flagged.
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|(^|_)(AUTH|(PRIVATE|ACCESS|API)_KEY)(_|$)/i;
// Values that are secrets whatever their name.
const SECRET_VALUES: readonly RegExp[] = [
  /AKIA[0-9A-Z]{16}/, // AWS access key id
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/, // GitHub token
  /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, // credentials in a URL
];
const ROOT_USERS = new Set(['root', '0']);

export function checkDockerfile(text: string): PolicyFinding[] {
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions();
  const finalStage = instructions.slice(lastIndexOf(instructions, 'FROM'));
  return [
    ...checkBaseImages(dockerfile),
    ...checkUser(finalStage),
    ...checkSecrets(dockerfile),
    ...checkHealthcheck(finalStage),
  ];
}

function checkBaseImages(dockerfile: Dockerfile): PolicyFinding[] {
  const stages = new Set<string>();
  const findings: PolicyFinding[] = [];
  for (const from of dockerfile.getFROMs()) {
    const image = expandedImage(from);
    if (image !== undefined && !stages.has(image) && image !== 'scratch') {
      const problem = pinningProblem(image);
      if (problem !== undefined) findings.push({ line: lineOf(from), message: problem });
    }
    const stage = from.getBuildStage();
    if (stage !== null) stages.add(stage);
  }
  return findings;
}

// FROM arguments with ARG defaults substituted, as a build without --build-arg would see them.
function expandedImage(from: From): string | undefined {
  return from.getExpandedArguments()[0]?.getValue();
}

function pinningProblem(image: string): string | undefined {
  if (image.includes('${') || image.includes('$')) {
    return `base image "${image}" uses a variable without a default; give the ARG a pinned default`;
  }
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  const tag = colon === -1 ? undefined : image.slice(colon + 1);
  if (tag === undefined) return `base image "${image}" has no tag; pin an exact version tag or a digest`;
  if (tag === 'latest' || !/\d/.test(tag)) {
    return `base image "${image}" uses the moving tag "${tag}"; pin an exact version tag or a digest`;
  }
  return undefined;
}

function checkUser(finalStage: readonly Instruction[]): PolicyFinding[] {
  const users = finalStage.filter((instruction) => instruction.getKeyword() === 'USER');
  const last = users.at(-1);
  if (last === undefined) {
    return [
      { line: lineOf(finalStage[0]), message: 'the final stage sets no USER; end it with a non-root USER' },
    ];
  }
  const user = (last.getArgumentsContent() ?? '').trim().split(':')[0] ?? '';
  return ROOT_USERS.has(user)
    ? [{ line: lineOf(last), message: `the final stage runs as "${user}"; switch to a non-root USER` }]
    : [];
}

function checkSecrets(dockerfile: Dockerfile): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    for (const { name, value } of propertiesOf(instruction)) {
      if (SECRET_NAME.test(name)) {
        findings.push({
          line: lineOf(instruction),
          message: `${keyword} ${name} looks like a secret; pass secrets at run time (Kubernetes Secret) or with RUN --mount=type=secret`,
        });
      } else if (SECRET_VALUES.some((pattern) => pattern.test(value))) {
        findings.push({
          line: lineOf(instruction),
          message: `${keyword} ${name} has a value that looks like a credential; remove it from the Dockerfile`,
        });
      }
    }
  }
  return findings;
}

function propertiesOf(instruction: Instruction): { name: string; value: string }[] {
  const properties =
    instruction instanceof Env
      ? instruction.getProperties()
      : instruction instanceof Arg
        ? [instruction.getProperty()].filter((property) => property !== null)
        : [];
  return properties.map((property) => ({ name: property.getName(), value: property.getValue() ?? '' }));
}

function checkHealthcheck(finalStage: readonly Instruction[]): PolicyFinding[] {
  const declared = finalStage.some((instruction) => instruction.getKeyword() === 'HEALTHCHECK');
  return declared
    ? []
    : [
        {
          line: lineOf(finalStage[0]),
          message:
            'the final stage declares no HEALTHCHECK; add one, or HEALTHCHECK NONE with the probes documented in docs/release.md',
        },
      ];
}

function lastIndexOf(instructions: readonly Instruction[], keyword: string): number {
  for (let index = instructions.length - 1; index >= 0; index -= 1) {
    if (instructions[index]?.getKeyword() === keyword) return index;
  }
  return 0;
}

function lineOf(instruction: Instruction | undefined): number {
  return instruction === undefined ? 1 : instruction.getRange().start.line + 1;
}
