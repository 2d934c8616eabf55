import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';
import { listAt } from './utils/json';
import { missingAt } from './utils/container';
import { isWindowsPod, securityContextOf } from './utils/security-context';

/** `NET_RAW`, `net_raw`, `CAP_NET_RAW` -> `NET_RAW` (container runtimes upper-case names and add the CAP_ prefix). */
const normalise = (capability: unknown) => String(capability).toUpperCase().replace(/^CAP_/, '');

/**
 * kube-linter `drop-net-raw-capability`: every container drops NET_RAW (or ALL) and does not add it back (nor ALL).
 * Unlike kube-linter, a container without any `capabilities` fails too: the runtime's default set includes NET_RAW.
 * Windows pods are exempt (Linux capabilities do not exist there, and the API rejects them).
 */
export default defineRule({
  meta: {
    id: 'drop-net-raw',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Containers drop the NET_RAW capability (or ALL) and do not add it back.',
      rationale: 'NET_RAW is in the default capability set of container runtimes. It lets a process craft raw packets: ARP and DNS spoofing of other pods on the node, and sniffing, are a few lines of code away. Very few applications need it (ping does not, with the net.ipv4.ping_group_range sysctl). The rule is satisfied by NET_RAW or ALL in `capabilities.drop` (names compared as container runtimes do: case-insensitive, CAP_ prefix optional) and fails when `capabilities.add` brings NET_RAW or ALL back. Unlike kube-linter, a container that sets no capabilities at all is reported too, since it keeps NET_RAW. The fix appends NET_RAW to the drop list.',
      url: docsUrl('drop-net-raw'),
    },
    messages: {
      pass: 'Container "{{name}}" drops NET_RAW.',
      notDropped: 'Container "{{name}}" keeps NET_RAW: securityContext.capabilities.drop has neither NET_RAW nor ALL.',
      added: 'Container "{{name}}" adds NET_RAW back (capabilities.add: {{capability}}).',
    },
    aliases: { kubeLinter: 'drop-net-raw-capability' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    if (isWindowsPod(ctx.podSpec)) return;
    const name = String(ctx.value.name ?? '');
    const drop = ctx.get('/securityContext/capabilities/drop');
    const dropped = listAt(ctx.value, '/securityContext/capabilities/drop').map(normalise);
    if (!dropped.includes('NET_RAW') && !dropped.includes('ALL')) {
      ctx.report({
        messageId: 'notDropped', data: { name }, at: missingAt(securityContextOf(ctx.value), '/securityContext/capabilities/drop'),
        fix: {
          title: 'Drop NET_RAW',
          patch: [Array.isArray(drop)
            ? { op: 'add', path: '/securityContext/capabilities/drop/-', value: 'NET_RAW' }
            : { op: 'add', path: '/securityContext/capabilities/drop', value: ['NET_RAW'] }],
        },
      });
    }
    listAt(ctx.value, '/securityContext/capabilities/add').forEach((capability, i) => {
      if (normalise(capability) !== 'NET_RAW' && normalise(capability) !== 'ALL') return;
      ctx.report({ messageId: 'added', data: { name, capability: String(capability) }, at: `/securityContext/capabilities/add/${i}` });
    });
  },
});
