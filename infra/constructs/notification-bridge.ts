// The notification bridge of one instrument: an HTTP endpoint RGW pushes S3 event notifications to,
// which publishes each to the instrument's raw-notification topic. Needed where the object store
// cannot push to Kafka itself (Debian's RGW has no kafka:// endpoint).

import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  BRIDGE_CONFIG_ENTRIES,
  BRIDGE_NOTIFICATION_PATH,
  bridgeConfigSchema,
} from '../../service/config/bridge-config';
import type { Instrument } from '../../service/domain/instruments';
import { renderEnv, type SecretKey } from './container-env';
import { assertDnsLabel, type ComponentLabels, componentLabels, selectorLabels } from './names';
import { programDeployment } from './program-deployment';

const CONTAINER_PORT = 8080;

export interface NotificationBridgeProps {
  /** Instrument whose raw notifications the bridge carries. */
  readonly instrument: Instrument;
  readonly namespace: string;
  /** Environment name, for labels. */
  readonly environment: string;
  /** Image holding the `prompt-bridge` bin (the service image). */
  readonly image: string;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent';
  readonly kafkaBootstrapServers: string;
  readonly topic: string;
  readonly kafkaUsername: string;
  readonly kafkaPassword: SecretKey;
  /** @default - the namespace's default service account */
  readonly serviceAccountName?: string;
}

export class NotificationBridge extends Construct {
  public readonly name: string;
  /** URL for the CephBucketTopic's HTTP endpoint. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: NotificationBridgeProps) {
    super(scope, id);
    this.name = assertDnsLabel(`notification-bridge-${props.instrument.slug}`, 'bridge name');
    this.url = `http://${this.name}.${props.namespace}.svc.cluster.local${BRIDGE_NOTIFICATION_PATH}`;
    const labels: ComponentLabels = {
      component: 'notification-bridge',
      instrument: props.instrument.slug,
      environment: props.environment,
    };
    const env = renderEnv({
      owner: `notification bridge ${props.instrument.name}`,
      entries: BRIDGE_CONFIG_ENTRIES,
      schema: bridgeConfigSchema,
      values: {
        BRIDGE_HOST: '0.0.0.0',
        BRIDGE_PORT: String(CONTAINER_PORT),
        KAFKA_CLUSTER: props.kafkaBootstrapServers,
        BUCKET_TOPIC: props.topic,
        KAFKA_USERNAME: props.kafkaUsername,
      },
      secrets: { KAFKA_PASSWORD: props.kafkaPassword },
      complete: true,
    });
    programDeployment(this, {
      name: this.name,
      namespace: props.namespace,
      labels,
      containerName: 'bridge',
      image: props.image,
      imagePullPolicy: props.imagePullPolicy ?? 'IfNotPresent',
      args: ['prompt-bridge'],
      env,
      ports: [{ name: 'http', containerPort: CONTAINER_PORT }],
      readinessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('http') } },
      resources: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '128Mi', memoryLimit: '512Mi' },
      ...(props.serviceAccountName ? { serviceAccountName: props.serviceAccountName } : {}),
    });
    new k8s.KubeService(this, 'Service', {
      metadata: { name: this.name, namespace: props.namespace, labels: componentLabels(labels) },
      spec: {
        selector: selectorLabels(labels),
        ports: [{ name: 'http', port: 80, targetPort: k8s.IntOrString.fromString('http') }],
      },
    });
  }
}
