import { docsUrl } from '../registry/docs';
import { checkBinding, type Permission } from './utils/rbac';
import { defineRule } from '../rule';

/** Creating pods, directly or through a controller that creates them from a template. */
const CREATE_PODS: Permission = {
  targets: [
    ['', 'pods'], ['', 'replicationcontrollers'],
    ['apps', 'deployments'], ['apps', 'replicasets'], ['apps', 'statefulsets'], ['apps', 'daemonsets'],
    ['batch', 'jobs'], ['batch', 'cronjobs'],
  ],
  verbs: ['create'],
  // A create request carries no name yet, so an entry limited by resourceNames allows no create at all.
  ignoreNamed: true,
};

/** kube-linter access-to-create-pods (CIS 5.1.4): bindings whose role lets the subjects create pods. */
export default defineRule({
  meta: {
    id: 'limit-pod-create',
    category: 'rbac',
    defaultSeverity: 'warning',
    target: { kinds: ['RoleBinding', 'ClusterRoleBinding'], scope: 'object' },
    docs: {
      summary: 'Bindings do not let their subjects create pods, directly or through workload controllers.',
      rationale: 'Whoever can create a pod can run it with any ServiceAccount of the namespace, mount any Secret or ConfigMap there and, unless admission stops it, run it privileged on a node: pod creation is a path to privilege escalation (CIS Kubernetes Benchmark 5.1.4). Creating a Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController, Job or CronJob creates pods too. Keep it to deployment pipelines and operators. The binding\'s role is looked up in the workspace (with the ClusterRoles an aggregated ClusterRole selects) and among the built-in ClusterRoles (`admin` and `edit` can create pods); bindings to `cluster-admin` are left to no-cluster-admin-binding. A binding whose role is not defined in the workspace is not judged here; no-pod-exec-attach reports it.',
      url: docsUrl('limit-pod-create'),
    },
    messages: {
      pass: '{{kind}} "{{name}}" does not grant pod creation.',
      grants: '{{binding}} grants {{role}}, which allows {{grant}}: its subjects can create pods.',
    },
    aliases: { kubeLinter: 'access-to-create-pods' },
    crossResource: true,
    checklist: 'security',
  },
  check(ctx) {
    checkBinding(ctx, CREATE_PODS, 'grants');
  },
});
