import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';

/**
 * PSS "Running as Non-root": runAsNonRoot must be true for every container, set on the container or inherited
 * from the pod's securityContext (a container setting wins over the pod's).
 */
export default defineRule({
  meta: {
    id: 'run-as-non-root',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Containers must run as a non-root user (`runAsNonRoot: true` on the pod or every container).',
      rationale: 'A process running as root in a container is root on the node if it escapes, and can modify anything the image or mounted volumes contain. With runAsNonRoot the kubelet refuses to start a container whose image would run as UID 0.',
      url: docsUrl('run-as-non-root'),
    },
    messages: {
      pass: 'Container "{{name}}" must run as non-root.',
      missing: 'Container "{{name}}" may run as root: runAsNonRoot is not set on the container or the pod.',
      containerFalse: 'Container "{{name}}" sets runAsNonRoot: false.',
      podFalse: 'The pod sets runAsNonRoot: false and container "{{name}}" does not override it.',
    },
    aliases: { kubeLinter: 'run-as-non-root', polaris: 'runAsRootAllowed', pss: 'runAsNonRoot' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    const name = String(ctx.value.name ?? '');
    const own = ctx.get('/securityContext/runAsNonRoot');
    if (own === true) return;
    const fix = (op: 'add' | 'replace') => ({
      title: 'Set runAsNonRoot: true on the container',
      patch: [{ op, path: '/securityContext/runAsNonRoot', value: true, comment: 'kgov: the image must run as a non-root user' }],
    });
    if (own === false) {
      ctx.report({ messageId: 'containerFalse', data: { name }, at: '/securityContext/runAsNonRoot', anchor: 'value', fix: fix('replace') });
      return;
    }
    const pod = ctx.podSpec?.securityContext;
    const inherited = typeof pod === 'object' && pod !== null && !Array.isArray(pod) ? pod.runAsNonRoot : undefined;
    if (inherited === true) return;
    if (inherited === false) {
      ctx.report({ messageId: 'podFalse', data: { name }, base: 'podSpec', at: '/securityContext/runAsNonRoot', anchor: 'value', fix: fix('add') });
      return;
    }
    ctx.report({ messageId: 'missing', data: { name }, fix: fix('add') });
  },
});
