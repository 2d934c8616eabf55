import { docsUrl } from '../registry/docs';
import { joinPointer, valueAt } from '../util/pointer';
import { objectAt } from './utils/json';
import { podContainers } from './utils/container';
import { podMetadataPointer } from './utils/workload';
import { defineRule } from '../rule';

const FIELD = '/securityContext/appArmorProfile/type';
const PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** pod-security-admission `allowedProfile`: empty, runtime/default or localhost/<profile>. */
const allowedAnnotation = (value: string) => value === '' || value === 'runtime/default' || value.startsWith('localhost/');

/**
 * PSS baseline "AppArmor" (`appArmorProfile`): the appArmorProfile field (pod and containers) must not be
 * Unconfined, and the legacy per-container annotations on the pod (template) metadata must be runtime/default or
 * localhost/<profile>. Each offending value is reported where it is written.
 */
export default defineRule({
  meta: {
    id: 'apparmor-not-unconfined',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Pods and containers do not turn AppArmor off (`appArmorProfile.type: Unconfined` or the legacy `unconfined` annotation).',
      rationale: 'On nodes with AppArmor the container runtime confines every container with its default profile, which blocks writes to /proc and /sys, mounts and other escape paths. An Unconfined profile removes that layer. The Pod Security Standards forbid it at the baseline level. '
        + 'Both ways of writing it are checked: the `securityContext.appArmorProfile` field (Kubernetes 1.30+) and the older annotations `container.apparmor.security.beta.kubernetes.io/<container>` on the pod or pod template metadata, whose only allowed values are `runtime/default` and `localhost/<profile>`. '
        + 'The field exists on the pod (inherited by every container that does not set its own) and on each container; as the admission controller does, kgov rejects an Unconfined value wherever it is written and reports it there: once for the pod-level value, once per container that sets it, once per annotation. '
        + 'The fix switches to the runtime\'s default profile (`RuntimeDefault`, or `runtime/default` in the annotation); if the workload really needs more, write a Localhost profile for it.',
      url: docsUrl('apparmor-not-unconfined'),
    },
    messages: {
      pass: 'No AppArmor profile is Unconfined.',
      pod: 'The pod turns AppArmor off for its containers (securityContext.appArmorProfile.type: Unconfined).',
      container: 'Container "{{name}}" turns AppArmor off (securityContext.appArmorProfile.type: Unconfined).',
      annotation: 'The annotation {{annotation}} turns AppArmor off for container "{{name}}".',
      annotationInvalid: 'The annotation {{annotation}} sets AppArmor profile "{{value}}"; the Pod Security Standards accept only runtime/default or localhost/<profile>.',
    },
    aliases: { pss: 'appArmorProfile' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    const pod = ctx.value;
    const fieldFix = (path: string) => ({ title: 'Use the RuntimeDefault AppArmor profile', patch: [{ op: 'replace' as const, path, value: 'RuntimeDefault' }] });
    if (valueAt(pod, FIELD) === 'Unconfined') ctx.report({ messageId: 'pod', at: FIELD, anchor: 'value', fix: fieldFix(FIELD) });
    for (const c of podContainers(pod)) {
      const at = c.pointer + FIELD;
      if (valueAt(pod, at) === 'Unconfined') ctx.report({ messageId: 'container', data: { name: c.name }, at, anchor: 'value', fix: fieldFix(at) });
    }
    const metadata = podMetadataPointer(ctx.podSpecPointer ?? '', ctx.resource.pointer);
    const annotations = objectAt(ctx.resource.value, `${metadata}/annotations`) ?? {};
    for (const [annotation, value] of Object.entries(annotations)) {
      if (!annotation.startsWith(PREFIX) || typeof value !== 'string' || allowedAnnotation(value)) continue;
      const at = joinPointer(`${metadata}/annotations`, annotation);
      const data = { annotation, name: annotation.slice(PREFIX.length), value };
      if (value === 'unconfined') {
        ctx.report({
          messageId: 'annotation', data, base: 'resource', at, anchor: 'value',
          fix: { title: 'Use the runtime/default AppArmor profile', patch: [{ op: 'replace', base: 'resource', path: at, value: 'runtime/default' }] },
        });
      } else {
        ctx.report({ messageId: 'annotationInvalid', data, base: 'resource', at, anchor: 'value' });
      }
    }
  },
});
