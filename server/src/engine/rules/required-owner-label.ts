import { docsUrl } from '../registry/docs';
import { joinPointer } from '../util/pointer';
import { isJsonObject } from '../types';
import { defineRule } from '../rule';

interface Options {
  labels: string[];
}

/** kube-linter required-label-owner (template required-label): workloads say who owns them. */
export default defineRule<Options>({
  meta: {
    id: 'required-owner-label',
    category: 'metadata',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'object' },
    docs: {
      summary: 'Workloads carry an owner label (by default `owner`; the `labels` option lists the labels required), with a non-empty value.',
      rationale: 'When a workload misbehaves at 3 a.m., or a cost report shows it, someone has to know whom to call; an owner label on the object answers that with `kubectl get -L owner` and in every dashboard that groups by labels. Teams often require more (`team`, `cost-center`, `app.kubernetes.io/part-of`): list them in `labels`. This is an organisational convention and is opt-in, as in kube-linter: no preset but `all` enables it. There is no automatic fix, since only a human knows the owner.',
      url: docsUrl('required-owner-label'),
    },
    messages: {
      pass: '{{kind}} "{{name}}" carries its owner labels.',
      missing: '{{kind}} "{{name}}" has no "{{label}}" label.',
      empty: '{{kind}} "{{name}}" has an empty "{{label}}" label.',
    },
    aliases: { kubeLinter: 'required-label-owner' },
    options: {
      type: 'object', additionalProperties: false,
      properties: { labels: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Label keys every workload must carry with a non-empty value.' } },
    },
    defaultOptions: { labels: ['owner'] },
    checklist: false,
  },
  check(ctx) {
    const { kind } = ctx.resource;
    const name = ctx.resource.name ?? '';
    const labels = ctx.get('/metadata/labels');
    for (const label of ctx.options.labels ?? []) {
      const value = isJsonObject(labels) ? labels[label] : undefined;
      if (value === undefined) ctx.report({ messageId: 'missing', data: { kind, name, label }, at: isJsonObject(labels) ? '/metadata/labels' : '/metadata', anchor: 'key' });
      else if (value === '') ctx.report({ messageId: 'empty', data: { kind, name, label }, at: joinPointer('/metadata/labels', label), anchor: 'key' });
    }
  },
});
