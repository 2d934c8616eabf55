import { docsUrl } from '../registry/docs';
import type { WorkspaceView } from '../workspace';
import { isJsonObject, type JsonObject } from '../types';
import { asList, asObject, objectAt } from './utils/json';
import { prose } from './utils/text';
import { defineRule } from '../rule';

type ConfigKind = 'ConfigMap' | 'Secret';

interface ConfigReference {
  kind: ConfigKind;
  name: string;
  /** Relative to the resource. */
  pointer: string;
}

/** The alphabet of kustomize's name-suffix hash (hex with 0, 1, 3, a and e replaced so that it reads as no word). */
const KUSTOMIZE_HASH_SUFFIX = /-[2456789bcdfghkmt]{10}$/;

/** Workload annotations of controllers that restart pods when their config changes (Stakater Reloader, Wave). */
const RELOADER_ANNOTATIONS = [
  'reloader.stakater.com/auto', 'reloader.stakater.com/search', 'configmap.reloader.stakater.com/reload', 'secret.reloader.stakater.com/reload',
  'wave.pusher.com/update-on-config-change',
];

/** A pod template annotation that carries a checksum of the config (Helm's `checksum/config`, `config-hash`, ...). */
function isChecksumAnnotation(key: string): boolean {
  return /checksum|hash/i.test(key);
}

/** The ConfigMaps and Secrets a pod spec reads by name: volumes (projected too), env and envFrom. */
function references(podSpec: JsonObject, base: string): ConfigReference[] {
  const out: ConfigReference[] = [];
  const add = (kind: ConfigKind, name: unknown, pointer: string): void => {
    if (typeof name === 'string' && name !== '') out.push({ kind, name, pointer: `${base}${pointer}` });
  };
  // Containers first: they come before volumes in nearly every manifest, and the finding goes on the first reference.
  for (const list of ['initContainers', 'containers'] as const) {
    for (const [i, item] of asList(podSpec[list]).entries()) {
      const container = asObject(item);
      if (!container) continue;
      for (const [j, from] of asList(container.envFrom).entries()) {
        add('ConfigMap', objectAt(from, '/configMapRef')?.name, `/${list}/${i}/envFrom/${j}/configMapRef/name`);
        add('Secret', objectAt(from, '/secretRef')?.name, `/${list}/${i}/envFrom/${j}/secretRef/name`);
      }
      for (const [j, env] of asList(container.env).entries()) {
        add('ConfigMap', objectAt(env, '/valueFrom/configMapKeyRef')?.name, `/${list}/${i}/env/${j}/valueFrom/configMapKeyRef/name`);
        add('Secret', objectAt(env, '/valueFrom/secretKeyRef')?.name, `/${list}/${i}/env/${j}/valueFrom/secretKeyRef/name`);
      }
    }
  }
  for (const [i, item] of asList(podSpec.volumes).entries()) {
    const volume = asObject(item);
    if (!volume) continue;
    add('ConfigMap', asObject(volume.configMap)?.name, `/volumes/${i}/configMap/name`);
    add('Secret', asObject(volume.secret)?.secretName, `/volumes/${i}/secret/secretName`);
    for (const [j, source] of asList(asObject(volume.projected)?.sources).entries()) {
      add('ConfigMap', objectAt(source, '/configMap')?.name, `/volumes/${i}/projected/sources/${j}/configMap/name`);
      add('Secret', objectAt(source, '/secret')?.name, `/volumes/${i}/projected/sources/${j}/secret/name`);
    }
  }
  return out;
}

/** A kustomization of the workspace generates this name and appends its content hash to it. */
function generatedWithHash(workspace: WorkspaceView, kind: ConfigKind, name: string): boolean {
  const generator = kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator';
  return workspace.resources().some((r) => {
    if (!r.kustomization) return false;
    const everywhere = objectAt(r.value, '/generatorOptions')?.disableNameSuffixHash === true;
    return asList(r.value[generator]).some((g) => isJsonObject(g) && g.name === name && (objectAt(g, '/options')?.disableNameSuffixHash ?? everywhere) !== true);
  });
}

/**
 * Info, strict: a Deployment, StatefulSet or DaemonSet that reads a ConfigMap or Secret by a fixed name is not rolled
 * out when only that object changes, so the new config reaches pods at random (restarts, scaling), never with the
 * rollout's checks. Not reported when the name changes with the content (kustomize's hash suffix), when the object
 * is immutable, or when a checksum annotation or a reloader controller ties the config to the pods.
 */
export default defineRule({
  meta: {
    id: 'config-change-rollout',
    category: 'rollout',
    defaultSeverity: 'info',
    target: { kinds: ['Deployment', 'StatefulSet', 'DaemonSet'], scope: 'object' },
    docs: {
      summary: 'A change of the ConfigMaps and Secrets a workload reads rolls the workload out.',
      rationale: 'A Deployment, StatefulSet or DaemonSet rolls out when its pod template changes, not when a ConfigMap or Secret it reads by name does. '
        + 'Changing only the config then reaches the pods at random: environment variables on the next restart, mounted files a minute later without the application noticing, '
        + 'never through the rollout that would stop a bad config, and rolling back the workload does not bring the old config back. '
        + 'The rule passes when each referenced name changes with its content (a kustomize `configMapGenerator`/`secretGenerator` of the workspace with the hash suffix on, or a name that already ends in such a suffix), '
        + 'when the object in the workspace is `immutable: true` (a change needs a new name), when the pod template carries a checksum annotation (Helm\'s `checksum/config`, any key containing "checksum" or "hash"), '
        + 'or when the workload asks Stakater Reloader or Wave to restart it. It is information, in the strict preset: some applications reload their mounted files themselves.',
      url: docsUrl('config-change-rollout'),
    },
    messages: {
      pass: '{{kind}} "{{name}}" rolls out when its config changes.',
      fixedName: '{{kind}} "{{name}}" reads {{objects}} by a fixed name: changing only the config rolls nothing out (use a kustomize generator, immutable objects or a checksum annotation).',
    },
    crossResource: true,
    checklist: 'rollout & rollback',
  },
  check(ctx) {
    const podSpec = objectAt(ctx.resource.value, '/spec/template/spec');
    if (!podSpec) return;
    const found = references(podSpec, '/spec/template/spec');
    if (found.length === 0) {
      ctx.notApplicable();
      return;
    }
    const annotations = Object.keys(objectAt(ctx.resource.value, '/metadata/annotations') ?? {});
    if (annotations.some((a) => RELOADER_ANNOTATIONS.includes(a))) return;
    if (Object.keys(objectAt(ctx.resource.value, '/spec/template/metadata/annotations') ?? {}).some(isChecksumAnnotation)) return;
    const namespace = ctx.resource.namespace;
    const fixed = found.filter((ref) => {
      if (KUSTOMIZE_HASH_SUFFIX.test(ref.name) || generatedWithHash(ctx.workspace, ref.kind, ref.name)) return false;
      return ctx.workspace.find(ref.kind, namespace, ref.name)?.value.immutable !== true;
    });
    const [first] = fixed;
    if (!first) return;
    const objects = [...new Set(fixed.map((r) => `${r.kind} "${r.name}"`))];
    ctx.report({ messageId: 'fixedName', at: first.pointer, anchor: 'value', data: { kind: ctx.resource.kind, name: ctx.resource.name ?? '', objects: prose(objects, 'and') } });
  },
});
