/**
 * npm run crd-catalog -- SOURCES_DIR: turns the upstream CRD files listed in SOURCES_DIR/sources.json into kgov's
 * offline CRD catalog, schemas/crds/ (committed: building and testing never need the sources).
 *
 * SOURCES_DIR/sources.json: [{ project, release, repo, commit, license, files: [path in the repository],
 * supersedes?: [project] }], and each file at SOURCES_DIR/<project>/<path>, verbatim. A project that another one
 * supersedes is left out (Gateway API's experimental channel is a superset of its standard one: kgov takes the
 * superset, which never rejects what a cluster of either channel accepts). Output:
 *   index.json            every API group: its file, project and release, and its kinds with their versions
 *   <group>.json.br       the group's CRDs (brotli): names, scope, and every version's openAPIV3Schema with its
 *                         descriptions (hover reads them); identical subschemas are stored once, and each CRD
 *                         and shared subschema is a JSON text of its own (parsed on demand)
 *   PROVENANCE.md         project, release, commit, path and license of every CRD
 * The schemas are read with kgov's own YAML parser and kept in the CRD's own form, so that catalog kinds go
 * through the same conversion as the workspace's CRDs (schema/crd.ts).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { parseChunk, splitDocuments } from '../server/src/engine/yaml/parse';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Source {
  project: string;
  release: string;
  repo: string;
  commit: string;
  license: string;
  files: string[];
  supersedes?: string[];
}

export interface CatalogVersion {
  name: string;
  served: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  /** The status subresource is on (the API server then does not validate `status` on create and update). */
  status?: boolean;
  schema?: Json;
}

export interface CatalogCrd {
  name: string;
  group: string;
  kind: string;
  plural: string;
  scope: 'Namespaced' | 'Cluster';
  versions: CatalogVersion[];
  source: { project: string; release: string; repo: string; commit: string; path: string; license: string };
}

const LICENSES = new Set(['Apache-2.0', 'MIT', 'BSD-2-Clause', 'BSD-3-Clause']);
/** Subtrees at least this large (as JSON) that occur more than once in a group are stored once. */
const SHARE_AT = 200;
/** Extensions kgov does not evaluate (CEL rules): left out to keep the catalog small. */
const DROPPED = new Set(['x-kubernetes-validations']);

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A plain JSON copy (no location symbols), without the dropped extensions. `names`: the object is a map of names
 * (properties, definitions), whose keys are field names, never keywords (ClusterClass variables describe schemas
 * with a field called x-kubernetes-validations).
 */
function clean(value: unknown, names = false): Json {
  if (Array.isArray(value)) return value.map((v) => clean(v));
  if (!isObject(value)) return value as Json;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (!names && DROPPED.has(k)) continue;
    out[k] = names ? clean(v) : clean(v, k === 'properties' || k === 'patternProperties' || k === 'definitions');
  }
  return out;
}

function crdsOf(text: string, source: Omit<CatalogCrd['source'], 'path'>, path: string): CatalogCrd[] {
  const out: CatalogCrd[] = [];
  for (const chunk of splitDocuments(text)) {
    for (const doc of parseChunk(chunk.text)) {
      if (doc.broken) throw new Error(`${source.project}/${path}: ${doc.problems[0]?.message}`);
      const crd = doc.value;
      if (!isObject(crd) || crd.kind !== 'CustomResourceDefinition' || !isObject(crd.spec)) continue;
      const spec = crd.spec;
      const names = isObject(spec.names) ? spec.names : {};
      if (typeof spec.group !== 'string' || typeof names.kind !== 'string') continue;
      const legacy = isObject(spec.validation) ? spec.validation.openAPIV3Schema : undefined;
      const versions: CatalogVersion[] = (Array.isArray(spec.versions) ? spec.versions.filter(isObject) : typeof spec.version === 'string' ? [{ name: spec.version }] : [])
        .filter((v) => typeof v.name === 'string')
        .map((v) => {
          const schema = isObject(v.schema) ? v.schema.openAPIV3Schema : legacy;
          const version: CatalogVersion = { name: v.name as string, served: v.served !== false };
          if (v.deprecated === true) version.deprecated = true;
          if (typeof v.deprecationWarning === 'string') version.deprecationWarning = v.deprecationWarning;
          const subresources = isObject(v.subresources) ? v.subresources : isObject(spec.subresources) ? spec.subresources : undefined;
          if (subresources && isObject(subresources.status)) version.status = true;
          if (schema !== undefined) version.schema = clean(schema);
          return version;
        });
      const name = isObject(crd.metadata) && typeof crd.metadata.name === 'string' ? crd.metadata.name : `${String(names.plural)}.${spec.group}`;
      out.push({
        name, group: spec.group, kind: names.kind, plural: typeof names.plural === 'string' ? names.plural : names.kind.toLowerCase(),
        scope: spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced', versions, source: { ...source, path },
      });
    }
  }
  return out;
}

