import { docsUrl } from '../registry/docs';
import { isJsonObject } from '../types';
import { objectAt } from './utils/json';
import { podContainers } from './utils/container';
import { minorOf, removalPath } from './utils/security-context';
import { defineRule } from '../rule';

const OPTIONS = '/securityContext/seLinuxOptions';

/** pod-security-admission `selinux_allowed_types_1_0`, plus container_engine_t from Kubernetes 1.31. */
function allowedTypes(version: string): string[] {
  const types = ['container_t', 'container_init_t', 'container_kvm_t'];
  return minorOf(version) >= 31 ? [...types, 'container_engine_t'] : types;
}

/**
 * PSS baseline "SELinux" (`seLinuxOptions`): on the pod and on every container, seLinuxOptions.type is empty or one
 * of the container types, and user and role are empty. Each offending value is reported where it is written.
 */
export default defineRule({
  meta: {
    id: 'selinux-options-restricted',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'SELinux options use a container type (container_t, container_init_t, container_kvm_t, container_engine_t) and set no user or role.',
      rationale: 'On SELinux nodes the runtime labels every container with the `container_t` type, which confines it even if it escapes its namespaces. Another type (`spc_t`, `unconfined_t`, a node daemon\'s type) or a custom SELinux user or role lifts that confinement. The Pod Security Standards allow at the baseline level only an empty type or container_t, container_init_t, container_kvm_t, and container_engine_t from Kubernetes 1.31 (the target version decides), and no user or role. '
        + '`seLinuxOptions` exists on the pod (inherited by every container that does not set its own) and on each container; as the admission controller does, kgov checks each of them and reports an offending value where it is written: once for the pod, once per container that sets it. The `level` (MCS categories) is free. '
        + 'The fix removes a `user` or `role` (the runtime\'s defaults apply). A forbidden type has no automatic fix: the workload asked for it, so check why before removing it.',
      url: docsUrl('selinux-options-restricted'),
    },
    messages: {
      pass: 'SELinux options keep the container types and set no user or role.',
      podType: 'The pod sets SELinux type "{{type}}" for its containers; the Pod Security Standards allow only {{allowed}}.',
      containerType: 'Container "{{name}}" sets SELinux type "{{type}}"; the Pod Security Standards allow only {{allowed}}.',
      podUser: 'The pod sets SELinux user "{{user}}" for its containers; the Pod Security Standards forbid setting a user.',
      containerUser: 'Container "{{name}}" sets SELinux user "{{user}}"; the Pod Security Standards forbid setting a user.',
      podRole: 'The pod sets SELinux role "{{role}}" for its containers; the Pod Security Standards forbid setting a role.',
      containerRole: 'Container "{{name}}" sets SELinux role "{{role}}"; the Pod Security Standards forbid setting a role.',
    },
    aliases: { pss: 'seLinuxOptions' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    const pod = ctx.value;
    const types = allowedTypes(ctx.kubernetesVersion);
    const allowed = types.join(', ');
    const inspect = (owner: string, floor: number, who: 'pod' | 'container', name: string) => {
      const options = objectAt(pod, owner + OPTIONS);
      if (!isJsonObject(options)) return;
      const { type, user, role } = options;
      if (typeof type === 'string' && type !== '' && !types.includes(type)) {
        ctx.report({ messageId: `${who}Type`, data: { name, type, allowed }, at: `${owner}${OPTIONS}/type`, anchor: 'value' });
      }
      for (const [field, value] of [['user', user], ['role', role]] as const) {
        if (typeof value !== 'string' || value === '') continue;
        const at = `${owner}${OPTIONS}/${field}`;
        ctx.report({
          messageId: `${who}${field === 'user' ? 'User' : 'Role'}`, data: { name, [field]: value }, at, anchor: 'value',
          fix: { title: `Remove the SELinux ${field}`, patch: [{ op: 'remove', path: removalPath(pod, at, floor) }] },
        });
      }
    };
    inspect('', 1, 'pod', '');
    for (const c of podContainers(pod)) inspect(c.pointer, 3, 'container', c.name);
  },
});
