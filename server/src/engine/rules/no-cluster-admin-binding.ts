import { docsUrl } from '../registry/docs';
import { EXEMPT_NAMES_OPTION, isExemptName, type ExemptNamesOptions } from './utils/options';
import { describe } from './utils/text';
import { describeRole, isClusterAdminLike, resolveRoleRef, roleRefOf } from './utils/rbac';
import { isJsonObject } from '../types';
import { defineRule } from '../rule';

const RECONCILE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';

function annotationOf(value: unknown, key: string): unknown {
  const metadata = isJsonObject(value) ? value.metadata : undefined;
  const annotations = isJsonObject(metadata) ? metadata.annotations : undefined;
  return isJsonObject(annotations) ? annotations[key] : undefined;
}

/** The default bindings Polaris leaves alone: they are how every cluster works. */
const DEFAULT_BINDINGS = new Set(['cluster-admin', 'system:controller:generic-garbage-collector', 'system:controller:namespace-controller']);

/**
 * Polaris clusterrolebindingClusterAdmin, rolebindingClusterAdminClusterRole, rolebindingClusterAdminRole and
 * kube-linter cluster-admin-role-binding: a binding to cluster-admin, or to a role with an entry that grants
 * every verb on every resource of every group.
 */
export default defineRule<ExemptNamesOptions>({
  meta: {
    id: 'no-cluster-admin-binding',
    category: 'rbac',
    defaultSeverity: 'error',
    target: { kinds: ['RoleBinding', 'ClusterRoleBinding'], scope: 'object' },
    docs: {
      summary: 'No RoleBinding or ClusterRoleBinding grants `cluster-admin` or a role with cluster-admin-like wildcard permissions.',
      rationale: 'cluster-admin can do anything to any object, including reading every Secret and granting itself more; a RoleBinding to it still gives full control of the namespace. Subjects should get a role with the resources and verbs they need (CIS Kubernetes Benchmark 5.1.1). A role counts as cluster-admin-like when one of its rules has `apiGroups: ["*"]`, `resources: ["*"]` and `verbs: ["*"]` (or all of get, list, watch, create, update, patch and delete); roles are looked up in the workspace, including the ClusterRoles an aggregated ClusterRole selects. A `cluster-admin` ClusterRole defined in the files does not change this unless it is annotated `rbac.authorization.kubernetes.io/autoupdate: "false"`: the API server reconciles the built-in role back to every permission. The cluster\'s own default bindings (`cluster-admin`, and the garbage-collector and namespace controllers) are not reported. A binding whose role is not defined in the workspace is not judged here; no-pod-exec-attach reports it. `exemptNames` leaves bindings alone by name (the polaris preset exempts `system:*`).',
      url: docsUrl('no-cluster-admin-binding'),
    },
    messages: {
      pass: '{{kind}} "{{name}}" does not grant cluster-admin.',
      clusterAdmin: '{{binding}} grants the cluster-admin ClusterRole: its subjects can do anything{{scope}}.',
      wildcardRole: '{{binding}} grants {{role}}, whose rule {{number}} allows every verb on every resource of every API group.',
    },
    aliases: {
      kubeLinter: 'cluster-admin-role-binding',
      polaris: ['clusterrolebindingClusterAdmin', 'rolebindingClusterAdminClusterRole', 'rolebindingClusterAdminRole'],
    },
    options: { type: 'object', additionalProperties: false, properties: { exemptNames: EXEMPT_NAMES_OPTION } },
    defaultOptions: { exemptNames: [] },
    crossResource: true,
    checklist: 'security',
  },
  check(ctx) {
    const { kind, name, namespace } = ctx.resource;
    const ref = roleRefOf(ctx.value);
    if (!ref || (kind === 'ClusterRoleBinding' && name !== undefined && DEFAULT_BINDINGS.has(name)) || isExemptName(name, ctx.options.exemptNames)) {
      ctx.notApplicable();
      return;
    }
    const binding = describe({ kind, name });
    // A cluster-admin ClusterRole in the files is the real one unless it opts out of the API server's
    // reconciliation, which otherwise restores every permission at start-up.
    const keptAsWritten = ctx.workspace.resources('ClusterRole').some((r) => r.name === 'cluster-admin' && annotationOf(r.value, RECONCILE_ANNOTATION) === 'false');
    if (ref.kind === 'ClusterRole' && ref.name === 'cluster-admin' && !keptAsWritten) {
      ctx.report({ messageId: 'clusterAdmin', data: { binding, scope: kind === 'RoleBinding' ? ` in namespace "${namespace}"` : ' in the cluster' }, at: '/roleRef' });
      return;
    }
    const resolved = resolveRoleRef(ctx.workspace, kind, namespace, ref, false);
    if (!resolved || resolved.status === 'missing' || (resolved.status === 'builtin' && resolved.rules === undefined)) {
      ctx.notApplicable();
      return;
    }
    if (resolved.status === 'builtin') return;
    const hit = resolved.rules.find((r) => isClusterAdminLike(r.rule));
    if (!hit) return;
    ctx.report({
      messageId: 'wildcardRole', at: '/roleRef',
      data: { binding, role: describeRole(ctx.workspace, ref, resolved, hit.role), number: hit.rule.index + 1 },
    });
  },
});