/** Stores subtrees that occur more than once (by content) in `shared`, leaving `{ "$kgovShared": index }`. */
function shareSubtrees(root: Json): { value: Json; shared: Json[] } {
  const counts = new Map<string, number>();
  const canonical = (v: Json): string => {
    const text = JSON.stringify(v);
    if (text.length >= SHARE_AT && (Array.isArray(v) || isObject(v))) counts.set(text, (counts.get(text) ?? 0) + 1);
    if (Array.isArray(v)) v.forEach(canonical);
    else if (isObject(v)) Object.values(v).forEach(canonical);
    return text;
  };
  canonical(root);
  const ids = new Map<string, number>();
  const shared: Json[] = [];
  const replace = (v: Json): Json => {
    if (!Array.isArray(v) && !isObject(v)) return v;
    const text = JSON.stringify(v);
    const inner = Array.isArray(v) ? v.map(replace) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x)]));
    if ((counts.get(text) ?? 0) < 2) return inner;
    let id = ids.get(text);
    if (id === undefined) {
      id = shared.length;
      ids.set(text, id);
      shared.push(inner);
    }
    return { $kgovShared: id };
  };
  return { value: replace(root), shared };
}

function main(): void {
  const sourcesDir = process.argv[2];
  if (!sourcesDir) {
    console.error('usage: npm run crd-catalog -- SOURCES_DIR');
    process.exit(2);
  }
  const outDir = resolve(__dirname, '..', 'schemas', 'crds');
  const listed = JSON.parse(readFileSync(join(sourcesDir, 'sources.json'), 'utf8')) as Source[];
  const superseded = new Set(listed.flatMap((s) => s.supersedes ?? []));
  const sources = listed.filter((s) => !superseded.has(s.project));
  const byGroup = new Map<string, CatalogCrd[]>();
  const owner = new Map<string, string>();
  for (const source of sources) {
    if (!LICENSES.has(source.license)) throw new Error(`${source.project}: license ${source.license} is not Apache-2.0, MIT or BSD`);
    const { project, release, repo, commit, license } = source;
    const about = { project, release, repo, commit, license };
    for (const path of source.files) {
      for (const crd of crdsOf(readFileSync(join(sourcesDir, source.project, path), 'utf8'), about, path)) {
        const { group } = crd;
        const key = `${group}/${crd.kind}`;
        const previous = owner.get(key);
        if (previous) throw new Error(`${key} is defined by both ${previous} and ${source.project}/${path}`);
        owner.set(key, `${source.project}/${path}`);
        byGroup.set(group, [...(byGroup.get(group) ?? []), crd]);
      }
    }
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const index: Record<string, { file: string; kinds: Record<string, { versions: string[]; served: string[] }>; projects: string[] }> = {};
  let compressed = 0;
  let raw = 0;
  for (const [group, crds] of [...byGroup].sort(([a], [b]) => a.localeCompare(b))) {
    crds.sort((a, b) => a.kind.localeCompare(b.kind));
    const { value, shared } = shareSubtrees(crds as unknown as Json);
    // Each CRD and each shared subtree is a JSON text of its own, parsed only when a lookup needs it.
    const texts = Object.fromEntries(crds.map((crd, i) => [crd.kind, JSON.stringify((value as Json[])[i])]));
    const text = JSON.stringify({ group, shared: shared.map((v) => JSON.stringify(v)), crds: texts });
    const data = brotliCompressSync(Buffer.from(text), { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 } });
    const file = `${group}.json.br`;
    writeFileSync(join(outDir, file), data);
    raw += text.length;
    compressed += data.length;
    index[group] = {
      file,
      kinds: Object.fromEntries(crds.map((c) => [c.kind, { versions: c.versions.map((v) => v.name), served: c.versions.filter((v) => v.served).map((v) => v.name) }])),
      projects: [...new Set(crds.map((c) => `${c.source.project} ${c.source.release}`))],
    };
  }
  const digest = createHash('sha256').update(JSON.stringify(index)).digest('hex').slice(0, 12);
  writeFileSync(join(outDir, 'index.json'), `${JSON.stringify({ version: 1, digest, groups: index }, null, 1)}\n`);
  const all = [...byGroup.values()].flat();
  const rows = all.sort((a, b) => a.source.project.localeCompare(b.source.project) || a.name.localeCompare(b.name))
    .map((c) => `| ${c.source.project} | ${c.source.release} | \`${c.name}\` | ${c.versions.map((v) => v.name).join(', ')} | [${c.source.repo}](https://github.com/${c.source.repo}) \`${c.source.commit.slice(0, 12)}\` \`${c.source.path}\` | ${c.source.license} |`);
  const projects = new Set(all.map((c) => c.source.project));
  writeFileSync(join(outDir, 'PROVENANCE.md'), [
    '# kgov CRD catalog: provenance',
    '',
    `Generated by \`npm run crd-catalog -- SOURCES_DIR\` (scripts/generate-crd-catalog.ts): ${projects.size} projects, ${all.length} CRDs, ${owner.size} kinds, ${byGroup.size} API groups.`,
    'Each CRD is read verbatim from the file named below, at the commit named below, in a repository licensed Apache-2.0, MIT or BSD;',
    'kgov keeps its names, scope, versions and openAPIV3Schema (descriptions included, CEL `x-kubernetes-validations` left out).',
    '',
    '| Project | Release | CRD | Versions | Source | License |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n'));
  console.log(`crd-catalog: ${projects.size} projects, ${owner.size} kinds in ${byGroup.size} groups; ${(raw / 1048576).toFixed(1)} MB of JSON, ${(compressed / 1048576).toFixed(2)} MB compressed`);
  if (readdirSync(outDir).length !== byGroup.size + 2) throw new Error('two groups share a file name');
}

main();
