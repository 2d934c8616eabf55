import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';
import { podContainers } from './utils/container';
import { containerField, seccompTypeOf } from './utils/security-context';

/**
 * PSS baseline "Seccomp" (`seccompProfile_baseline`): no seccomp profile of type Unconfined, on the pod or on any
 * container (init and ephemeral included). Each one is reported where it is written, once: a pod-level Unconfined is
 * one finding whatever the containers inherit.
 */
export default defineRule({
  meta: {
    id: 'seccomp-not-unconfined',
    category: 'security',
    defaultSeverity: 'error',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Neither the pod nor any container turns seccomp off (`seccompProfile.type: Unconfined`).',
      rationale: 'A seccomp profile filters the system calls a container may make; with Unconfined every system call of the kernel is reachable, including the rarely used ones that most container escapes go through. The Pod Security Standards forbid Unconfined at the baseline level, on the pod and on every container, init and ephemeral containers included. The fix sets RuntimeDefault, the container runtime\'s default profile, which blocks only calls ordinary applications do not make.',
      url: docsUrl('seccomp-not-unconfined'),
    },
    messages: {
      pass: 'Seccomp is not turned off: no Unconfined profile on the pod or its containers.',
      podUnconfined: 'The pod sets seccompProfile.type: Unconfined, so containers without their own profile run without seccomp.',
      containerUnconfined: 'Container "{{name}}" sets seccompProfile.type: Unconfined and runs without seccomp.',
    },
    aliases: { pss: 'seccompProfile_baseline' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    const fix = (path: string) => ({ title: 'Use the RuntimeDefault seccomp profile', patch: [{ op: 'replace' as const, path, value: 'RuntimeDefault' }] });
    if (seccompTypeOf(ctx.value) === 'Unconfined') {
      const at = '/securityContext/seccompProfile/type';
      ctx.report({ messageId: 'podUnconfined', at, fix: fix(at) });
    }
    for (const c of podContainers(ctx.value)) {
      if (seccompTypeOf(c.container) !== 'Unconfined') continue;
      const at = containerField(c, 'seccompProfile', 'type');
      ctx.report({ messageId: 'containerUnconfined', data: { name: c.name }, at, fix: fix(at) });
    }
  },
});
