import { docsUrl } from '../registry/docs';
import { listAt } from './utils/json';
import { removalPath } from './utils/security-context';
import { defineRule } from '../rule';

const ADD = '/securityContext/capabilities/add';

/** pod-security-admission `capabilities_allowed_1_0`: Docker's historical default set. */
const ALLOWED = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP',
  'SETUID', 'SYS_CHROOT',
]);

/**
 * PSS baseline "Capabilities" (`capabilities_baseline`): capabilities.add only from the default set, compared
 * exactly as the admission controller does (so `chown` or `CAP_CHOWN` are rejected; they get their own message and
 * a fix that respells them).
 */
export default defineRule({
  meta: {
    id: 'capabilities-baseline',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Containers add only capabilities of the Pod Security Standards baseline set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT).',
      rationale: 'Capabilities beyond the container runtime\'s historical default set (NET_RAW, SYS_PTRACE, SYS_ADMIN, NET_ADMIN, BPF, ...) widen the kernel attack surface and open known escape paths. The Pod Security Standards reject any other entry of `securityContext.capabilities.add` at the baseline level, in containers, init containers and ephemeral containers. '
        + 'The admission controller compares names exactly: `chown` or `CAP_CHOWN` are rejected even though some runtimes accept them (containerd turns `CAP_CHOWN` into the invalid `CAP_CAP_CHOWN`), so such spellings get their own message and a fix that writes the canonical name. '
        + 'For other entries the fix removes them (and the `add` list, `capabilities` or `securityContext` it leaves empty): check that the process does not need them.',
      url: docsUrl('capabilities-baseline'),
    },
    messages: {
      pass: 'Container "{{name}}" adds only capabilities of the baseline set.',
      notAllowed: 'Container "{{name}}" adds capability "{{capability}}", which the Pod Security Standards baseline does not allow.',
      spelling: 'Container "{{name}}" adds capability "{{capability}}": the Pod Security Standards accept it only spelled "{{canonical}}".',
    },
    aliases: { pss: 'capabilities_baseline' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    const name = String(ctx.value.name ?? '');
    const add = listAt(ctx.value, ADD);
    // Last entry first: "fix all" applies one fix per lint, so removing from the end keeps the other indexes valid.
    for (let i = add.length - 1; i >= 0; i--) {
      const capability = add[i];
      if (typeof capability !== 'string' || ALLOWED.has(capability)) continue;
      const at = `${ADD}/${i}`;
      const canonical = capability.toUpperCase().replace(/^CAP_/, '');
      if (ALLOWED.has(canonical)) {
        ctx.report({
          messageId: 'spelling', data: { name, capability, canonical }, at, anchor: 'value',
          fix: { title: 'Write {{canonical}}', patch: [{ op: 'replace', path: at, value: canonical }] },
        });
        continue;
      }
      ctx.report({
        messageId: 'notAllowed', data: { name, capability }, at, anchor: 'value',
        fix: { title: 'Remove {{capability}} from capabilities.add', patch: [{ op: 'remove', path: removalPath(ctx.value, at) }] },
      });
    }
  },
});
