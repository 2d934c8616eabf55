import { docsUrl } from '../registry/docs';
import { plural } from './utils/text';
import { hpaMaxReplicas, isHpa } from './utils/references';
import { defineRule } from '../rule';

interface Options {
  minimum: number;
  unsetMinReplicas: boolean;
}

/** An HPA keeps at least `minimum` replicas when it scales down. */
export default defineRule<Options>({
  meta: {
    id: 'hpa-min-replicas',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: ['HorizontalPodAutoscaler'], scope: 'object' },
    docs: {
      summary: 'A HorizontalPodAutoscaler keeps at least two replicas (configurable) when it scales down.',
      rationale: 'At low load an HPA scales its target down to `minReplicas` (1 when unset). A single remaining pod is a single point of failure: '
        + 'a crash, an eviction or a rollout takes the service down, and a PodDisruptionBudget can then only block node drains. '
        + 'The default minimum is 2, as in Polaris and kube-score; kube-linter asks for 3 (`minimum: 3`). `minReplicas: 0` (scale to zero, behind the HPAScaleToZero feature gate) is read as intended. '
        + 'The fix sets `minReplicas` to the minimum; it is not offered when `maxReplicas` is lower than that, since raising the ceiling is a capacity decision.',
      url: docsUrl('hpa-min-replicas'),
    },
    messages: {
      pass: 'The autoscaler keeps enough replicas when it scales down.',
      missing: 'HorizontalPodAutoscaler "{{name}}" does not set minReplicas, so it may scale down to 1 pod; keep at least {{minimum}}.',
      tooFew: 'HorizontalPodAutoscaler "{{name}}" may scale down to {{minReplicas}}; keep at least {{minimum}}.',
    },
    aliases: { kubeLinter: 'hpa-minimum-three-replicas', polaris: 'hpaMinAvailability', kubeScore: 'horizontalpodautoscaler-replicas' },
    options: {
      type: 'object',
      properties: {
        minimum: { type: 'integer', minimum: 1, description: 'The fewest replicas the HPA may scale down to (kube-linter uses 3).' },
        unsetMinReplicas: { type: 'boolean', description: 'Report an HPA that does not set `minReplicas` (the API server defaults it to 1); false leaves it alone, as Polaris does.' },
      },
      additionalProperties: false,
    },
    defaultOptions: { minimum: 2, unsetMinReplicas: true },
    fixable: true,
    checklist: 'scaling',
  },
  check(ctx) {
    if (!isHpa(ctx.resource)) return;
    const { minimum } = ctx.options;
    const name = ctx.resource.name ?? '';
    const max = hpaMaxReplicas(ctx.value);
    const fixable = max === undefined || max >= minimum;
    const current = ctx.get('/spec/minReplicas');
    if (current === undefined) {
      if (minimum <= 1 || !ctx.options.unsetMinReplicas) return;
      ctx.report({
        messageId: 'missing', data: { name, minimum }, at: '/spec/minReplicas',
        ...(fixable ? { fix: { title: 'Set minReplicas to {{minimum}}', patch: [{ op: 'add', path: '/spec/minReplicas', value: minimum }] } } : {}),
      });
      return;
    }
    if (typeof current !== 'number' || !Number.isInteger(current) || current === 0 || current >= minimum) return;
    ctx.report({
      messageId: 'tooFew', data: { name, minReplicas: plural(current, 'pod'), minimum }, at: '/spec/minReplicas',
      ...(fixable ? { fix: { title: 'Set minReplicas to {{minimum}}', patch: [{ op: 'replace', path: '/spec/minReplicas', value: minimum }] } } : {}),
    });
  },
});
