import { docsUrl } from '../registry/docs';
import { valueAt } from '../util/pointer';
import { defineRule } from '../rule';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HOOKS = ['postStart', 'preStop'] as const;
const HANDLERS = ['httpGet', 'tcpSocket'] as const;

/**
 * PSS baseline "Host Probes / Lifecycle Hooks" (`hostProbesAndHostLifecycle`, Kubernetes 1.34+): httpGet.host and
 * tcpSocket.host of probes and lifecycle hooks must be unset or empty. As a lint rule it applies to every version.
 */
export default defineRule({
  meta: {
    id: 'no-probe-host-override',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Probes and lifecycle hooks target the pod itself, not another host (`httpGet.host` / `tcpSocket.host` unset).',
      rationale: 'The kubelet sends HTTP and TCP probes and lifecycle hooks from the node, to the pod\'s IP unless `host` says otherwise. With `host` set, anyone who can create a pod can make the kubelet connect to any address the node reaches: node-local services, the cloud metadata endpoint, other tenants (a server-side request forgery through the kubelet). The Pod Security Standards forbid it at the baseline level since Kubernetes 1.34; kgov checks it for every target version. '
        + 'The fix removes `host`. To send an HTTP `Host` header, use `httpGet.httpHeaders` instead; a hostNetwork pod that listens only on 127.0.0.1 must also listen on the node\'s address.',
      url: docsUrl('no-probe-host-override'),
    },
    messages: {
      pass: 'Container "{{name}}" probes and hooks its own pod.',
      probe: 'Container "{{name}}" sends its {{probe}} to host "{{host}}" ({{field}}) instead of its own pod.',
      lifecycle: 'Container "{{name}}" sends its {{hook}} hook to host "{{host}}" ({{field}}) instead of its own pod.',
    },
    aliases: { pss: 'hostProbesAndHostLifecycle' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    const name = String(ctx.value.name ?? '');
    const check = (messageId: 'probe' | 'lifecycle', pointer: string, field: string, extra: Record<string, string>) => {
      const host = valueAt(ctx.value, pointer);
      if (host === undefined || host === null || host === '') return;
      ctx.report({
        messageId, data: { name, host: String(host), field, ...extra }, at: pointer, anchor: 'value',
        fix: { title: 'Remove {{field}}', patch: [{ op: 'remove', path: pointer }] },
      });
    };
    for (const probe of PROBES) {
      for (const handler of HANDLERS) check('probe', `/${probe}/${handler}/host`, `${probe}.${handler}.host`, { probe });
    }
    for (const hook of HOOKS) {
      for (const handler of HANDLERS) check('lifecycle', `/lifecycle/${hook}/${handler}/host`, `lifecycle.${hook}.${handler}.host`, { hook });
    }
  },
});
