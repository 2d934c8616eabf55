import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';
import { listAt } from './utils/json';
import { podContainers } from './utils/container';
import { containerField, securityContextOf } from './utils/security-context';

/**
 * No root group (GID 0): `runAsGroup`, `fsGroup`, `supplementalGroups` of the pod and `runAsGroup` of every container
 * (init and ephemeral included), each reported where it is written. This was the optional "Non-root groups" control
 * of the first Pod Security Standards revision; pod-security-admission does not enforce it.
 */
export default defineRule({
  meta: {
    id: 'no-root-group',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Neither the pod nor any container uses the root group (GID 0) in runAsGroup, fsGroup or supplementalGroups.',
      rationale: 'Group 0 is root\'s group: files that images and the node leave group-owned by root and group-writable (much of /etc and many runtime directories) become writable by the container\'s processes, and an fsGroup of 0 makes every file of mounted volumes root-group owned. Even a non-root user in group 0 is one misconfigured permission away from root\'s files. Each runAsGroup, fsGroup or supplementalGroups entry of 0 is reported where it is written. This was an optional control of the first revision of the Pod Security Standards and kube-linter reports it under run-as-non-root; which group to use depends on the image, so there is no automatic fix.',
      url: docsUrl('no-root-group'),
    },
    messages: {
      pass: 'Nothing in the pod uses the root group (GID 0).',
      podRunAsGroup: 'The pod sets runAsGroup: 0, so containers without their own runAsGroup run in the root group.',
      containerRunAsGroup: 'Container "{{name}}" sets runAsGroup: 0 and runs in the root group.',
      fsGroup: 'The pod sets fsGroup: 0, so its volumes are owned by the root group.',
      supplementalGroups: 'The pod adds the root group (0) to supplementalGroups.',
    },
    aliases: { kubeLinter: 'run-as-non-root' },
    checklist: 'security',
  },
  check(ctx) {
    const pod = securityContextOf(ctx.value);
    if (pod?.runAsGroup === 0) ctx.report({ messageId: 'podRunAsGroup', at: '/securityContext/runAsGroup' });
    if (pod?.fsGroup === 0) ctx.report({ messageId: 'fsGroup', at: '/securityContext/fsGroup' });
    listAt(ctx.value, '/securityContext/supplementalGroups').forEach((group, i) => {
      if (group === 0) ctx.report({ messageId: 'supplementalGroups', at: `/securityContext/supplementalGroups/${i}` });
    });
    for (const c of podContainers(ctx.value)) {
      if (securityContextOf(c.container)?.runAsGroup === 0) ctx.report({ messageId: 'containerRunAsGroup', data: { name: c.name }, at: containerField(c, 'runAsGroup') });
    }
  },
});
