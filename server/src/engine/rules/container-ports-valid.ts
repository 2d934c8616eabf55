import { docsUrl } from '../registry/docs';
import { joinPointer } from '../util/pointer';
import { isJsonObject } from '../types';
import { defineRule } from '../rule';

/**
 * kube-score container-ports-check: within one pod, named container ports are unique, port names are at most
 * 15 characters, and containerPort is not 0. Containers and init containers (sidecars serve ports too).
 */
export default defineRule({
  meta: {
    id: 'container-ports-valid',
    category: 'networking',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Container port names are unique within the pod and at most 15 characters, and no containerPort is 0.',
      rationale: 'Services and probes refer to container ports by name: when two containers of a pod name a port alike, a Service `targetPort` by that name is ambiguous, and inside one container the API server rejects the duplicate. Port names longer than 15 characters and a containerPort of 0 are rejected too, so the apply fails. There is no fix: renaming a port means updating whatever refers to it.',
      url: docsUrl('container-ports-valid'),
    },
    messages: {
      pass: 'The container ports of the pod are valid.',
      duplicate: 'Container "{{container}}" names a port "{{port}}", a name that container "{{first}}" already gives a port in this pod.',
      tooLong: 'Container "{{container}}" names a port "{{port}}" ({{length}} characters); port names are at most 15 characters.',
      zero: 'Container "{{container}}" declares containerPort 0; a port is 1-65535.',
    },
    aliases: { kubeScore: 'container-ports-check' },
    checklist: 'networking',
  },
  check(ctx) {
    const seen = new Map<string, string>();
    for (const list of ['initContainers', 'containers'] as const) {
      const containers = ctx.value[list];
      if (!Array.isArray(containers)) continue;
      containers.forEach((container, ci) => {
        if (!isJsonObject(container) || !Array.isArray(container.ports)) return;
        const name = String(container.name ?? '');
        container.ports.forEach((port, pi) => {
          if (!isJsonObject(port)) return;
          const at = (field: string) => joinPointer('', list, ci, 'ports', pi, field);
          if (port.containerPort === 0) ctx.report({ messageId: 'zero', data: { container: name }, at: at('containerPort'), anchor: 'value' });
          if (typeof port.name !== 'string') return;
          if (port.name.length > 15) {
            ctx.report({ messageId: 'tooLong', data: { container: name, port: port.name, length: port.name.length }, at: at('name'), anchor: 'value' });
          }
          const first = seen.get(port.name);
          if (first !== undefined) ctx.report({ messageId: 'duplicate', data: { container: name, port: port.name, first }, at: at('name'), anchor: 'value' });
          else seen.set(port.name, name);
        });
      });
    }
  },
});
