// The namespace one instrument's workloads run in, with the ServiceAccount they use (no API token:
// none of them calls the Kubernetes API). Given `isolation`, it becomes a developer's sandbox: a
// quota and default limits, a NetworkPolicy that admits only the traffic the service needs, and a
// Role letting the developer operate (not reconfigure secrets of) this namespace alone.

import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { NamespaceQuota } from '../environments/environment';
import { assertDnsLabel } from './names';

export const WORKLOAD_SERVICE_ACCOUNT = 'prompt-processing';

/** Namespaces of the Knative components that deliver requests to the service. */
export const KNATIVE_NAMESPACES = ['knative-serving', 'kourier-system'];

export interface NamespaceIsolation {
  /** The developer's Kubernetes user name, bound to the namespace's Role. */
  readonly developer: string;
  readonly quota: NamespaceQuota;
  /** Namespace of the Kafka cluster the workloads talk to. */
  readonly kafkaNamespace: string;
  /** Namespace of the RGW that pushes bucket notifications to the bridge. */
  readonly objectStoreNamespace: string;
}

export interface InstrumentNamespaceProps {
  readonly name: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** @default - a shared namespace: no quota, policy or developer role */
  readonly isolation?: NamespaceIsolation;
}

export class InstrumentNamespace extends Construct {
  public readonly name: string;
  public readonly serviceAccountName = WORKLOAD_SERVICE_ACCOUNT;

  constructor(scope: Construct, id: string, props: InstrumentNamespaceProps) {
    super(scope, id);
    this.name = assertDnsLabel(props.name, 'namespace');
    const labels = props.labels ?? {};
    // Cluster-scoped: no metadata.namespace.
    new k8s.KubeNamespace(this, 'Resource', { metadata: { name: this.name, labels } });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: WORKLOAD_SERVICE_ACCOUNT, namespace: this.name, labels },
      automountServiceAccountToken: false,
    });
    if (props.isolation) this.isolate(props.isolation, labels);
  }

  private isolate(isolation: NamespaceIsolation, labels: Record<string, string>): void {
    const metadata = (name: string) => ({ name, namespace: this.name, labels });
    const q = (value: string) => k8s.Quantity.fromString(value);
    new k8s.KubeResourceQuota(this, 'Quota', {
      metadata: metadata('developer-quota'),
      spec: {
        hard: {
          'requests.cpu': q(isolation.quota.cpu),
          'limits.cpu': q(isolation.quota.cpu),
          'requests.memory': q(isolation.quota.memory),
          'limits.memory': q(isolation.quota.memory),
          'requests.ephemeral-storage': q(isolation.quota.ephemeralStorage),
          'limits.ephemeral-storage': q(isolation.quota.ephemeralStorage),
          pods: q(String(isolation.quota.pods)),
        },
      },
    });
    // A quota on limits rejects pods without them; these defaults keep ad-hoc debug pods schedulable.
    new k8s.KubeLimitRange(this, 'Limits', {
      metadata: metadata('developer-limits'),
      spec: {
        limits: [
          {
            type: 'Container',
            default: { cpu: q('500m'), memory: q('512Mi'), 'ephemeral-storage': q('1Gi') },
            defaultRequest: { cpu: q('100m'), memory: q('128Mi'), 'ephemeral-storage': q('256Mi') },
          },
        ],
      },
    });
    this.networkPolicy(isolation, metadata('prompt-processing'));
    this.developerRole(isolation, metadata('developer'));
  }

  private networkPolicy(isolation: NamespaceIsolation, metadata: k8s.ObjectMeta): void {
    const namespace = (name: string): k8s.NetworkPolicyPeer => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
    });
    const ports = (protocol: string, ...numbers: number[]): k8s.NetworkPolicyPort[] =>
      numbers.map((port) => ({ protocol, port: k8s.IntOrString.fromNumber(port) }));
    const sameNamespace: k8s.NetworkPolicyPeer = { podSelector: {} };
    new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata,
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          // Requests reach the service through Knative's activator and ingress; RGW pushes
          // notifications to the bridge.
          {
            from: [
              sameNamespace,
              ...KNATIVE_NAMESPACES.map(namespace),
              namespace(isolation.objectStoreNamespace),
            ],
          },
        ],
        egress: [
          { to: [namespace('kube-system')], ports: [...ports('UDP', 53), ...ports('TCP', 53)] },
          { to: [sameNamespace, ...KNATIVE_NAMESPACES.map(namespace)] },
          { to: [namespace(isolation.kafkaNamespace)], ports: ports('TCP', 9092, 9093) },
          // The object store and Postgres live outside the cluster at addresses this code does not know.
          { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: ports('TCP', 80, 443, 5432) },
        ],
      },
    });
  }

  private developerRole(isolation: NamespaceIsolation, metadata: k8s.ObjectMeta): void {
    const read = ['get', 'list', 'watch'];
    new k8s.KubeRole(this, 'DeveloperRole', {
      metadata,
      // Enough to watch, restart and re-run things; Secrets stay unreadable, RBAC unchangeable.
      rules: [
        { apiGroups: [''], resources: ['pods', 'pods/log', 'events', 'services', 'configmaps'], verbs: read },
        { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: [...read, 'patch'] },
        {
          apiGroups: ['batch'],
          resources: ['jobs', 'cronjobs'],
          verbs: [...read, 'create', 'delete', 'patch'],
        },
        {
          apiGroups: ['serving.knative.dev'],
          resources: ['services', 'revisions', 'configurations', 'routes'],
          verbs: [...read, 'patch'],
        },
      ],
    });
    new k8s.KubeRoleBinding(this, 'DeveloperBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: metadata.name ?? 'developer' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: isolation.developer }],
    });
  }
}
