import { docsUrl } from '../registry/docs';
import { joinPointer } from '../util/pointer';
import { isJsonObject } from '../types';
import { defineRule } from '../rule';

/** kube-linter privileged-ports: no containerPort below 1024. */
export default defineRule({
  meta: {
    id: 'no-privileged-ports',
    category: 'networking',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container', containers: ['containers', 'initContainers'] },
    docs: {
      summary: 'Containers do not listen on privileged ports (1-1023).',
      rationale: 'Binding a port below 1024 needs root or the NET_BIND_SERVICE capability, so a container that listens on one cannot run with a restricted security context. Listen on a port of 1024 or above and let the Service map it: `port: 80, targetPort: 8080`. Ports 1-1023 are reported, the range Linux reserves (descriptions that say "0-1024" include 1024, which is not privileged, and 0, which is no port).',
      url: docsUrl('no-privileged-ports'),
    },
    messages: {
      pass: 'Container "{{name}}" listens on unprivileged ports.',
      privileged: 'Container "{{name}}" listens on privileged port {{port}}, which needs root or NET_BIND_SERVICE; listen on a port of 1024 or above and map it in the Service.',
    },
    aliases: { kubeLinter: 'privileged-ports' },
    checklist: 'networking',
  },
  check(ctx) {
    const ports = ctx.value.ports;
    if (!Array.isArray(ports)) return;
    ports.forEach((port, i) => {
      const number = isJsonObject(port) ? port.containerPort : undefined;
      if (typeof number !== 'number' || number < 1 || number >= 1024) return;
      ctx.report({ messageId: 'privileged', data: { name: String(ctx.value.name ?? ''), port: number }, at: joinPointer('/ports', i, 'containerPort'), anchor: 'value' });
    });
  },
});
