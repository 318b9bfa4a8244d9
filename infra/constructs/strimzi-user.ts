// A Kafka user (SCRAM-SHA-512) with simple ACLs, managed by Strimzi's user operator. The password
// comes from a Secret the secret store provides; no password appears in a manifest. ACLs use the
// plural `operations`, which both v1 and v1beta2 accept (v1 rejects upstream's singular `operation`).

import { Construct } from 'constructs';
import type { StrimziApiVersion } from '../environments/environment';
import {
  KafkaUser,
  type KafkaUserSpec,
  KafkaUserV1Beta2,
  type KafkaUserV1Beta2Spec,
} from '../imports/kafkauser-kafka.strimzi.io';
import type { SecretKey } from './container-env';
import { assertDnsLabel } from './names';

export type AclOperation = 'Read' | 'Write' | 'Describe';

export interface KafkaAcl {
  readonly resourceType: 'topic' | 'group';
  /** A name, or a prefix when `patternType` is `prefix`. */
  readonly name: string;
  /** @default 'literal' */
  readonly patternType?: 'literal' | 'prefix';
  readonly operations: readonly AclOperation[];
}

export interface StrimziUserProps {
  readonly userName: string;
  readonly namespace: string;
  readonly clusterName: string;
  readonly apiVersion: StrimziApiVersion;
  /** Secret key (in the user's namespace) holding the SCRAM password. */
  readonly password: SecretKey;
  readonly acls: readonly KafkaAcl[];
  /** @default - none */
  readonly labels?: Record<string, string>;
}

export class StrimziUser extends Construct {
  public readonly userName: string;

  constructor(scope: Construct, id: string, props: StrimziUserProps) {
    super(scope, id);
    if (props.acls.length === 0) {
      throw new Error(`kafka user ${props.userName} has no ACLs: grant at least one operation`);
    }
    this.userName = props.userName;
    const metadata = {
      name: assertDnsLabel(props.userName, 'kafka user name'),
      namespace: props.namespace,
      labels: { ...props.labels, 'strimzi.io/cluster': props.clusterName },
    };
    const spec = {
      authentication: {
        type: 'scram-sha-512',
        password: {
          valueFrom: { secretKeyRef: { name: props.password.secretName, key: props.password.key } },
        },
      },
      authorization: {
        type: 'simple',
        acls: props.acls.map((acl) => ({
          resource: { type: acl.resourceType, name: acl.name, patternType: acl.patternType ?? 'literal' },
          operations: [...acl.operations],
        })),
      },
    };
    // The generated specs type these strings as enums of the same values.
    if (props.apiVersion === 'v1') new KafkaUser(this, 'Resource', { metadata, spec: spec as KafkaUserSpec });
    else new KafkaUserV1Beta2(this, 'Resource', { metadata, spec: spec as KafkaUserV1Beta2Spec });
  }
}
