/**
 * What the language server knows per workspace folder: its settings, the engines for its `.kgov.yaml` files,
 * and the index of every manifest under it (kept current by file events and by open documents).
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import type { ValidationFacts } from '../cluster/facts';
import { findConfigFile, openProject, Workspace, type Project, type SchemaCatalog } from '../engine';
import { decode, walkManifests } from '../host/files';
import { schemasDir } from '../host/paths';
import type { KgovSettings } from '../shared/settings';

export const MAX_INDEXED_FILE_SIZE = 5 * 1024 * 1024;

export class Folder {
  readonly workspace: Workspace;
  private readonly engines = new Map<string, Project>();
  private readonly configOf = new Map<string, string | undefined>();
  /** Paths in the index, with the size read (to skip unchanged re-reads). */
  readonly indexed = new Map<string, number>();
  readonly skipped = new Map<string, string>();
  /** What the cluster says (cluster features on and connected): its version and CRDs. */
  private cluster: ValidationFacts | undefined;
  /**
   * Until the first index of the folder is complete, cross-resource findings are held back: computed from part
   * of the workspace, they would come and go as indexing goes on (a Service "selects no pods" until its
   * Deployment's file is read). The folder of documents outside every workspace folder has nothing to index.
   */
  indexComplete: boolean;
  /** The folder's path with symlinks resolved (computed on first use). */
  private realRoot: string | undefined;

  constructor(
    readonly uri: string,
    /** The folder's path (undefined for the folder of documents outside any workspace folder). */
    readonly path: string | undefined,
    public settings: KgovSettings,
    private readonly catalog: SchemaCatalog,
    /** Text of open config files (they win over the disk). */
    private readonly openText: (path: string) => string | undefined,
  ) {
    this.workspace = new Workspace();
    this.indexComplete = path === undefined;
    if (path) this.workspace.displayPath = (p) => (p.startsWith(path + sep) ? relative(path, p) : p);
  }

  contains(path: string): boolean {
    return this.path !== undefined && (path === this.path || path.startsWith(this.path + sep));
  }

  /** Is `real` (a path with symlinks resolved) inside the folder? */
  private insideReal(real: string): boolean {
    if (!this.path) return false;
    try {
      this.realRoot ??= realpathSync(this.path);
    } catch {
      return false;
    }
    return real === this.realRoot || real.startsWith(this.realRoot + sep);
  }

  /** A file is read only where it really is inside the folder: a symlink out of it is not followed. */
  private async readableInside(path: string): Promise<boolean> {
    try {
      return this.insideReal(await realpath(path));
    } catch {
      return false;
    }
  }

  /** Drops engines (settings or a config file changed): they are rebuilt on next use. */
  reset(settings?: KgovSettings): void {
    if (settings) this.settings = settings;
    this.engines.clear();
    this.configOf.clear();
  }

  /** New cluster facts (or none): CRDs join the index's, engines are rebuilt with the cluster's version. */
  setCluster(facts: ValidationFacts | undefined): void {
    this.cluster = facts;
    this.workspace.setExternalKinds(facts?.kinds ?? []);
    this.reset();
  }

  private configPath(path: string): string | undefined {
    const dir = dirname(path);
    if (!this.configOf.has(dir)) {
      let found = existsSync(dir) ? findConfigFile(dir) : undefined;
      // A config above the workspace folder belongs to another project.
      if (found && this.path && !this.contains(found)) found = undefined;
      if (!found && this.path) found = findConfigFile(this.path);
      // A .kgov.yaml that is a symlink out of the folder is not read either.
      const real = (p: string) => {
        try {
          return this.insideReal(realpathSync(p));
        } catch {
          return false;
        }
      };
      this.configOf.set(dir, found && (!this.path || (this.contains(found) && real(found))) ? found : undefined);
    }
    return this.configOf.get(dir);
  }

  /** The project of a file: its nearest `.kgov.yaml` with the editor settings on top. */
  engineFor(path: string): Project {
    const configPath = this.configPath(path);
    const key = configPath ?? '';
    let project = this.engines.get(key);
    if (project) return project;
    const text = configPath ? this.openText(configPath) ?? readText(configPath) : undefined;
    const { settings } = this;
    const version = settings.kubernetesVersion && this.catalog.resolveVersion(settings.kubernetesVersion) ? settings.kubernetesVersion : undefined;
    project = openProject(configPath && text !== undefined ? { path: configPath, text } : undefined, this.path ?? '', {
      trusted: settings.trusted, onUnknownVersion: 'fallBack', maxFileSize: MAX_INDEXED_FILE_SIZE * 2, preset: settings.preset,
      rules: Object.entries(settings.rules).map(([id, severity]) => ({ id, severity })),
      crdCatalog: { enabled: settings.crdCatalog.enable, exclude: settings.crdCatalog.exclude },
      ...(version ? { kubernetesVersion: version } : {}),
      ...(this.cluster ? { clusterVersion: this.cluster.version.bundled } : {}),
    }, this.catalog, schemasDir());
    this.workspace.defaultNamespace = project.config.config.defaultNamespace;
    this.engines.set(key, project);
    return project;
  }

  /** Indexes (or re-indexes) one file from disk unless it is open; returns whether the index changed. */
  async indexFile(path: string, isOpen: (path: string) => boolean): Promise<boolean> {
    if (isOpen(path)) return false;
    const entry = this.engineFor(path);
    if (entry.ignored(path)) return this.remove(path);
    // The walker skips symlinks that leave the folder; file events (and the outside folder) may still name one.
    if (!(await this.readableInside(path))) return this.remove(path);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      return this.remove(path);
    }
    if (size > MAX_INDEXED_FILE_SIZE) {
      this.skipped.set(path, `over ${MAX_INDEXED_FILE_SIZE / 1048576} MB (${(size / 1048576).toFixed(1)} MB)`);
      return this.remove(path);
    }
    let decoded;
    try {
      decoded = decode(await readFile(path));
    } catch {
      return this.remove(path);
    }
    if (decoded.text === undefined) return this.remove(path);
    this.setText(path, decoded.text);
    return true;
  }

  /** Puts a document's resources (from the editor or the disk) into the index; returns the kinds that changed. */
  setText(path: string, text: string): ReadonlySet<string> {
    this.indexed.set(path, text.length);
    return this.workspace.setFile(path, this.engineFor(path).engine.index(path, text));
  }

  remove(path: string): boolean {
    if (!this.indexed.has(path)) return false;
    this.indexed.delete(path);
    this.workspace.removeFile(path);
    return true;
  }

  /** Every manifest path under the folder (walk only; reading happens in indexFile). */
  manifestPaths(): string[] {
    if (!this.path || !existsSync(this.path)) return [];
    return walkManifests(this.path, (p) => this.engineFor(p).ignored(p), new Set(['.yaml', '.yml']));
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
