import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';
import { listAt } from './utils/json';
import { missingAt } from './utils/container';
import { isWindowsPod, securityContextOf } from './utils/security-context';

/**
 * PSS restricted "Capabilities" (`capabilities_restricted`): every container (init and ephemeral included) drops
 * ALL and adds nothing but NET_BIND_SERVICE. Names are compared exactly, as pod-security-admission does ("ALL",
 * not "all"). Windows pods are exempt (pod-security-admission since v1.25; the API rejects capabilities on them).
 */
/** The capabilities container runtimes grant by default: dropping each of them is as good as dropping ALL. */
const RUNTIME_DEFAULT_CAPABILITIES = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_ADMIN', 'NET_BIND_SERVICE', 'NET_RAW', 'SETFCAP', 'SETGID',
  'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

export default defineRule<{ equivalentDrops: boolean }>({
  meta: {
    id: 'drop-all-capabilities',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Containers drop ALL Linux capabilities and add back at most NET_BIND_SERVICE.',
      rationale: 'Container runtimes grant a default set of capabilities (CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID, NET_RAW, MKNOD and more) that most applications never use and that an attacker in the container can: NET_RAW alone allows spoofing and sniffing on the pod network. The restricted Pod Security Standard requires `capabilities.drop` to contain ALL on every container, init and ephemeral containers included, and allows adding back only NET_BIND_SERVICE (binding ports below 1024). The fix adds ALL to the drop list; an added capability is reported on its entry and left to you, since removing it may break the application. Windows pods are exempt.',
      url: docsUrl('drop-all-capabilities'),
    },
    messages: {
      pass: 'Container "{{name}}" drops ALL capabilities.',
      missingDropAll: 'Container "{{name}}" does not drop ALL capabilities (securityContext.capabilities.drop).',
      forbiddenAdd: 'Container "{{name}}" adds capability {{capability}}; the restricted Pod Security Standard allows adding only NET_BIND_SERVICE.',
    },
    aliases: { pss: 'capabilities_restricted', polaris: 'insecureCapabilities' },
    options: {
      type: 'object', additionalProperties: false,
      properties: { equivalentDrops: { type: 'boolean', description: 'Accept `all` in any case, or a drop list naming every capability container runtimes grant by default, as dropping ALL (Polaris insecureCapabilities); the Pod Security Standards require `ALL` as written.' } },
    },
    defaultOptions: { equivalentDrops: false },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    if (isWindowsPod(ctx.podSpec)) return;
    const name = String(ctx.value.name ?? '');
    const drop = ctx.get('/securityContext/capabilities/drop');
    const dropped = listAt(ctx.value, '/securityContext/capabilities/drop');
    const upper = dropped.map((c) => (typeof c === 'string' ? c.toUpperCase() : c));
    const equivalent = ctx.options.equivalentDrops && (upper.includes('ALL') || RUNTIME_DEFAULT_CAPABILITIES.every((c) => upper.includes(c)));
    if (!dropped.includes('ALL') && !equivalent) {
      // `all` is not ALL for the Pod Security Standards: spell it as they do rather than adding a second entry.
      const misspelt = dropped.findIndex((c) => typeof c === 'string' && c.toUpperCase() === 'ALL');
      const path = '/securityContext/capabilities/drop';
      ctx.report({
        messageId: 'missingDropAll', data: { name }, at: misspelt >= 0 ? `${path}/${misspelt}` : missingAt(securityContextOf(ctx.value), path),
        fix: {
          title: 'Drop ALL capabilities',
          patch: [misspelt >= 0 ? { op: 'replace', path: `${path}/${misspelt}`, value: 'ALL' }
            : Array.isArray(drop) ? { op: 'add', path: `${path}/-`, value: 'ALL' }
              : { op: 'add', path, value: ['ALL'] }],
        },
      });
    }
    listAt(ctx.value, '/securityContext/capabilities/add').forEach((capability, i) => {
      if (capability === 'NET_BIND_SERVICE') return;
      ctx.report({ messageId: 'forbiddenAdd', data: { name, capability: String(capability) }, at: `/securityContext/capabilities/add/${i}` });
    });
  },
});
