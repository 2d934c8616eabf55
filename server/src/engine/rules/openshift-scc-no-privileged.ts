import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';

/** kube-linter `scc-deny-privileged-container`: OpenShift SecurityContextConstraints do not allow privileged containers. */
export default defineRule({
  meta: {
    id: 'openshift-scc-no-privileged',
    category: 'security',
    defaultSeverity: 'error',
    target: { kinds: ['security.openshift.io/SecurityContextConstraints'], scope: 'object' },
    docs: {
      summary: 'OpenShift SecurityContextConstraints do not allow privileged containers (`allowPrivilegedContainer: false`).',
      rationale: 'On OpenShift, SecurityContextConstraints decide what the pods of the users and service accounts they are granted to may do. With allowPrivilegedContainer every one of those pods may run privileged containers, which have all capabilities and every device of the node: escaping to the node is trivial. Keep privileged access in the built-in `privileged` SCC, granted to as few service accounts as possible, rather than in custom constraints. Only resources of the security.openshift.io API group are checked.',
      url: docsUrl('openshift-scc-no-privileged'),
    },
    messages: {
      pass: 'The SecurityContextConstraints object does not allow privileged containers.',
      privileged: 'SecurityContextConstraints "{{name}}" allows privileged containers (allowPrivilegedContainer: true).',
    },
    aliases: { kubeLinter: 'scc-deny-privileged-container' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    if (ctx.value.allowPrivilegedContainer !== true) return;
    const path = '/allowPrivilegedContainer';
    ctx.report({
      messageId: 'privileged', data: { name: ctx.resource.name ?? '' }, at: path,
      fix: { title: 'Set allowPrivilegedContainer to false', patch: [{ op: 'replace', path, value: false }] },
    });
  },
});
