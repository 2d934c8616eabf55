import { docsUrl } from '../registry/docs';
import { isJsonObject } from '../types';
import { listAt } from './utils/json';
import { defineRule } from '../rule';

/** kube-linter `writable-host-mount`: a container's mount of a hostPath volume must be readOnly: true. */
export default defineRule({
  meta: {
    id: 'no-writable-host-mount',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Containers mount hostPath volumes read-only.',
      rationale: 'A writable mount of a node directory lets the container change files that the node or other pods use: plant binaries or cron jobs, edit kubelet or runtime configuration, fill the node\'s disk. Most agents that need a hostPath only read it (logs, metrics, /proc, /sys). '
        + 'Each mount (in containers, init containers and ephemeral containers) of a volume that `spec.volumes` declares as hostPath is checked; the fix sets `readOnly: true` on the mount. A read-only mount does not protect a Unix socket, which stays connectable: see `no-docker-socket-mount`.',
      url: docsUrl('no-writable-host-mount'),
    },
    messages: {
      pass: 'Container "{{name}}" mounts no hostPath volume writable.',
      writable: 'Container "{{name}}" mounts hostPath volume "{{volume}}" ("{{path}}" on the node) writable at "{{mountPath}}".',
    },
    aliases: { kubeLinter: 'writable-host-mount' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    const hostPaths = new Map<string, string>();
    for (const volume of listAt(ctx.podSpec, '/volumes')) {
      if (isJsonObject(volume) && typeof volume.name === 'string' && isJsonObject(volume.hostPath)) hostPaths.set(volume.name, String(volume.hostPath.path ?? ''));
    }
    if (hostPaths.size === 0) return;
    const name = String(ctx.value.name ?? '');
    listAt(ctx.value, '/volumeMounts').forEach((mount, i) => {
      if (!isJsonObject(mount) || typeof mount.name !== 'string' || mount.readOnly === true) return;
      const path = hostPaths.get(mount.name);
      if (path === undefined) return;
      const readOnly = `/volumeMounts/${i}/readOnly`;
      const data = { name, volume: mount.name, path, mountPath: String(mount.mountPath ?? '') };
      const fix = { title: 'Mount {{volume}} read-only', patch: [{ op: mount.readOnly === undefined ? 'add' as const : 'replace' as const, path: readOnly, value: true }] };
      if (mount.readOnly === undefined) ctx.report({ messageId: 'writable', data, at: `/volumeMounts/${i}/name`, anchor: 'value', fix });
      else ctx.report({ messageId: 'writable', data, at: readOnly, anchor: 'value', fix });
    });
  },
});
