import { docsUrl } from '../registry/docs';
import { asObject, isInteger, listAt } from './utils/json';
import { probeTiming, probeWindow } from './utils/rollout';
import { defineRule } from '../rule';

/** The API server's default `progressDeadlineSeconds`. */
const DEFAULT_DEADLINE = 600;

/**
 * A Deployment whose progress deadline is shorter than the time its pods may take to become ready marks a slow but
 * healthy rollout as failed (`ProgressDeadlineExceeded`: `kubectl rollout status` fails, pipelines roll back).
 * The time a pod may take: per container, the startup probe's window, then the readiness probe's (initial delay +
 * period x failure threshold, kubelet defaults applied), the slowest container, plus `minReadySeconds`.
 */
export default defineRule({
  meta: {
    id: 'progress-deadline-vs-readiness',
    category: 'rollout',
    defaultSeverity: 'warning',
    target: { kinds: ['Deployment'], scope: 'object' },
    docs: {
      summary: 'A Deployment\'s `progressDeadlineSeconds` leaves its pods the time their probes allow to become ready.',
      rationale: 'The Deployment controller marks a rollout as failed (`ProgressDeadlineExceeded`) when no new pod has become available within `progressDeadlineSeconds` (default 600). '
        + 'That is how a bad version is detected: `kubectl rollout status` fails and pipelines and progressive-delivery tools roll back. '
        + 'A deadline shorter than the time a healthy pod may take flags good versions as failed instead. '
        + 'kgov counts, for each container, the startup probe\'s window and then the readiness probe\'s (initial delay + period × failure threshold, with the kubelet\'s defaults 0, 10 and 3), takes the slowest container, and adds `minReadySeconds`; '
        + 'the deadline must be longer than that (image pulls and scheduling come on top). '
        + 'The quick fix removes a written deadline when the default of 600 seconds is long enough; otherwise the deadline needs choosing.',
      url: docsUrl('progress-deadline-vs-readiness'),
    },
    messages: {
      pass: 'Deployment "{{name}}" gives its pods time to become ready before the progress deadline.',
      tooShort: 'progressDeadlineSeconds is {{deadline}}, but a pod of Deployment "{{name}}" may take {{needed}} seconds to become ready ({{why}}): a healthy rollout would be marked as failed.',
      defaultTooShort: 'A pod of Deployment "{{name}}" may take {{needed}} seconds to become ready ({{why}}), longer than the default progressDeadlineSeconds of 600: a healthy rollout would be marked as failed.',
    },
    fixable: true,
    checklist: 'rollout & rollback',
  },
  check(ctx) {
    const at = '/spec/progressDeadlineSeconds';
    const written = ctx.get(at);
    if (written !== undefined && written !== null && !isInteger(written)) return;
    const deadline = isInteger(written) ? written : DEFAULT_DEADLINE;
    const minReady = ctx.get('/spec/minReadySeconds');
    if (minReady !== undefined && !isInteger(minReady)) return;
    let slowest = 0;
    let slowestWhy = '';
    for (const item of listAt(ctx.resource.value, '/spec/template/spec/containers')) {
      const container = asObject(item);
      if (!container) continue;
      const parts: string[] = [];
      let seconds = 0;
      for (const probe of ['startupProbe', 'readinessProbe'] as const) {
        if (container[probe] === undefined) continue;
        const timing = probeTiming(container[probe]);
        if (!timing) return;
        seconds += probeWindow(timing);
        parts.push(`${probe} ${timing.initialDelaySeconds} + ${timing.periodSeconds} × ${timing.failureThreshold}`);
      }
      if (seconds > slowest) {
        slowest = seconds;
        slowestWhy = `container "${String(container.name ?? '')}": ${parts.join(', ')}`;
      }
    }
    const needed = slowest + (isInteger(minReady) ? minReady : 0);
    if (deadline > needed) return;
    const why = [slowestWhy, isInteger(minReady) && minReady > 0 ? `minReadySeconds ${minReady}` : ''].filter(Boolean).join(', ');
    const data = { name: ctx.resource.name ?? '', deadline, needed, why };
    if (!isInteger(written)) {
      ctx.report({ messageId: 'defaultTooShort', data, at });
      return;
    }
    ctx.report({
      messageId: 'tooShort', data, at,
      ...(DEFAULT_DEADLINE > needed ? { fix: { title: 'Remove progressDeadlineSeconds (the default is 600 seconds)', patch: [{ op: 'remove' as const, path: at }] } } : {}),
    });
  },
});
