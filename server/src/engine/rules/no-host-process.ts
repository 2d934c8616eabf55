import { docsUrl } from '../registry/docs';
import { valueAt } from '../util/pointer';
import { podContainers } from './utils/container';
import { removalPath } from './utils/security-context';
import { defineRule } from '../rule';

const FIELD = '/securityContext/windowsOptions/hostProcess';

/**
 * PSS baseline "HostProcess" (`windowsHostProcess`): windowsOptions.hostProcess must be unset or false on the pod
 * and on every container (init and ephemeral included). Each `true` is reported where it is written.
 */
export default defineRule({
  meta: {
    id: 'no-host-process',
    category: 'security',
    defaultSeverity: 'error',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Pods and containers do not run as Windows HostProcess containers (`windowsOptions.hostProcess`).',
      rationale: 'A Windows HostProcess container runs directly on the node, in the host\'s network and process namespaces, with the privileges of its node user: it is the Windows equivalent of a privileged container and can take over the node. The Pod Security Standards forbid it at the baseline level. '
        + 'The setting exists on the pod (`spec.securityContext.windowsOptions.hostProcess`, inherited by every container that does not set its own) and on each container; like the admission controller, kgov rejects a `true` wherever it is written and reports it there: once for the pod-level value, and once per container that sets it itself. '
        + 'The fix removes the setting (and the `windowsOptions` / `securityContext` mapping it leaves empty).',
      url: docsUrl('no-host-process'),
    },
    messages: {
      pass: 'No container runs as a Windows HostProcess container.',
      pod: 'The pod runs its containers as Windows HostProcess containers (securityContext.windowsOptions.hostProcess: true).',
      container: 'Container "{{name}}" runs as a Windows HostProcess container (securityContext.windowsOptions.hostProcess: true).',
    },
    aliases: { polaris: 'hostProcess', pss: 'windowsHostProcess' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    const pod = ctx.value;
    const fix = (path: string) => ({ title: 'Remove hostProcess', patch: [{ op: 'remove' as const, path }] });
    if (valueAt(pod, FIELD) === true) {
      ctx.report({ messageId: 'pod', at: FIELD, anchor: 'value', fix: fix(removalPath(pod, FIELD)) });
    }
    for (const c of podContainers(pod)) {
      const at = c.pointer + FIELD;
      if (valueAt(pod, at) !== true) continue;
      ctx.report({ messageId: 'container', data: { name: c.name }, at, anchor: 'value', fix: fix(removalPath(pod, at, 3)) });
    }
  },
});
