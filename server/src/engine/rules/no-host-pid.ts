import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'no-host-pid',
    category: 'security',
    defaultSeverity: 'error',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Pods do not share the node\'s process ID namespace (`hostPID`).',
      rationale: 'With hostPID the pod sees every process of the node: it can read their environment and command lines (often holding credentials), signal them, and with ptrace or a privileged container inject code into them. The Pod Security Standards forbid it at the baseline level ("Host Namespaces").',
      url: docsUrl('no-host-pid'),
    },
    messages: {
      pass: 'Uses its own process namespace, not the node\'s (hostPID is off).',
      hostPID: 'The pod shares the node\'s process ID namespace (hostPID: true).',
    },
    aliases: { kubeLinter: 'host-pid', polaris: 'hostPIDSet', pss: 'hostNamespaces' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    if (ctx.value.hostPID !== true) return;
    ctx.report({ messageId: 'hostPID', at: '/hostPID', anchor: 'value', fix: { title: 'Remove hostPID', patch: [{ op: 'remove', path: '/hostPID' }] } });
  },
});
