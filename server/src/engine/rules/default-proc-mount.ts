import { docsUrl } from '../registry/docs';
import { minorOf } from './utils/security-context';
import { defineRule } from '../rule';

interface Options {
  allowInUserNamespace: boolean;
}

/**
 * PSS "/proc Mount Type" (`procMount`): securityContext.procMount unset or Default. From Kubernetes 1.35 the
 * baseline level accepts any value in a pod with `hostUsers: false`; the restricted level (`procMount_restricted`)
 * does not, hence the option.
 */
export default defineRule<Options>({
  meta: {
    id: 'default-proc-mount',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Containers keep the default masked /proc (`securityContext.procMount` unset or `Default`).',
      rationale: 'The container runtime masks and mounts read-only the parts of /proc that expose the node\'s kernel (/proc/kcore, /proc/sys, /proc/sysrq-trigger, ...). `procMount: Unmasked` removes those masks, which is only meant for nested containers in a user namespace. The Pod Security Standards require the default at the baseline level, in containers, init containers and ephemeral containers. '
        + 'From Kubernetes 1.35 the baseline level accepts any procMount in a pod that runs in a user namespace (`hostUsers: false`), where the unmasked /proc belongs to the pod\'s own namespace; kgov does the same when the target version is 1.35 or later, unless `allowInUserNamespace` is false (the restricted level never allows it). '
        + 'The fix sets `procMount: Default`.',
      url: docsUrl('default-proc-mount'),
    },
    messages: {
      pass: 'Container "{{name}}" keeps the default masked /proc.',
      procMount: 'Container "{{name}}" mounts /proc with procMount {{procMount}} instead of Default.',
    },
    aliases: { kubeLinter: 'unsafe-proc-mount', polaris: 'procMount', pss: ['procMount', 'procMount_restricted'] },
    options: {
      type: 'object',
      properties: {
        allowInUserNamespace: {
          type: 'boolean',
          description: 'From Kubernetes 1.35, accept any procMount in a pod with hostUsers: false, as the baseline level does (false: never, as the restricted level).',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { allowInUserNamespace: true },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    const procMount = ctx.get('/securityContext/procMount');
    if (procMount === undefined || procMount === null || procMount === 'Default') return;
    if (ctx.options.allowInUserNamespace !== false && minorOf(ctx.kubernetesVersion) >= 35 && ctx.podSpec?.hostUsers === false) return;
    ctx.report({
      messageId: 'procMount', data: { name: String(ctx.value.name ?? ''), procMount: String(procMount) }, at: '/securityContext/procMount', anchor: 'value',
      fix: { title: 'Set procMount to Default', patch: [{ op: 'replace', path: '/securityContext/procMount', value: 'Default' }] },
    });
  },
});
