import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';
import { listAt, objectAt } from './utils/json';
import { CONFINING_PROFILES, isWindowsPod, seccompTypeOf, securityContextOf } from './utils/security-context';
import { podAnnotations } from './utils/workload';

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/** The AppArmor profile type a pod spec or container writes in the appArmorProfile field. */
function appArmorTypeOf(value: Parameters<typeof securityContextOf>[0]): string | undefined {
  const type = objectAt(securityContextOf(value), '/appArmorProfile')?.type;
  return typeof type === 'string' ? type : undefined;
}

/**
 * Polaris `linuxHardening`: each container (init and ephemeral included) is confined by at least one Linux security
 * mechanism: a RuntimeDefault or Localhost seccomp profile, a RuntimeDefault or Localhost AppArmor profile (the
 * field, or the legacy `container.apparmor.security.beta.kubernetes.io/<container>` annotation with `runtime/default`
 * or `localhost/...`), SELinux options, or a non-empty `capabilities.drop`. Pod-level seccomp, AppArmor and SELinux
 * settings count for the containers that do not set their own. Windows pods are exempt.
 */
export default defineRule({
  meta: {
    id: 'linux-hardening',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Each container is confined by at least one Linux hardening mechanism: seccomp, AppArmor, SELinux options or dropped capabilities.',
      rationale: 'Seccomp, AppArmor and SELinux restrict what a process may do in the kernel, and dropping capabilities takes away root\'s special powers; a container with none of them depends entirely on the kernel\'s namespaces to contain a compromise. This is Polaris\'s linuxHardening check: any one of the mechanisms is enough, set on the container or, for seccomp, AppArmor and SELinux, on the pod (a container setting wins). AppArmor counts as a RuntimeDefault or Localhost profile in the appArmorProfile field or the legacy annotation. The fix sets the pod\'s seccomp profile to RuntimeDefault when neither the pod nor the container chose one; stricter rules (seccomp-profile-required, drop-all-capabilities) ask for more. Windows pods are exempt.',
      url: docsUrl('linux-hardening'),
    },
    messages: {
      pass: 'Container "{{name}}" is confined by seccomp, AppArmor, SELinux or dropped capabilities.',
      unconfined: 'Container "{{name}}" has no Linux hardening: no seccomp or AppArmor profile and no SELinux options apply to it, and it drops no capabilities.',
    },
    aliases: { polaris: 'linuxHardening' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    if (isWindowsPod(ctx.podSpec)) return;
    const name = String(ctx.value.name ?? '');
    const seccomp = seccompTypeOf(ctx.value) ?? seccompTypeOf(ctx.podSpec);
    if (seccomp !== undefined && CONFINING_PROFILES.has(seccomp)) return;
    const annotation = podAnnotations(ctx)[APPARMOR_ANNOTATION + name];
    const appArmor = appArmorTypeOf(ctx.value) ?? appArmorTypeOf(ctx.podSpec);
    if (appArmor !== undefined ? CONFINING_PROFILES.has(appArmor) : typeof annotation === 'string' && (annotation === 'runtime/default' || annotation.startsWith('localhost/'))) return;
    const seLinux = objectAt(securityContextOf(ctx.value), '/seLinuxOptions') ?? objectAt(securityContextOf(ctx.podSpec), '/seLinuxOptions');
    if (seLinux && Object.keys(seLinux).length > 0) return;
    // Adding ALL back undoes any drop list.
    const addsAll = listAt(ctx.value, '/securityContext/capabilities/add').some((c) => typeof c === 'string' && c.toUpperCase() === 'ALL');
    if (listAt(ctx.value, '/securityContext/capabilities/drop').length > 0 && !addsAll) return;
    const canFix = seccompTypeOf(ctx.value) === undefined && seccompTypeOf(ctx.podSpec) === undefined;
    ctx.report({
      messageId: 'unconfined', data: { name },
      ...(canFix ? { fix: { title: 'Use the RuntimeDefault seccomp profile for the pod', patch: [{ op: 'add' as const, path: '/securityContext/seccompProfile/type', value: 'RuntimeDefault', base: 'podSpec' as const }] } } : {}),
    });
  },
});
