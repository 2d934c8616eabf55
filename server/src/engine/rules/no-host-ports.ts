import { docsUrl } from '../registry/docs';
import { isJsonObject, type PatchOp } from '../types';
import { listAt } from './utils/json';
import { defineRule } from '../rule';

/** PSS baseline "Host Ports" (`hostPorts`): ports[*].hostPort unset or 0, in every kind of container. */
export default defineRule({
  meta: {
    id: 'no-host-ports',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Containers do not bind ports of the node (`ports[].hostPort`).',
      rationale: 'A hostPort opens the port on the node\'s own address, outside the Service and NetworkPolicy model: it exposes the container to everything that can reach the node, can shadow node services, and limits the workload to one pod per node and port. The Pod Security Standards forbid it at the baseline level (only `hostPort: 0` or unset is allowed). '
        + 'Use a Service (NodePort or LoadBalancer when the port must be reachable from outside). The fix removes `hostPort`, and `hostIP`, which only applies to it.',
      url: docsUrl('no-host-ports'),
    },
    messages: {
      pass: 'Container "{{name}}" binds no port of the node.',
      hostPort: 'Container "{{name}}" binds port {{hostPort}} of the node (hostPort) for container port {{containerPort}}.',
    },
    aliases: { polaris: 'hostPortSet', pss: 'hostPorts' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    const name = String(ctx.value.name ?? '');
    listAt(ctx.value, '/ports').forEach((port, i) => {
      if (!isJsonObject(port) || port.hostPort === undefined || port.hostPort === null || port.hostPort === 0) return;
      const patch: PatchOp[] = [{ op: 'remove', path: `/ports/${i}/hostPort` }];
      if (port.hostIP !== undefined && port.hostIP !== null) patch.push({ op: 'remove', path: `/ports/${i}/hostIP` });
      ctx.report({
        messageId: 'hostPort', data: { name, hostPort: String(port.hostPort), containerPort: String(port.containerPort ?? '') },
        at: `/ports/${i}/hostPort`, anchor: 'value', fix: { title: 'Remove hostPort {{hostPort}}', patch },
      });
    });
  },
});
