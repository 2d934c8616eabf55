/**
 * Live items of the rollout checklist, for a workload of the file that exists in the cluster: does the
 * cluster run the images the file names, are the desired replicas ready, how did the latest rollout end,
 * and did the live object drift from the file on the fields the file sets. They are marked `live` and do not
 * count towards the score (which rates the manifest; the cluster's state changes without the file changing).
 */
import { type Anchor, type ChecklistGroup, type ChecklistItem, containersOf, dottedPath, isJsonObject, joinPointer, type JsonObject, parseQuantity, podSpecOf, type Range } from '../engine';

export const LIVE_IMAGE = 'cluster/live-image';
export const LIVE_REPLICAS = 'cluster/live-replicas';
export const LIVE_ROLLOUT = 'cluster/live-rollout';
export const LIVE_DRIFT = 'cluster/live-drift';

export interface LiveItem {
  group: ChecklistGroup;
  item: ChecklistItem;
}

export interface LiveInput {
  kind: string;
  /** The resource as the file says it. */
  value: JsonObject;
  /** The object as the cluster serves it (raw JSON). */
  live: JsonObject;
  context: string;
  uri: string;
  /** Range of a pointer (relative to the resource) in the file. */
  rangeOf: (pointer: string, anchor: Anchor) => Range;
}

/** How many drifted fields a message lists before "and N more". */
const DRIFT_LISTED = 3;

export function liveItems(input: LiveInput): LiveItem[] {
  const out: LiveItem[] = [];
  const item = (group: ChecklistGroup, ruleId: string, pass: boolean, message: string, pointer: string, anchor: Anchor = 'value') =>
    out.push({ group, item: { ruleId, status: pass ? 'pass' : 'fail', severity: 'warning', message, uri: input.uri, range: input.rangeOf(pointer, anchor), live: true } });
  const on = `in the cluster (context "${input.context}")`;

  const images = imageDifferences(input);
  if (images.checked > 0) {
    const first = images.differences[0];
    if (!first) item('images', LIVE_IMAGE, true, `The cluster runs the images the file names (${images.checked} container${images.checked === 1 ? '' : 's'}).`, '', 'name');
    else {
      const text = images.differences.map((d) => `container "${d.name}" runs ${d.live}, the file says ${d.file}`).join('; ');
      item('images', LIVE_IMAGE, false, `Deployed image differs ${on}: ${text}.`, first.pointer);
    }
  }

  const replicas = replicaState(input.kind, input.live);
  if (replicas) {
    const at = input.value.spec && isJsonObject(input.value.spec) && 'replicas' in input.value.spec ? '/spec/replicas' : '';
    item('availability', LIVE_REPLICAS, replicas.ready >= replicas.desired,
      `${replicas.ready} of ${replicas.desired} ${replicas.noun} ready ${on}${replicas.detail ? ` (${replicas.detail})` : ''}.`, at, at ? 'value' : 'name');
  }

  const rollout = rolloutState(input.kind, input.live);
  if (rollout) item('availability', LIVE_ROLLOUT, rollout.ok, `${rollout.message} ${on}.`, '', 'name');

  const drift = driftOf(input.value, input.live);
  if (drift.compared > 0) {
    const first = drift.fields[0];
    if (!first) item('availability', LIVE_DRIFT, true, `No drift ${on}: ${drift.compared === 1 ? 'the one field the file sets matches' : `the ${drift.compared} fields the file sets match`}.`, '', 'name');
    else {
      const listed = drift.fields.slice(0, DRIFT_LISTED).map((f) => `${dottedPath(f.pointer)} (file ${show(f.file)}, cluster ${show(f.live)})`).join(', ');
      const more = drift.fields.length > DRIFT_LISTED ? ` and ${drift.fields.length - DRIFT_LISTED} more` : '';
      item('availability', LIVE_DRIFT, false, `The live object drifted from the file ${on}: ${listed}${more}.`, first.pointer, first.live === undefined ? 'key' : 'value');
    }
  }
  return out;
}

