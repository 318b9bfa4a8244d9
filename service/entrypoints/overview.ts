// `npm run overview`: what the repository generates and runs — every shared environment as
// synthesized from code, the instrument catalog and the prompt service's configuration surface.

import { summarizeEnvironment } from '../../infra/overview';
import { SHARED_ENVIRONMENTS } from '../../infra/synthesize';
import { SERVICE_CONFIG_ENTRIES } from '../config/service-config';
import { INSTRUMENT_NAMES, instrumentByName } from '../domain/instruments';

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function main(): void {
  const out: string[] = ['prompt-processing: what this repository deploys and runs', ''];
  out.push('Instruments (service/domain/instruments.ts)');
  out.push(
    table(
      ['instrument', 'detectors', 'fan-out', 'skymap', 'raw keys', 'main pipelines'],
      INSTRUMENT_NAMES.map((name) => {
        const i = instrumentByName(name);
        return [
          name,
          String(i.detectors.length),
          String(i.fanOutDetectors.length),
          i.skymap,
          i.rawKeyStyle,
          i.pipelines.main.join(' → '),
        ];
      }),
    ),
    '',
  );
  for (const environment of SHARED_ENVIRONMENTS) {
    const summary = summarizeEnvironment(environment);
    out.push(
      `Environment ${summary.environment} (image tag ${summary.imageTag}, ${summary.argoApplications} Argo CD applications; dist/${environment.distPath}/)`,
    );
    out.push(
      table(
        ['instrument', 'namespace', 'knative service', 'APDB schema', 'kafka topics', 'objects'],
        summary.instruments.map((s) => [
          s.instrument,
          s.namespace,
          s.knativeService ?? '-',
          s.apdbSchema,
          s.kafkaTopics.join(', '),
          String(Object.values(s.kinds).reduce((a, b) => a + b, 0)),
        ]),
      ),
      '',
    );
  }
  out.push('Prompt service configuration (service/config/service-config.ts)');
  out.push(
    table(
      ['variable', 'default', 'meaning'],
      SERVICE_CONFIG_ENTRIES.map((e) => [
        e.secret ? `${e.name} (secret)` : e.name,
        e.required ? '(required)' : (e.default ?? '(unset)'),
        e.doc,
      ]),
    ),
    '',
    'Next: `npm test` starts PostgreSQL, Kafka and Ceph RGW on 127.0.0.1 and runs every suite;',
    '`npm run synth -- --developer <name>` writes your own isolated environment to dist/developers/<name>/.',
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
