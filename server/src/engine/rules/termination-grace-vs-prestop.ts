import { docsUrl } from '../registry/docs';
import { podContainers } from './utils/container';
import { isInteger } from './utils/json';
import { preStopSeconds } from './utils/rollout';
import { LONG_RUNNING_KINDS } from './utils/workload';
import { defineRule } from '../rule';

/** The API server's default `terminationGracePeriodSeconds`. */
const DEFAULT_GRACE = 30;

/**
 * A pod being replaced gets its preStop hooks, then SIGTERM, and is killed when the grace period runs out: the
 * period covers the hook and the shutdown. 0 kills at once; a period no longer than the hook's sleep kills the
 * container before it ever receives SIGTERM.
 */
export default defineRule({
  meta: {
    id: 'termination-grace-vs-prestop',
    category: 'rollout',
    defaultSeverity: 'warning',
    target: { kinds: LONG_RUNNING_KINDS, scope: 'podSpec' },
    docs: {
      summary: 'Pods get a graceful shutdown: `terminationGracePeriodSeconds` is not 0 and is longer than their `preStop` hooks wait.',
      rationale: 'Every rollout stops old pods. The kubelet runs each container\'s `preStop` hook, then sends SIGTERM, and kills what still runs when `terminationGracePeriodSeconds` (default 30) has passed since the start: the period covers the hook and the shutdown together. '
        + 'With 0 the containers are killed at once, dropping the requests in flight (and a Pod deleted with a zero grace period is removed from the API before its containers have stopped). '
        + 'A period no longer than a preStop hook\'s wait (its `sleep` action, or an exec `sleep N`) kills the container before it has received SIGTERM, so it never shuts down cleanly. '
        + 'Jobs and CronJobs are not checked: they are not rolled out, and a Job is often meant to stop at once when it is deleted. '
        + 'The quick fix removes a zero grace period, back to the default of 30 seconds, when no preStop hook waits that long; a period shorter than a hook needs choosing.',
      url: docsUrl('termination-grace-vs-prestop'),
    },
    messages: {
      pass: 'The pods of {{kind}} "{{name}}" get a graceful shutdown.',
      zero: 'terminationGracePeriodSeconds is 0: the containers are killed at once, dropping requests in flight.',
      shorterThanPreStop: 'The grace period of {{grace}} seconds{{fromDefault}} is not longer than the {{preStop}}-second preStop hook of container "{{container}}": it is killed before it receives SIGTERM.',
    },
    fixable: true,
    checklist: 'rollout & rollback',
  },
  check(ctx) {
    const at = '/terminationGracePeriodSeconds';
    const written = ctx.value.terminationGracePeriodSeconds;
    if (written !== undefined && written !== null && !isInteger(written)) return;
    const grace = isInteger(written) ? written : DEFAULT_GRACE;
    let longest: { container: string; seconds: number } | undefined;
    for (const { container, kind } of podContainers(ctx.value)) {
      if (kind === 'ephemeralContainers') continue;
      const seconds = preStopSeconds(container);
      if (seconds !== undefined && seconds > (longest?.seconds ?? -1)) longest = { container: String(container.name ?? ''), seconds };
    }
    if (grace === 0) {
      ctx.report({
        messageId: 'zero', at,
        ...((longest?.seconds ?? 0) < DEFAULT_GRACE ? { fix: { title: 'Remove terminationGracePeriodSeconds: 0 (the default is 30 seconds)', patch: [{ op: 'remove' as const, path: at }] } } : {}),
      });
      return;
    }
    if (longest && longest.seconds >= grace) {
      ctx.report({
        messageId: 'shorterThanPreStop', at,
        data: { grace, fromDefault: isInteger(written) ? '' : ' (the default)', preStop: longest.seconds, container: longest.container },
      });
    }
  },
});