function imageDifferences(input: LiveInput): { checked: number; differences: Array<{ name: string; file: string; live: string; pointer: string }> } {
  const filePod = podSpecOf(input.kind, input.value);
  const livePod = podSpecOf(input.kind, input.live);
  if (!filePod || !livePod) return { checked: 0, differences: [] };
  const liveByName = new Map(containersOf(livePod).map((c) => [`${c.kind}/${String(c.container.name)}`, c.container]));
  const differences: Array<{ name: string; file: string; live: string; pointer: string }> = [];
  let checked = 0;
  for (const c of containersOf(filePod)) {
    const live = liveByName.get(`${c.kind}/${String(c.container.name)}`);
    if (!live || typeof c.container.image !== 'string' || typeof live.image !== 'string') continue;
    checked++;
    if (c.container.image !== live.image) differences.push({ name: String(c.container.name), file: c.container.image, live: live.image, pointer: `${c.pointer}/image` });
  }
  return { checked, differences };
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

function replicaState(kind: string, live: JsonObject): { desired: number; ready: number; noun: string; detail?: string } | undefined {
  const spec = isJsonObject(live.spec) ? live.spec : {};
  const status = isJsonObject(live.status) ? live.status : {};
  if (kind === 'Deployment' || kind === 'StatefulSet' || kind === 'ReplicaSet' || kind === 'ReplicationController') {
    const desired = typeof spec.replicas === 'number' ? spec.replicas : 1;
    const parts = [`${num(status.availableReplicas)} available`, `${num(status.updatedReplicas)} up to date`];
    return { desired, ready: num(status.readyReplicas), noun: 'replicas', detail: parts.join(', ') };
  }
  if (kind === 'DaemonSet') {
    return { desired: num(status.desiredNumberScheduled), ready: num(status.numberReady), noun: 'daemon pods', detail: `${num(status.updatedNumberScheduled)} up to date` };
  }
  return undefined;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

function rolloutState(kind: string, live: JsonObject): { ok: boolean; message: string } | undefined {
  const status = isJsonObject(live.status) ? live.status : {};
  const metadata = isJsonObject(live.metadata) ? live.metadata : {};
  const pending = typeof metadata.generation === 'number' && typeof status.observedGeneration === 'number' && status.observedGeneration < metadata.generation;
  if (pending) return { ok: false, message: `Rollout pending: the controller has not seen generation ${metadata.generation} yet (observed ${status.observedGeneration})` };
  if (kind === 'Deployment') {
    const conditions = (Array.isArray(status.conditions) ? status.conditions : []) as Condition[];
    const time = (c: Condition) => Date.parse(c.lastUpdateTime ?? c.lastTransitionTime ?? '') || 0;
    const latest = [...conditions].filter((c) => c.type === 'Progressing' || c.type === 'Available' || c.type === 'ReplicaFailure')
      .sort((a, b) => time(b) - time(a) || (a.status === 'False' ? -1 : 1))[0];
    if (!latest) return undefined;
    const failing = conditions.some((c) => (c.type === 'Available' || c.type === 'Progressing') && c.status === 'False') || conditions.some((c) => c.type === 'ReplicaFailure' && c.status === 'True');
    return { ok: !failing, message: `Latest rollout condition: ${latest.type}=${latest.status}${latest.reason ? ` (${latest.reason})` : ''}${latest.message ? `: ${latest.message.replace(/\.$/, '')}` : ''}` };
  }
  if (kind === 'StatefulSet') {
    const done = status.updateRevision === undefined || status.currentRevision === status.updateRevision;
    return { ok: done, message: done ? `Rollout complete (revision ${String(status.currentRevision ?? '?')})` : `Rollout in progress: ${num(status.updatedReplicas)} pods on revision ${String(status.updateRevision)}, the rest on ${String(status.currentRevision)}` };
  }
  if (kind === 'DaemonSet') {
    const desired = num(status.desiredNumberScheduled);
    const updated = num(status.updatedNumberScheduled);
    return { ok: updated >= desired && num(status.numberUnavailable) === 0, message: `Rollout: ${updated} of ${desired} daemon pods up to date, ${num(status.numberUnavailable)} unavailable` };
  }
  return undefined;
}

export interface DriftField {
  /** Pointer relative to the resource, in the file. */
  pointer: string;
  file: unknown;
  live: unknown;
}

/** Fields the server owns or rewrites, and the type (list items carry none): never compared. */
const IGNORED = new Set(['/apiVersion', '/kind', '/status', '/metadata/managedFields', '/metadata/resourceVersion', '/metadata/uid', '/metadata/generation', '/metadata/creationTimestamp']);

/**
 * Compares every value the file sets with the live object. Lists of named items (containers, env, ports,
 * volumes) are matched by their key, others by position; quantities compare by value ("0.5" = "500m");
 * images are left to the image item.
 */
export function driftOf(file: JsonObject, live: JsonObject): { compared: number; fields: DriftField[] } {
  const fields: DriftField[] = [];
  let compared = 0;
  const visit = (a: unknown, b: unknown, pointer: string): void => {
    if (IGNORED.has(pointer)) return;
    if (Array.isArray(a)) {
      if (a.length === 0) return;
      if (!Array.isArray(b)) {
        compared++;
        fields.push({ pointer, file: a, live: b });
        return;
      }
      const key = listKey(a);
      a.forEach((item, index) => {
        const match = key ? b.find((x) => isJsonObject(x) && isJsonObject(item) && String(x[key]) === String(item[key])) : b[index];
        if (match === undefined) {
          compared++;
          fields.push({ pointer: joinPointer(pointer, index), file: item, live: undefined });
        } else visit(item, match, joinPointer(pointer, index));
      });
      return;
    }
    if (isJsonObject(a)) {
      if (Object.keys(a).length === 0) return;
      if (!isJsonObject(b)) {
        compared++;
        fields.push({ pointer, file: a, live: b });
        return;
      }
      for (const [k, v] of Object.entries(a)) {
        if (k === 'image' && /\/(containers|initContainers|ephemeralContainers)\/\d+$/.test(pointer)) continue;
        visit(v, b[k], joinPointer(pointer, k));
      }
      return;
    }
    if (a === null || a === undefined) return;
    compared++;
    if (!sameScalar(a, b)) fields.push({ pointer, file: a, live: b });
  };
  visit(file, live, '');
  return { compared, fields };
}

function listKey(items: unknown[]): string | undefined {
  for (const key of ['name', 'containerPort', 'mountPath', 'port', 'ip']) {
    const values = items.map((i) => (isJsonObject(i) ? i[key] : undefined));
    if (values.every((v) => v !== undefined) && new Set(values.map(String)).size === values.length) return key;
  }
  return undefined;
}

function sameScalar(a: unknown, b: unknown): boolean {
  // Go's omitempty drops false, 0 and "" from what the server returns: absent is the zero value.
  if (b === undefined && (a === false || a === 0 || a === '')) return true;
  if (a === b || (b !== undefined && b !== null && String(a) === String(b))) return true;
  const qa = parseQuantity(a);
  const qb = parseQuantity(b);
  return qa !== undefined && qb !== undefined && Math.abs(qa - qb) <= Math.abs(qa) * 1e-9;
}

function show(value: unknown): string {
  if (value === undefined) return 'not set';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
