// The fan-out of one instrument: consumes next_visit from Kafka and POSTs one structured CloudEvent
// per detector to the instrument's prompt service (upstream next_visit_fan_out). Not a KafkaSource:
// the per-detector split needs the instrument catalog, which `prompt-fanout` reads itself.

import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { FAN_OUT_CONFIG_ENTRIES, fanOutConfigSchema } from '../../service/config/fanout-config';
import type { Instrument } from '../../service/domain/instruments';
import { renderEnv, type SecretKey } from './container-env';
import { assertDnsLabel, type ComponentLabels } from './names';
import { programDeployment } from './program-deployment';

/** Port of the fan-out's /metrics and /healthz (upstream's Prometheus port). */
const METRICS_PORT = 8000;

export interface NextVisitFanOutProps {
  /** Instrument whose visits are fanned out (its detector lists come from the catalog). */
  readonly instrument: Instrument;
  readonly namespace: string;
  /** Environment name, for labels. */
  readonly environment: string;
  /** Image holding the `prompt-fanout` bin (the service image). */
  readonly image: string;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent';
  readonly kafkaBootstrapServers: string;
  readonly nextVisitTopic: string;
  /** Kafka user; the consumer group is named after it. */
  readonly kafkaUsername: string;
  readonly kafkaPassword: SecretKey;
  /** Base URL of the prompt service. */
  readonly serviceUrl: string;
  /** @default 3600 */
  readonly messageExpirationSeconds?: number;
  /** Concurrent requests to the service. @default 2000 */
  readonly maxFanOutMessages?: number;
  /** @default - the namespace's default service account */
  readonly serviceAccountName?: string;
}

export class NextVisitFanOut extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: NextVisitFanOutProps) {
    super(scope, id);
    this.name = assertDnsLabel(`next-visit-fan-out-${props.instrument.slug}`, 'fan-out name');
    const labels: ComponentLabels = {
      component: 'next-visit-fan-out',
      instrument: props.instrument.slug,
      environment: props.environment,
    };
    const env = renderEnv({
      owner: `next-visit fan-out ${props.instrument.name}`,
      entries: FAN_OUT_CONFIG_ENTRIES,
      schema: fanOutConfigSchema,
      values: {
        RUBIN_INSTRUMENT: props.instrument.name,
        KAFKA_CLUSTER: props.kafkaBootstrapServers,
        NEXT_VISIT_TOPIC: props.nextVisitTopic,
        // One group per fan-out: every visit reaches it exactly once, whatever else reads the topic.
        KAFKA_CONSUMER_GROUP: props.kafkaUsername,
        KAFKA_USERNAME: props.kafkaUsername,
        SERVICE_URL: props.serviceUrl,
        MESSAGE_EXPIRATION: String(props.messageExpirationSeconds ?? 3600),
        MAX_FAN_OUT_MESSAGES: String(props.maxFanOutMessages ?? 2000),
        METRICS_HOST: '0.0.0.0',
        METRICS_PORT: String(METRICS_PORT),
      },
      secrets: { KAFKA_PASSWORD: props.kafkaPassword },
      complete: true,
    });
    // A second replica would join the same group and split partitions, not add capacity: the work
    // is in the service, so one consumer is enough and keeps ordering per instrument.
    programDeployment(this, {
      name: this.name,
      namespace: props.namespace,
      labels,
      strategy: 'Recreate',
      containerName: 'fan-out',
      image: props.image,
      imagePullPolicy: props.imagePullPolicy ?? 'IfNotPresent',
      args: ['prompt-fanout'],
      env,
      ports: [{ name: 'metrics', containerPort: METRICS_PORT }],
      readinessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('metrics') } },
      resources: { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '1Gi' },
      ...(props.serviceAccountName ? { serviceAccountName: props.serviceAccountName } : {}),
    });
  }
}
