import { docsUrl } from '../registry/docs';
import { isJsonObject } from '../types';
import type { WorkspaceResource } from '../workspace';
import { defineRule } from '../rule';

/**
 * Built-in kinds that are cluster-scoped (they have no namespace). Rules cannot read the schema catalog, so the
 * list is fixed here. Custom resources are judged only when a CRD in the workspace declares them namespaced.
 */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ComponentStatus',
  'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'APIService',
  'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'VolumeAttributesClass',
  'PriorityClass', 'RuntimeClass', 'IngressClass', 'IPAddress', 'ServiceCIDR',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'FlowSchema', 'PriorityLevelConfiguration',
  'CertificateSigningRequest', 'ClusterTrustBundle',
  'DeviceClass', 'ResourceSlice',
  'TokenReview', 'SubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SelfSubjectReview',
  'PodSecurityPolicy', 'StorageVersionMigration', 'StorageVersion',
]);

/** Kinds that are never applied as objects (kustomize and kubectl configuration, lists). */
const NOT_OBJECTS = new Set(['List', 'Kustomization', 'Component', 'Config']);

/** API groups served by the API server itself; other groups come from CRDs (or aggregated APIs). */
const BUILTIN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'extensions',
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'authentication.k8s.io',
  'authorization.k8s.io', 'certificates.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io',
  'flowcontrol.apiserver.k8s.io', 'internal.apiserver.k8s.io', 'networking.k8s.io', 'node.k8s.io',
  'rbac.authorization.k8s.io', 'resource.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io', 'storagemigration.k8s.io',
]);

/** kube-linter use-namespace: namespaced resources say which namespace they belong to, and it is not `default`. */
export default defineRule({
  meta: {
    id: 'no-default-namespace',
    category: 'metadata',
    defaultSeverity: 'warning',
    target: { kinds: '*', scope: 'object' },
    docs: {
      summary: 'Namespaced resources are not placed in the `default` namespace, explicitly or by leaving `metadata.namespace` out.',
      rationale: 'The `default` namespace is where everything lands by accident: sharing it means sharing its ServiceAccount, quotas, NetworkPolicies and RBAC with unrelated workloads, and no one can delete "the app" by deleting its namespace. A resource without `metadata.namespace` goes wherever `kubectl apply` points, which is `default` unless `-n` is given; when kgov is configured with another `defaultNamespace` (the namespace you apply to), resources without a namespace are not reported. Cluster-scoped built-in kinds (Namespace, ClusterRole, StorageClass, CRDs, webhook configurations, ...) are skipped; a custom resource is checked only when a CustomResourceDefinition in the workspace declares it `Namespaced` (without one kgov cannot know its scope). There is no automatic fix: the namespace is a decision.',
      url: docsUrl('no-default-namespace'),
    },
    messages: {
      pass: '{{kind}} "{{name}}" is in namespace "{{namespace}}".',
      missing: '{{kind}} "{{name}}" sets no namespace, so it is created in the "default" namespace.',
      explicitDefault: '{{kind}} "{{name}}" is in the "default" namespace.',
    },
    aliases: { kubeLinter: 'use-namespace' },
    crossResource: true,
    checklist: false,
  },
  check(ctx) {
    const { kind, apiVersion } = ctx.resource;
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const clusterScoped = BUILTIN_GROUPS.has(group) ? CLUSTER_SCOPED.has(kind) : customScope(ctx.workspace.resources('CustomResourceDefinition'), group, kind) !== 'Namespaced';
    if (NOT_OBJECTS.has(kind) || clusterScoped) {
      ctx.notApplicable();
      return;
    }
    const name = ctx.resource.name ?? '';
    const written = ctx.get('/metadata/namespace');
    if (written === 'default') {
      ctx.report({ messageId: 'explicitDefault', data: { kind, name }, at: '/metadata/namespace', anchor: 'value' });
      return;
    }
    if (written === undefined && ctx.resource.namespace === 'default') {
      ctx.report({ messageId: 'missing', data: { kind, name }, at: '/metadata' });
    }
  },
});

/** The scope a CRD of the workspace declares for a custom kind, or undefined when no CRD defines it. */
function customScope(crds: readonly WorkspaceResource[], group: string, kind: string): unknown {
  for (const { value } of crds) {
    const spec = value.spec;
    if (isJsonObject(spec) && spec.group === group && isJsonObject(spec.names) && spec.names.kind === kind) return spec.scope;
  }
  return undefined;
}
