import { docsUrl } from '../registry/docs';
import { checkBinding, type Permission } from './utils/rbac';
import { defineRule } from '../rule';

/** Reading Secrets; entries limited to named Secrets (resourceNames) are least privilege already. */
const READ_SECRETS: Permission = { targets: [['', 'secrets']], verbs: ['get', 'list', 'watch'], ignoreNamed: true };

/** kube-linter access-to-secrets (CIS 5.1.2): bindings whose role lets the subjects read Secrets. */
export default defineRule({
  meta: {
    id: 'limit-secret-access',
    category: 'rbac',
    defaultSeverity: 'warning',
    target: { kinds: ['RoleBinding', 'ClusterRoleBinding'], scope: 'object' },
    docs: {
      summary: 'Bindings do not let their subjects get, list or watch Secrets.',
      rationale: 'Secrets hold credentials, and ServiceAccount tokens in Secrets are credentials for other identities: whoever can read them can usually escalate (CIS Kubernetes Benchmark 5.1.2). `list` and `watch` return the content of every Secret too, not only names. Keep read access to the few subjects that need it, ideally limited with `resourceNames` to the Secrets they use (such entries are not reported). The binding\'s role is looked up in the workspace (with the ClusterRoles an aggregated ClusterRole selects) and among the built-in ClusterRoles (`admin` and `edit` can read Secrets); bindings to `cluster-admin` are left to no-cluster-admin-binding. A binding whose role is not defined in the workspace is not judged here; no-pod-exec-attach reports it.',
      url: docsUrl('limit-secret-access'),
    },
    messages: {
      pass: '{{kind}} "{{name}}" does not grant read access to Secrets.',
      grants: '{{binding}} grants {{role}}, which allows {{grant}}: its subjects can read Secrets.',
    },
    aliases: { kubeLinter: 'access-to-secrets' },
    crossResource: true,
    checklist: 'security',
  },
  check(ctx) {
    checkBinding(ctx, READ_SECRETS, 'grants');
  },
});
