import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';

/**
 * Polaris `priorityClassNotSet`, kube-linter `priority-class-name` (which accepts only the names in its list;
 * its default list holds the two system classes, so kgov's default accepts any name instead).
 */
export default defineRule<{ allowed: string[] }>({
  meta: {
    id: 'priority-class-set',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Pods set a `priorityClassName` (from the allowed list when one is configured).',
      rationale: 'Without a priority class every pod gets the cluster\'s default priority (usually 0), so when nodes are full the scheduler cannot tell a payment service from a batch report: it may preempt the wrong pods, and the kubelet evicts them in no useful order under node pressure. Priority classes are cluster policy, so the rule only checks that a class is named, or that it is one of the `allowed` names. The quick fix is offered only when `allowed` names exactly one class.',
      url: docsUrl('priority-class-set'),
    },
    messages: {
      pass: 'The pod sets a priorityClassName.',
      missing: 'The pod sets no priorityClassName: it gets the cluster\'s default priority.',
      notAllowed: 'priorityClassName "{{value}}" is not one of the allowed classes ({{allowed}}).',
    },
    aliases: { polaris: 'priorityClassNotSet', kubeLinter: 'priority-class-name' },
    options: {
      type: 'object',
      properties: {
        allowed: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Priority class names pods may use; empty accepts any name.' },
      },
      additionalProperties: false,
    },
    defaultOptions: { allowed: [] },
    fixable: true,
    checklist: 'availability',
  },
  check(ctx) {
    const { allowed } = ctx.options;
    const value = ctx.value.priorityClassName;
    const only = allowed.length === 1 ? allowed[0] : undefined;
    if (typeof value !== 'string' || value === '') {
      const op = value === undefined ? 'add' : 'replace';
      ctx.report({
        messageId: 'missing', at: '/priorityClassName',
        ...(only ? { fix: { title: `Set priorityClassName: ${only}`, patch: [{ op, path: '/priorityClassName', value: only }] } } : {}),
      });
      return;
    }
    if (allowed.length === 0 || allowed.includes(value)) return;
    ctx.report({
      messageId: 'notAllowed', data: { value, allowed: allowed.join(', ') }, at: '/priorityClassName', anchor: 'value',
      ...(only ? { fix: { title: `Use priorityClassName ${only}`, patch: [{ op: 'replace', path: '/priorityClassName', value: only }] } } : {}),
    });
  },
});
