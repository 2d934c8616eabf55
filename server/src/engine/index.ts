/**
 * The engine's public surface: what the adapters (lsp/, cli/, cluster/, host/) may use. Everything else under
 * engine/ is internal and may move; test/unit/boundaries.test.ts enforces that adapters import only this file.
 */

// The facade and the project (the engine for a path).
export {
  CancelledError, createEngine, DEFAULT_MAX_FILE_SIZE, UnknownVersionError,
  type CancellationToken, type Engine, type EngineOptions, type LintResult, type Outcome,
} from './engine';
export { openProject, type Project, type ProjectSettings } from './project';
export { Workspace, type WorkspaceResource, type WorkspaceView } from './workspace';
export * from './types';

// Rules: the contract, and every finding id described once.
export type { AnyRule, ChecklistGroup, Rule, RuleContext } from './rule';
export { allRuleInfo, type RuleInfo } from './registry/rule-info';
export { REPOSITORY_URL } from './registry/docs';

// Configuration.
export { CONFIG_FILE_NAMES } from './config/config';
export { configVocabulary, findConfigFile, isConfigPath, loadConfigText, type LoadedConfig } from './config/load';
export { PRESET_NAMES, type PresetName } from './config/presets';
export { SchemaCatalog } from './schema/catalog';
export { customKindsOf, type CustomKind } from './schema/crd';
export type { CatalogEntry, CatalogScope } from './schema/crd-catalog';

// Editor features and reports.
export { complete, type CompletionItem } from './features/completion';
export { hover, type Hover } from './features/hover';
export { documentSymbols, type DocumentSymbol } from './features/symbols';
export { CHECKLIST_GROUPS, combine, fileChecklist, scoreOf, type Checklist, type ChecklistItem, type WorkloadChecklist } from './features/checklist';
export { summarize, type AuditSummary } from './features/summary';

// Edits: fixes as text, waivers written for the user.
export { textEdits, unifiedDiff } from './fix/diff';
export { FixError } from './fix/edits';
export { ignoreForLine, ignoreForObject } from './fix/suppress-edits';

// What the cluster adapter needs to place the API server's answers on the file.
export { refOf, type AnalyzedFile, type ManifestResource } from './lint/resources';
export { commentWaivers, objectWaivers, type Waiver } from './lint/suppress';
export { containersOf, isWorkload, podSpecOf } from './lint/walk';
export { parseQuantity } from './k8s/quantity';
export { LineIndex } from './util/line-index';
export { dottedPath, joinPointer, valueAt } from './util/pointer';
export { spanOf, type DocumentLike } from './yaml/locate';
