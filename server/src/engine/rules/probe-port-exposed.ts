import { docsUrl } from '../registry/docs';
import { closest } from '../util/suggest';
import type { PatchOp } from '../types';
import { asObject } from './utils/json';
import { declaredPorts } from './utils/workload';
import { defineRule } from '../rule';

type NumericPorts = 'ignore' | 'whenPortsDeclared' | 'always';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HANDLERS = ['httpGet', 'tcpSocket', 'grpc'] as const;

/**
 * kube-linter `liveness-port`, `readiness-port`, `startup-port`: a probe's port must be one the container
 * declares. A port name must exist (the kubelet cannot resolve it otherwise, and the probe fails forever); a
 * number is checked only when the container declares ports at all (option `numericPorts`), because `ports` is
 * informational and many containers declare none. kube-linter checks numbers always.
 */
export default defineRule<{ numericPorts: NumericPorts }>({
  meta: {
    id: 'probe-port-exposed',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container', containers: ['containers'] },
    docs: {
      summary: 'Liveness, readiness and startup probes target a port the container declares.',
      rationale: 'A probe that names a port the container does not declare can never succeed: the kubelet cannot resolve the name, the readiness probe keeps the pod out of its Services forever and the liveness probe restarts it in a loop. A numeric port missing from a non-empty `ports` list is usually a port that was changed in one place only. The quick fix replaces an unknown port name by the declared name it is closest to, or by the only TCP port the container declares.',
      url: docsUrl('probe-port-exposed'),
    },
    messages: {
      pass: 'The probes of container "{{name}}" target ports it declares.',
      unknownName: 'The {{probe}} of container "{{name}}" targets port "{{port}}", which the container does not declare: the probe cannot succeed.',
      undeclaredNumber: 'The {{probe}} of container "{{name}}" targets port {{port}}, which is not among the container\'s declared ports ({{declared}}).',
      notTcp: 'The {{probe}} of container "{{name}}" targets port {{port}}, which the container declares for {{protocol}}, not TCP.',
    },
    aliases: { kubeLinter: ['liveness-port', 'readiness-port', 'startup-port'] },
    options: {
      type: 'object',
      properties: {
        numericPorts: {
          enum: ['ignore', 'whenPortsDeclared', 'always'], type: 'string',
          description: 'When a numeric probe port must be declared: never, when the container declares any port (default), or always (as kube-linter).',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { numericPorts: 'whenPortsDeclared' },
    fixable: true,
    checklist: 'health probes',
  },
  check(ctx) {
    const name = String(ctx.value.name ?? '');
    const ports = declaredPorts(ctx.value);
    const tcp = ports.filter((p) => p.protocol === 'TCP');
    for (const probe of PROBES) {
      for (const handler of HANDLERS) {
        const port = asObject(asObject(ctx.value[probe])?.[handler])?.port;
        if (port === undefined) continue;
        const at = `/${probe}/${handler}/port`;
        const same = (p: (typeof ports)[number]) => (typeof port === 'string' ? p.name === port : p.containerPort === port);
        // The same number may be declared for TCP and UDP (53): a TCP declaration wins.
        const declared = tcp.find(same) ?? ports.find(same);
        if (declared && declared.protocol !== 'TCP') {
          ctx.report({ messageId: 'notTcp', data: { name, probe, port: String(port), protocol: declared.protocol }, at, anchor: 'value' });
        } else if (declared) {
          continue;
        } else if (typeof port === 'string') {
          const names = tcp.flatMap((p) => (p.name ? [p.name] : []));
          const near = closest(port, names);
          const only = tcp.length === 1 ? tcp[0] : undefined;
          const replacement = near ?? only?.name ?? only?.containerPort;
          const fix = replacement === undefined ? undefined : {
            title: `Target port ${typeof replacement === 'string' ? `"${replacement}"` : replacement}`,
            patch: [{ op: 'replace', path: at, value: replacement } satisfies PatchOp],
          };
          ctx.report({ messageId: 'unknownName', data: { name, probe, port }, at, anchor: 'value', ...(fix ? { fix } : {}) });
        } else if (typeof port === 'number') {
          const mode = ctx.options.numericPorts;
          if (mode === 'ignore' || (mode === 'whenPortsDeclared' && ports.length === 0)) continue;
          const list = ports.map((p) => (p.name ? `${p.name}=${p.containerPort}` : String(p.containerPort))).join(', ') || 'none';
          ctx.report({ messageId: 'undeclaredNumber', data: { name, probe, port, declared: list }, at, anchor: 'value' });
        }
      }
    }
  },
});
