import { docsUrl } from '../registry/docs';
import { isJsonObject } from '../types';
import { listAt } from './utils/json';
import { defineRule } from '../rule';

interface Options {
  sockets: string[];
}

/** `//a/b/` -> `/a/b`, and `/var/run` (a symlink to `/run` on current distributions) -> `/run`. */
function normalise(path: string): string {
  let out = path.replace(/\/+/g, '/');
  if (out.length > 1) out = out.replace(/\/$/, '');
  return out === '/var/run' || out.startsWith('/var/run/') ? out.slice('/var'.length) : out;
}

export default defineRule<Options>({
  meta: {
    id: 'no-docker-socket-mount',
    category: 'security',
    defaultSeverity: 'error',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Pods do not mount the container runtime\'s socket (docker.sock, containerd.sock, crio.sock, ...) from the node.',
      rationale: 'Whoever can talk to the container runtime\'s API can start a privileged container on the node, read every container\'s file system and environment, and so owns the node and every secret on it. A `readOnly` mount does not help: a Unix socket on a read-only mount can still be connected to. '
        + 'The rule checks hostPath volumes against the sockets of Docker, cri-dockerd, containerd (including k3s\'s), CRI-O and Podman, after removing duplicate and trailing slashes and treating `/var/run` as `/run`; a volume that mounts a directory holding one of them (such as `/run` or `/var/run/containerd`) is reported too. The finding points at the volume\'s `path`. '
        + 'There is no automatic fix: removing the volume breaks what the workload mounted it for (building images, node monitoring). Prefer a rootless image builder or the kubelet\'s and runtime\'s metrics endpoints, or waive the rule with a reason for a trusted node agent.',
      url: docsUrl('no-docker-socket-mount'),
    },
    messages: {
      pass: 'Mounts no container runtime socket.',
      socket: 'Volume "{{volume}}" mounts the container runtime socket "{{path}}" of the node.',
      directory: 'Volume "{{volume}}" mounts the node\'s directory "{{path}}", which holds the container runtime socket "{{socket}}".',
    },
    aliases: { kubeLinter: 'docker-sock' },
    options: {
      type: 'object',
      properties: {
        sockets: {
          type: 'array',
          items: { type: 'string', pattern: '^/' },
          description: 'Absolute paths of the runtime sockets to look for (`/var/run/...` and `/run/...` are the same).',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: {
      sockets: [
        '/var/run/docker.sock', '/var/run/cri-dockerd.sock', '/run/containerd/containerd.sock', '/run/k3s/containerd/containerd.sock',
        '/var/run/crio/crio.sock', '/run/podman/podman.sock',
      ],
    },
    checklist: 'security',
  },
  check(ctx) {
    const sockets = (ctx.options.sockets ?? []).map(normalise);
    listAt(ctx.value, '/volumes').forEach((volume, i) => {
      if (!isJsonObject(volume) || !isJsonObject(volume.hostPath) || typeof volume.hostPath.path !== 'string') return;
      const path = volume.hostPath.path;
      const normal = normalise(path);
      const at = `/volumes/${i}/hostPath/path`;
      const data = { volume: String(volume.name ?? ''), path };
      if (sockets.includes(normal)) {
        ctx.report({ messageId: 'socket', data, at, anchor: 'value' });
        return;
      }
      const socket = normal === '/' ? undefined : sockets.find((s) => s.startsWith(`${normal}/`));
      if (socket) ctx.report({ messageId: 'directory', data: { ...data, socket }, at, anchor: 'value' });
    });
  },
});
