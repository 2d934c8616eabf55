/** Every served version of every kind in kgov's CRD catalog, decoded independently of the engine (tests, bench). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { schemasDir } from '../../server/src/host/paths';

type Schema = Record<string, unknown>;
interface IndexEntry { file: string; projects: string[]; kinds: Record<string, { versions: string[]; served: string[] }> }
interface Crd { kind: string; scope: string; versions: Array<{ name: string; served: boolean; deprecated?: boolean; schema?: Schema }> }
export interface CatalogKind { apiVersion: string; kind: string; namespaced: boolean; deprecated: boolean; schema?: Schema }

export const CATALOG_DIR = join(schemasDir(), 'crds');
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

export function catalogIndex(): Record<string, IndexEntry> {
  return (JSON.parse(readFileSync(join(CATALOG_DIR, 'index.json'), 'utf8')) as { groups: Record<string, IndexEntry> }).groups;
}

/** By `apiVersion/kind`. */
export function catalogKinds(): Map<string, CatalogKind> {
  const out = new Map<string, CatalogKind>();
  for (const [group, entry] of Object.entries(catalogIndex())) {
    const file = JSON.parse(brotliDecompressSync(readFileSync(join(CATALOG_DIR, entry.file))).toString('utf8')) as { shared: string[]; crds: Record<string, string> };
    const rebuild = (v: unknown): unknown => Array.isArray(v) ? v.map(rebuild)
      : isSchema(v) ? (typeof v.$kgovShared === 'number' ? rebuild(JSON.parse(file.shared[v.$kgovShared] as string)) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rebuild(x)]))) : v;
    for (const text of Object.values(file.crds)) {
      const crd = rebuild(JSON.parse(text)) as Crd;
      for (const version of crd.versions.filter((v) => v.served)) {
        const apiVersion = `${group}/${version.name}`;
        out.set(`${apiVersion}/${crd.kind}`, {
          apiVersion, kind: crd.kind, namespaced: crd.scope !== 'Cluster', deprecated: version.deprecated === true, ...(version.schema ? { schema: version.schema } : {}),
        });
      }
    }
  }
  return out;
}
