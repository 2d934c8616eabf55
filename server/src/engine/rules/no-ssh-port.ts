import { docsUrl } from '../registry/docs';
import { joinPointer } from '../util/pointer';
import { isJsonObject } from '../types';
import { defineRule } from '../rule';

/** kube-linter ssh-port: no container exposes TCP port 22. */
export default defineRule({
  meta: {
    id: 'no-ssh-port',
    category: 'networking',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container', containers: ['containers', 'initContainers'] },
    docs: {
      summary: 'Containers do not expose port 22 (SSH).',
      rationale: 'A container that exposes port 22 usually runs an SSH server: another long-lived process with its own credentials, a way in that bypasses the Kubernetes API, its RBAC and its audit log. Use `kubectl exec`, `kubectl debug` or ephemeral containers instead. Only TCP ports (the default protocol) are reported.',
      url: docsUrl('no-ssh-port'),
    },
    messages: {
      pass: 'Container "{{name}}" does not expose port 22.',
      ssh: 'Container "{{name}}" exposes port 22 (SSH); use kubectl exec or kubectl debug instead of an SSH server.',
    },
    aliases: { kubeLinter: 'ssh-port' },
    checklist: 'networking',
  },
  check(ctx) {
    const ports = ctx.value.ports;
    if (!Array.isArray(ports)) return;
    ports.forEach((port, i) => {
      if (!isJsonObject(port) || port.containerPort !== 22 || (port.protocol ?? 'TCP') !== 'TCP') return;
      ctx.report({ messageId: 'ssh', data: { name: String(ctx.value.name ?? '') }, at: joinPointer('/ports', i, 'containerPort'), anchor: 'value' });
    });
  },
});
