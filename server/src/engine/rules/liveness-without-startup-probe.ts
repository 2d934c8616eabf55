import { docsUrl } from '../registry/docs';
import type { JsonObject } from '../types';
import { LONG_RUNNING_KINDS } from './utils/workload';
import { asObject } from './utils/json';
import { PROBE_HANDLERS, probeTiming } from './utils/rollout';
import { defineRule } from '../rule';

/**
 * A liveness probe that waits long before its first check (to let a slow application start) and no startupProbe:
 * the guess is either too short (a slow start is killed in a loop) or long (a hung container restarts late, on
 * every restart). A startupProbe covers the start with the same handler and lets liveness check from then on.
 */
export default defineRule<{ maxInitialDelaySeconds: number }>({
  meta: {
    id: 'liveness-without-startup-probe',
    category: 'rollout',
    defaultSeverity: 'warning',
    target: { kinds: LONG_RUNNING_KINDS, scope: 'container', containers: ['containers'] },
    docs: {
      summary: 'A container whose liveness probe waits long before its first check uses a `startupProbe` instead.',
      rationale: 'A long `livenessProbe.initialDelaySeconds` is a guess at how long the application takes to start. '
        + 'During a rollout a new version that starts more slowly than the guess is killed and restarted in a loop (CrashLoopBackOff) although nothing is wrong with it, '
        + 'and a container that hangs is only restarted after the full delay, again after every restart. '
        + 'A `startupProbe` checks the start itself: liveness and readiness begin only once it has succeeded, so liveness can check from the first second. '
        + 'The rule fires when the initial delay is longer than `maxInitialDelaySeconds` (default 60) and the container has no startupProbe. '
        + 'The quick fix moves the wait into a startupProbe with the same handler and period, whose failure threshold covers the old delay and the liveness probe\'s own failures, and removes the delay from the liveness probe.',
      url: docsUrl('liveness-without-startup-probe'),
    },
    messages: {
      pass: 'Container "{{name}}" needs no long liveness delay (or has a startupProbe).',
      longDelay: 'Container "{{name}}" delays its livenessProbe by {{delay}} seconds and has no startupProbe: a slow start is killed in a loop, a hang is detected late.',
    },
    options: {
      type: 'object', additionalProperties: false,
      properties: { maxInitialDelaySeconds: { type: 'integer', minimum: 0, description: 'The longest liveness initialDelaySeconds accepted without a startupProbe.' } },
    },
    defaultOptions: { maxInitialDelaySeconds: 60 },
    fixable: true,
    checklist: 'rollout & rollback',
  },
  check(ctx) {
    const liveness = asObject(ctx.value.livenessProbe);
    if (!liveness) {
      ctx.notApplicable();
      return;
    }
    if (ctx.value.startupProbe !== undefined) return;
    const timing = probeTiming(liveness);
    if (!timing || timing.initialDelaySeconds <= (ctx.options.maxInitialDelaySeconds ?? 60)) return;
    const name = String(ctx.value.name ?? '');
    const handler = PROBE_HANDLERS.find((h) => liveness[h] !== undefined);
    const startup: JsonObject = {};
    if (handler) {
      startup[handler] = structuredClone(liveness[handler]) as JsonObject;
      if (liveness.timeoutSeconds !== undefined) startup.timeoutSeconds = liveness.timeoutSeconds;
      startup.periodSeconds = timing.periodSeconds;
      // The container gets at least as long as before: the old delay, plus the failures liveness allowed after it.
      startup.failureThreshold = Math.ceil(timing.initialDelaySeconds / timing.periodSeconds) + timing.failureThreshold;
    }
    ctx.report({
      messageId: 'longDelay', data: { name, delay: timing.initialDelaySeconds }, at: '/livenessProbe/initialDelaySeconds',
      ...(handler ? {
        fix: {
          title: 'Move the start-up wait into a startupProbe',
          patch: [{ op: 'add', path: '/startupProbe', value: startup }, { op: 'remove', path: '/livenessProbe/initialDelaySeconds' }],
        },
      } : {}),
    });
  },
});
