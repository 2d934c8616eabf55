import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';
import { containersPhrase } from './utils/text';
import { podContainers } from './utils/container';
import { containerField, isWindowsPod, securityContextOf } from './utils/security-context';

interface Options {
  minimum: number;
  requireSet: boolean;
}

const FIELDS = ['runAsUser', 'runAsGroup'] as const;

/**
 * kube-score `container-security-context-user-group-id`: every container runs with a runAsUser and a runAsGroup of
 * at least `minimum` (10000), its own or inherited from the pod. As in kube-score, an ID that is not set anywhere
 * fails too (`requireSet: false` only checks the IDs that are written). Each low value is reported where it is
 * written: a pod-level one once, naming the containers that inherit it (none inheriting: no finding); containers
 * with no ID at all are reported together on the pod's securityContext, once per field. Windows pods are exempt.
 */
export default defineRule<Options>({
  meta: {
    id: 'high-uid-gid',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Containers run with a user ID and a group ID of at least 10000 (runAsUser and runAsGroup, on the pod or each container).',
      rationale: 'Low user and group IDs are the ones the node uses: system accounts and the first human users get IDs below 1000 or 10000. A container process that escapes, or that writes to a hostPath or shared volume, acts as whoever owns that ID on the node. IDs of 10000 and above are unlikely to collide. Like kube-score, the rule also fails when no runAsUser or runAsGroup applies at all, since the image then decides (often root); set `requireSet: false` to check only the IDs that are written. A pod-level value counts for the containers that do not set their own. The right ID depends on the image\'s file ownership, so there is no automatic fix. Windows pods are exempt.',
      url: docsUrl('high-uid-gid'),
    },
    messages: {
      pass: 'Every container runs with a high user and group ID.',
      containerLow: 'Container "{{name}}" sets {{field}}: {{value}}, below {{minimum}}.',
      podLow: 'The pod sets {{field}}: {{value}}, below {{minimum}}, which applies to {{containers}}.',
      unset: 'No {{field}} is set for {{containers}}, on the container or the pod, so the image decides (often root or a low ID).',
    },
    aliases: { kubeScore: 'container-security-context-user-group-id' },
    options: {
      type: 'object',
      properties: {
        minimum: { type: 'integer', minimum: 1, description: 'The lowest acceptable runAsUser and runAsGroup.' },
        requireSet: { type: 'boolean', description: 'Also fail when no runAsUser or runAsGroup applies to a container (kube-score\'s behaviour).' },
      },
      additionalProperties: false,
    },
    defaultOptions: { minimum: 10000, requireSet: true },
    checklist: 'security',
  },
  check(ctx) {
    if (isWindowsPod(ctx.value)) return;
    const { minimum, requireSet } = ctx.options;
    const pod = securityContextOf(ctx.value);
    const containers = podContainers(ctx.value);
    const unsetBy: Record<string, string[]> = {};
    for (const field of FIELDS) {
      const podValue = pod?.[field];
      const inheriting: string[] = [];
      const unset: string[] = [];
      for (const c of containers) {
        const own = securityContextOf(c.container)?.[field];
        if (typeof own === 'number') {
          if (own < minimum) ctx.report({ messageId: 'containerLow', data: { name: c.name, field, value: own, minimum }, at: containerField(c, field) });
        } else if (typeof podValue === 'number') {
          if (podValue < minimum) inheriting.push(c.name);
        } else {
          unset.push(c.name);
        }
      }
      if (inheriting.length > 0) {
        ctx.report({ messageId: 'podLow', data: { field, value: podValue as number, minimum, containers: containersPhrase(inheriting) }, at: `/securityContext/${field}` });
      }
      if (unset.length > 0) unsetBy[field] = unset;
    }
    if (!requireSet) return;
    const users = containersPhrase(unsetBy.runAsUser ?? []);
    const groups = containersPhrase(unsetBy.runAsGroup ?? []);
    // Neither ID set for the same containers: one finding, not two on the same place.
    if (unsetBy.runAsUser && users === groups) {
      ctx.report({ messageId: 'unset', data: { field: 'runAsUser or runAsGroup', containers: users }, at: '/securityContext/runAsUser' });
      return;
    }
    for (const field of FIELDS) {
      const names = unsetBy[field];
      if (names) ctx.report({ messageId: 'unset', data: { field, containers: containersPhrase(names) }, at: `/securityContext/${field}` });
    }
  },
});
