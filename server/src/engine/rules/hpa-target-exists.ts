import { docsUrl } from '../registry/docs';
import { requireDefinedOption } from './utils/options';
import { REPLICATED_KINDS, SCALABLE_GROUPS, UNSCALABLE_KINDS } from './utils/workload';
import { apiGroupOf, isHpa, nameHint, scaleTargetOf } from './utils/references';
import { defineRule } from '../rule';

interface Options {
  requireDefined: boolean;
}

/** Groups that once served the built-in scalable kinds; another group means a custom resource of that kind name. */
const LEGACY_GROUPS = new Set(['', 'apps', 'extensions']);

/**
 * An HPA's scaleTargetRef resolves: a scalable kind in the right API group, and (when the workspace holds resources
 * of that kind, or `requireDefined` is set) a resource of that kind and name in the HPA's namespace.
 */
export default defineRule<Options>({
  meta: {
    id: 'hpa-target-exists',
    category: 'reliability',
    defaultSeverity: 'error',
    target: { kinds: ['HorizontalPodAutoscaler'], scope: 'object' },
    docs: {
      summary: 'A HorizontalPodAutoscaler\'s `scaleTargetRef` names a workload that exists and can be scaled.',
      rationale: 'An HPA whose target does not resolve scales nothing: it reports `FailedGetScale` events while the workload runs at whatever replica count it was given, '
        + 'usually after a rename of the Deployment or a copy-pasted HPA. kgov looks for the named kind and name in the HPA\'s namespace among the resources of the workspace. '
        + 'Noise control: that lookup only happens when the workspace holds at least one resource of the target\'s kind, so a repository whose workloads are deployed from elsewhere gets no findings; '
        + 'set `requireDefined: true` to require every target to be in the workspace. '
        + 'Independently of the workspace, kgov reports a `scaleTargetRef` without `apiVersion` for Deployments, StatefulSets and ReplicaSets (the controller then looks in the core API group and fails) '
        + 'or with a retired group such as `extensions/v1beta1` (fix: `apps/v1`), and a target kind without a scale subresource (DaemonSet, Job, CronJob, Pod).',
      url: docsUrl('hpa-target-exists'),
    },
    messages: {
      pass: 'The autoscaler\'s target exists and can be scaled.',
      notFound: 'No {{kind}} named "{{name}}" in namespace "{{namespace}}"{{hint}}; HorizontalPodAutoscaler "{{hpa}}" scales nothing.',
      missingApiVersion: 'scaleTargetRef sets no apiVersion, so the HPA controller looks for {{kind}} in the core API group and fails (FailedGetScale); {{kind}} is served as {{expected}}.',
      wrongApiVersion: 'scaleTargetRef.apiVersion "{{apiVersion}}" does not serve {{kind}}, so the HPA controller fails to find its target (FailedGetScale); use {{expected}}.',
      notScalable: '{{kind}} has no scale subresource, so HorizontalPodAutoscaler "{{hpa}}" cannot scale it.',
    },
    aliases: { kubeLinter: 'dangling-horizontalpodautoscaler', kubeScore: 'horizontalpodautoscaler-has-target' },
    options: {
      type: 'object',
      properties: {
        requireDefined: requireDefinedOption('Report targets missing from the workspace even when it holds no resource of their kind.'),
      },
      additionalProperties: false,
    },
    defaultOptions: { requireDefined: false },
    fixable: true,
    crossResource: true,
    checklist: 'scaling',
  },
  check(ctx) {
    if (!isHpa(ctx.resource)) return;
    const ref = scaleTargetOf(ctx.value);
    if (!ref) return;
    const hpa = ctx.resource.name ?? '';
    const group = apiGroupOf(ref.apiVersion);
    const legacy = group === undefined || LEGACY_GROUPS.has(group);
    if (UNSCALABLE_KINDS.includes(ref.kind) && legacy) {
      ctx.report({ messageId: 'notScalable', data: { kind: ref.kind, hpa }, at: '/spec/scaleTargetRef/kind' });
      return;
    }
    const expectedGroup = SCALABLE_GROUPS[ref.kind];
    if (expectedGroup !== undefined && legacy && group !== expectedGroup && !(group === undefined && expectedGroup === '')) {
      const expected = expectedGroup === '' ? 'v1' : `${expectedGroup}/v1`;
      if (ref.apiVersion === undefined) {
        ctx.report({
          messageId: 'missingApiVersion', data: { kind: ref.kind, expected }, at: '/spec/scaleTargetRef',
          fix: { title: 'Set apiVersion: {{expected}}', patch: [{ op: 'add', path: '/spec/scaleTargetRef/apiVersion', value: expected }] },
        });
      } else {
        ctx.report({
          messageId: 'wrongApiVersion', data: { kind: ref.kind, apiVersion: ref.apiVersion, expected }, at: '/spec/scaleTargetRef/apiVersion',
          fix: { title: 'Set apiVersion: {{expected}}', patch: [{ op: 'replace', path: '/spec/scaleTargetRef/apiVersion', value: expected }] },
        });
      }
    }

    if (!ctx.options.requireDefined && !ctx.workspace.manages(ref.kind)) return;
    const { namespace } = ctx.resource;
    // A built-in kind is found whatever group the reference spells (that is reported above); a custom kind in its own group.
    const found = ctx.workspace.resources(ref.kind).some((r) => r.name === ref.name && ctx.workspace.namespaceOf(r) === namespace
      && (legacy ? expectedGroup === undefined || apiGroupOf(r.apiVersion) === expectedGroup : apiGroupOf(r.apiVersion) === group));
    if (found) return;
    ctx.report({
      messageId: 'notFound', at: '/spec/scaleTargetRef/name',
      data: { kind: ref.kind, name: ref.name, namespace, hpa, hint: nameHint(ctx.workspace, ref.kind, namespace, ref.name, REPLICATED_KINDS) },
    });
  },
});
