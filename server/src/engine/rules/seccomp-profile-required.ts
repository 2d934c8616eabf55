import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';
import { containersPhrase } from './utils/text';
import { podContainers } from './utils/container';
import { CONFINING_PROFILES, containerField, isWindowsPod, seccompTypeOf } from './utils/security-context';

/**
 * PSS restricted "Seccomp" (`seccompProfile_restricted`): every container (init and ephemeral included) runs under
 * RuntimeDefault or Localhost, set on the container or inherited from the pod; an Unconfined profile fails wherever
 * it is written (on the pod even when every container overrides it, as pod-security-admission does).
 *
 * The rule checks the pod spec, not each container: containers that lack a profile are reported together, once per
 * pod, because one pod-level `seccompProfile` solves them all (and is what the fix adds). Windows pods
 * (`spec.os.name: windows`) are exempt, as in pod-security-admission since v1.25.
 */
export default defineRule({
  meta: {
    id: 'seccomp-profile-required',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Every container runs under a seccomp profile (RuntimeDefault or Localhost), set on the pod or on each container.',
      rationale: 'Without a seccomp profile a container may make any system call the kernel offers; most kernel exploits used for container escapes go through calls that ordinary applications never make, and the RuntimeDefault profile blocks them. Kubernetes only applies a profile when the manifest asks for one (unless the kubelet\'s SeccompDefault is on), so the Pod Security Standards require it at the restricted level: on the pod, which covers every container that does not set its own, or on every container, init and ephemeral containers included. Containers without a profile are reported once per pod, on its securityContext, because one pod-level setting fixes them all; the fix adds `seccompProfile.type: RuntimeDefault` there, which keeps any container\'s own Localhost profile. An Unconfined profile is reported where it is written (like the Pod Security Standards, even on a pod whose containers all override it) and replaced by RuntimeDefault. Windows pods are exempt, as in the Pod Security Standards since Kubernetes 1.25.',
      url: docsUrl('seccomp-profile-required'),
    },
    messages: {
      pass: 'Every container runs under a seccomp profile (RuntimeDefault or Localhost).',
      missing: 'No seccomp profile applies to {{containers}}: set securityContext.seccompProfile.type to RuntimeDefault or Localhost on the pod or on each container.',
      podUnconfined: 'The pod sets seccompProfile.type: Unconfined; the restricted Pod Security Standard requires RuntimeDefault or Localhost.',
      containerUnconfined: 'Container "{{name}}" sets seccompProfile.type: Unconfined; the restricted Pod Security Standard requires RuntimeDefault or Localhost.',
    },
    aliases: { pss: 'seccompProfile_restricted', kubeScore: 'container-seccomp-profile' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    if (isWindowsPod(ctx.value)) return;
    const runtimeDefault = (path: string, op: 'add' | 'replace') => ({
      title: 'Use the RuntimeDefault seccomp profile', patch: [{ op, path, value: 'RuntimeDefault', base: 'podSpec' as const }],
    });
    const podType = seccompTypeOf(ctx.value);
    const podPath = '/securityContext/seccompProfile/type';
    if (podType !== undefined && !CONFINING_PROFILES.has(podType)) {
      ctx.report({ messageId: 'podUnconfined', base: 'podSpec', at: podPath, fix: runtimeDefault(podPath, 'replace') });
    }
    const uncovered: string[] = [];
    for (const c of podContainers(ctx.value)) {
      const own = seccompTypeOf(c.container);
      if (own === undefined) {
        if (podType === undefined) uncovered.push(c.name);
        continue;
      }
      if (CONFINING_PROFILES.has(own)) continue;
      const at = containerField(c, 'seccompProfile', 'type');
      ctx.report({ messageId: 'containerUnconfined', data: { name: c.name }, base: 'podSpec', at, fix: runtimeDefault(at, 'replace') });
    }
    if (uncovered.length > 0) {
      ctx.report({
        messageId: 'missing', data: { containers: containersPhrase(uncovered) }, base: 'podSpec', at: '/securityContext/seccompProfile',
        fix: runtimeDefault(podPath, 'add'),
      });
    }
  },
});
