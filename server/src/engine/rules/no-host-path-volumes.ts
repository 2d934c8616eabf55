import { docsUrl } from '../registry/docs';
import { isJsonObject } from '../types';
import { listAt } from './utils/json';
import { defineRule } from '../rule';

/** PSS baseline "HostPath Volumes" (`hostPathVolumes`): no volume of type hostPath. */
export default defineRule({
  meta: {
    id: 'no-host-path-volumes',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Pods do not mount directories or files of the node (`hostPath` volumes).',
      rationale: 'A hostPath volume gives the pod the node\'s file system: node credentials, other pods\' data, the container runtime socket or, when writable, binaries and configuration that the node runs. It also ties the pod to the node it happens to land on. The Pod Security Standards forbid hostPath volumes at the baseline level. '
        + 'There is no automatic fix: replacing the volume (an emptyDir, a PersistentVolumeClaim, a ConfigMap, a CSI driver) depends on what the workload stores there. Node agents that really need the host (log shippers, CSI node plugins, monitoring) belong in a namespace with a privileged Pod Security level and can waive the rule with a reason.',
      url: docsUrl('no-host-path-volumes'),
    },
    messages: {
      pass: 'Mounts no directory of the node (no hostPath volume).',
      hostPath: 'Volume "{{volume}}" mounts the node\'s path "{{path}}" (hostPath).',
    },
    aliases: { polaris: 'hostPathSet', pss: 'hostPathVolumes', kubeLinter: 'sensitive-host-mounts' },
    checklist: 'security',
  },
  check(ctx) {
    listAt(ctx.value, '/volumes').forEach((volume, i) => {
      if (!isJsonObject(volume) || !isJsonObject(volume.hostPath)) return;
      ctx.report({
        messageId: 'hostPath', at: `/volumes/${i}/hostPath`, anchor: 'key',
        data: { volume: String(volume.name ?? ''), path: String(volume.hostPath.path ?? '') },
      });
    });
  },
});
