/**
 * The engine for a path: the nearest `.kgov.yaml` (or the defaults), the overrides of the CLI's flags or the
 * editor's settings, the `ignore` matcher, and the Kubernetes version by precedence: the explicit choice, then
 * `.kgov.yaml`, then the cluster's. The CLI and the language server both open their projects here; they only
 * differ in how they find the config file (the editor stays inside its workspace folder) and read it (the
 * editor's open buffer wins over the disk).
 */
import { dirname, relative, sep } from 'node:path';
import { compileGlobs } from './config/glob';
import { defaultConfig, loadConfigText, type LoadedConfig } from './config/load';
import { PRESET_NAMES, type PresetName } from './config/presets';
import { createEngine, UnknownVersionError, type Engine, type EngineOptions } from './engine';
import type { SchemaCatalog } from './schema/catalog';
import type { CatalogScope } from './schema/crd-catalog';
import type { Severity } from './types';

export interface ProjectSettings {
  /** The explicit choice (`--kubernetes-version`, the `kgov.kubernetesVersion` setting): wins over everything. */
  kubernetesVersion?: string;
  /** The cluster's version (cluster features on): used when neither the choice nor `.kgov.yaml` names one. */
  clusterVersion?: string;
  /** Replaces the config's `extends` when it names a preset. */
  preset?: string;
  /** Severity overrides, above `.kgov.yaml`'s `rules`. */
  rules?: ReadonlyArray<{ id: string; severity?: Severity | 'off' }>;
  maxFileSize?: number;
  /** The editor's or the CLI's say on the CRD catalog: it can turn it off, or exclude more groups, never turn on what `.kgov.yaml` turned off. */
  crdCatalog?: CatalogScope;
  /** Policies load only from a trusted folder. */
  trusted: boolean;
  /**
   * A version that no bundled schema serves: `throw` (the CLI's usage error) or `fallBack` to the default
   * version (the editor shows the config's own finding and keeps checking).
   */
  onUnknownVersion: 'throw' | 'fallBack';
}

export interface Project {
  readonly engine: Engine;
  readonly config: LoadedConfig;
  /** The options the engine was made with (the CLI hands them to its worker threads). */
  readonly options: EngineOptions;
  /** Folder of the config file, or the fallback root: `ignore` patterns are relative to it. */
  readonly root: string;
  /** Is this path excluded by the config's `ignore` patterns? */
  ignored(path: string): boolean;
}

/**
 * Opens the project of one config file (`config` undefined: none applies, the defaults do). `root` is where
 * `ignore` patterns start when there is no config file.
 */
export function openProject(config: { path: string; text: string } | undefined, root: string, settings: ProjectSettings,
  catalog: SchemaCatalog, schemasDir: string): Project {
  const loaded = config ? loadConfigText(config.text, config.path, catalog, schemasDir, settings.trusted) : defaultConfig();
  const crdCatalog = settings.crdCatalog ? {
    enabled: loaded.config.crdCatalog.enabled && settings.crdCatalog.enabled,
    exclude: [...new Set([...loaded.config.crdCatalog.exclude, ...settings.crdCatalog.exclude])],
  } : loaded.config.crdCatalog;
  const options: EngineOptions = {
    schemasDir, config: { ...loaded.config, crdCatalog }, policyFiles: loaded.policyFiles,
    ...(settings.rules ? { ruleOverrides: settings.rules } : {}),
    ...(settings.maxFileSize !== undefined ? { maxFileSize: settings.maxFileSize } : {}),
    ...((PRESET_NAMES as readonly string[]).includes(settings.preset ?? '') ? { preset: settings.preset as PresetName } : {}),
  };
  if (settings.kubernetesVersion) options.kubernetesVersion = settings.kubernetesVersion;
  else if (!loaded.config.kubernetesVersion && settings.clusterVersion) options.kubernetesVersion = settings.clusterVersion;
  let engine: Engine;
  try {
    engine = createEngine(options, catalog);
  } catch (error) {
    if (!(error instanceof UnknownVersionError) || settings.onUnknownVersion === 'throw') throw error;
    options.kubernetesVersion = catalog.defaultVersion;
    engine = createEngine(options, catalog);
  }
  options.kubernetesVersion = engine.kubernetesVersion;
  const projectRoot = config ? dirname(config.path) : root;
  const patterns = loaded.config.ignore;
  const matcher = patterns.length > 0 ? compileGlobs(patterns) : undefined;
  return {
    engine, config: loaded, options, root: projectRoot,
    // (Without patterns nothing is ignored, and no relative path is computed for each file a walk asks about.)
    ignored: matcher === undefined ? () => false
      : (path) => projectRoot !== '' && path.startsWith(projectRoot + sep) && matcher(relative(projectRoot, path).split(sep).join('/')),
  };
}
