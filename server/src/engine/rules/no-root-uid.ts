import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';
import { podContainers } from './utils/container';
import { containerField, securityContextOf } from './utils/security-context';

/**
 * PSS restricted "Running as Non-root user" (`runAsUser`): `runAsUser: 0` is reported where it is written, on the pod
 * (even when every container overrides it, as pod-security-admission does) or on a container (init and ephemeral
 * included). An unset runAsUser is not this rule's concern (run-as-non-root covers it).
 */
export default defineRule({
  meta: {
    id: 'no-root-uid',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Neither the pod nor any container sets `runAsUser: 0` (root).',
      rationale: 'runAsUser: 0 runs the container\'s processes as root, whatever the image says: root in a container owns every file of the image and of writable volumes, and is root on the node after an escape. It also defeats runAsNonRoot. The restricted Pod Security Standard forbids runAsUser: 0 on the pod and on every container, init and ephemeral containers included; the pod-level value is reported even when every container overrides it, as the Pod Security Standards do. Choosing a UID depends on the image (file ownership), so there is no automatic fix.',
      url: docsUrl('no-root-uid'),
    },
    messages: {
      pass: 'Nothing in the pod sets runAsUser: 0.',
      podRoot: 'The pod sets runAsUser: 0, so containers without their own runAsUser run as root.',
      containerRoot: 'Container "{{name}}" sets runAsUser: 0 and runs as root.',
    },
    aliases: { pss: 'runAsUser', kubeLinter: 'run-as-non-root' },
    checklist: 'security',
  },
  check(ctx) {
    if (securityContextOf(ctx.value)?.runAsUser === 0) ctx.report({ messageId: 'podRoot', at: '/securityContext/runAsUser' });
    for (const c of podContainers(ctx.value)) {
      if (securityContextOf(c.container)?.runAsUser === 0) ctx.report({ messageId: 'containerRoot', data: { name: c.name }, at: containerField(c, 'runAsUser') });
    }
  },
});
