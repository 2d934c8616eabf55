import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'no-host-ipc',
    category: 'security',
    defaultSeverity: 'error',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Pods do not share the node\'s IPC namespace (`hostIPC`).',
      rationale: 'With hostIPC the pod shares System V shared memory, semaphores and message queues with every process of the node: it can read or corrupt the shared memory of other workloads and of node daemons. The Pod Security Standards forbid it at the baseline level ("Host Namespaces").',
      url: docsUrl('no-host-ipc'),
    },
    messages: {
      pass: 'Uses its own IPC namespace, not the node\'s (hostIPC is off).',
      hostIPC: 'The pod shares the node\'s IPC namespace (hostIPC: true).',
    },
    aliases: { kubeLinter: 'host-ipc', polaris: 'hostIPCSet', pss: 'hostNamespaces' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    if (ctx.value.hostIPC !== true) return;
    ctx.report({ messageId: 'hostIPC', at: '/hostIPC', anchor: 'value', fix: { title: 'Remove hostIPC', patch: [{ op: 'remove', path: '/hostIPC' }] } });
  },
});
