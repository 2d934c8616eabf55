import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';
import { joinPointer } from '../util/pointer';
import { isJsonObject } from '../types';

/** The volume sources the restricted Pod Security Standard allows (pod-security-admission `restrictedVolumes`). */
const ALLOWED = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'image']);

/**
 * PSS restricted "Volume Types" (`restrictedVolumes`): only the volume types above. A volume with no source at all
 * is an emptyDir (API defaulting) and passes. `image` volumes are allowed, as in pod-security-admission since v1.33.
 */
export default defineRule({
  meta: {
    id: 'restricted-volume-types',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Pod volumes are only of the types the restricted Pod Security Standard allows (configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret).',
      rationale: 'Volume types that name storage directly in the pod (hostPath, nfs, iscsi, rbd, cephfs, the in-tree cloud disks, flexVolume, gitRepo...) let whoever writes a pod reach that storage with the node\'s credentials and kernel drivers, bypassing the PersistentVolume and StorageClass objects that administrators control. The restricted Pod Security Standard therefore allows only ConfigMaps, Secrets, the downward API, emptyDir, projected and image volumes, CSI ephemeral volumes and persistent volume claims. Moving to a claim needs a storage decision, so there is no automatic fix.',
      url: docsUrl('restricted-volume-types'),
    },
    messages: {
      pass: 'Every volume is of a type the restricted Pod Security Standard allows.',
      restricted: 'Volume "{{name}}" uses the {{type}} volume type, which the restricted Pod Security Standard does not allow: use a persistentVolumeClaim (or configMap, secret, emptyDir, projected, csi) instead.',
    },
    aliases: { pss: 'restrictedVolumes' },
    checklist: 'security',
  },
  check(ctx) {
    const volumes = ctx.value.volumes;
    if (!Array.isArray(volumes)) return;
    volumes.forEach((volume, i) => {
      if (!isJsonObject(volume)) return;
      const name = typeof volume.name === 'string' ? volume.name : '';
      for (const [key, source] of Object.entries(volume)) {
        if (key === 'name' || ALLOWED.has(key) || source === undefined) continue;
        ctx.report({ messageId: 'restricted', data: { name, type: key }, at: joinPointer('', 'volumes', i, key), anchor: 'key' });
      }
    });
  },
});
