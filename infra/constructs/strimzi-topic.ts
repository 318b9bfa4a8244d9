// A Kafka topic managed by Strimzi's topic operator, in the API version the cluster's Strimzi serves
// (v1 from Strimzi 1.0, which removed v1beta2; v1beta2 before).

import { Construct } from 'constructs';
import type { StrimziApiVersion } from '../environments/environment';
import { KafkaTopic, KafkaTopicV1Beta2 } from '../imports/kafkatopic-kafka.strimzi.io';
import { assertDnsLabel } from './names';

const KAFKA_TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export interface StrimziTopicProps {
  /** Kafka topic name; also the object name, so it must be a DNS label too. */
  readonly topicName: string;
  /** Namespace the topic operator watches. */
  readonly namespace: string;
  /** Strimzi `Kafka` resource the topic belongs to. */
  readonly clusterName: string;
  readonly apiVersion: StrimziApiVersion;
  /** @default 1 */
  readonly partitions?: number;
  /** @default 3 */
  readonly replicas?: number;
  /** How long messages are kept. @default 604800000 (7 days) */
  readonly retentionMs?: number;
  /** @default - none */
  readonly labels?: Record<string, string>;
}

export class StrimziTopic extends Construct {
  public readonly topicName: string;

  constructor(scope: Construct, id: string, props: StrimziTopicProps) {
    super(scope, id);
    if (!KAFKA_TOPIC_NAME.test(props.topicName)) {
      throw new Error(`kafka topic name "${props.topicName}" is invalid: use 1-249 of [a-zA-Z0-9._-]`);
    }
    const partitions = props.partitions ?? 1;
    const replicas = props.replicas ?? 3;
    if (partitions < 1 || replicas < 1) {
      throw new Error(
        `topic ${props.topicName}: partitions (${partitions}) and replicas (${replicas}) must be ≥ 1`,
      );
    }
    this.topicName = props.topicName;
    const metadata = {
      name: assertDnsLabel(props.topicName, 'kafka topic object name'),
      namespace: props.namespace,
      labels: { ...props.labels, 'strimzi.io/cluster': props.clusterName },
    };
    const spec = {
      topicName: props.topicName,
      partitions,
      replicas,
      config: { 'retention.ms': props.retentionMs ?? 604_800_000 },
    };
    if (props.apiVersion === 'v1') new KafkaTopic(this, 'Resource', { metadata, spec });
    else new KafkaTopicV1Beta2(this, 'Resource', { metadata, spec });
  }
}
