import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'no-privileged-container',
    category: 'security',
    defaultSeverity: 'error',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Containers do not run privileged.',
      rationale: 'A privileged container has every capability and access to all host devices: escaping to the node is trivial. The Pod Security Standards forbid it at the baseline level.',
      url: docsUrl('no-privileged-container'),
    },
    messages: {
      pass: 'Container "{{name}}" is not privileged.',
      privileged: 'Container "{{name}}" runs privileged (securityContext.privileged: true).',
    },
    aliases: { kubeLinter: 'privileged-container', polaris: 'runAsPrivileged', kubeScore: 'container-security-context-privileged', pss: 'privileged' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    if (ctx.get('/securityContext/privileged') !== true) return;
    ctx.report({
      messageId: 'privileged', data: { name: String(ctx.value.name ?? '') }, at: '/securityContext/privileged', anchor: 'value',
      fix: { title: 'Set privileged to false', patch: [{ op: 'replace', path: '/securityContext/privileged', value: false }] },
    });
  },
});
