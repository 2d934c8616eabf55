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
export {
  type BudgetChecklist, CHECKLIST_GROUPS, combine, fileBudgets, fileChecklist, linkBudgets, ROLLOUT_CHECKLIST_GROUP, ROLLOUT_RELATED, scoreOf,
  type Checklist, type ChecklistItem, type WorkloadChecklist,
} from './features/checklist';
export { summarize, type AuditSummary } from './features/summary';
export { nextVersions, UPGRADE_HORIZON, upgradeReadiness } from './features/upgrade';
export {
  DEFAULT_SCORECARD_TARGETS, DIMENSION_MEASURES, DIMENSION_TITLES, dimensionsMet, ruleCategories, SCORECARD_DIMENSIONS, scorecard,
  type DimensionVerdict, type Scorecard, type ScorecardDimension, type ScorecardDimensionResult, type ScorecardInput, type ScorecardTargets, type WorkloadScore,
} from './features/scorecard';
export type { UpgradeOutlook, UpgradeResource } from './features/upgrade';
export {
  BASELINE_VERSION, BaselineError, createBaseline, fingerprintsOf, matchBaseline, parseBaseline,
  type Baseline, type BaselineEntry, type BaselineFile, type BaselineMatch, type BaselineState, type FindingFingerprint,
} from './features/baseline';
export { escapeHtml, namespaceScore, scorecardHtml, type ReportHtml, type ReportHtmlOptions, type ReportLocation } from './features/report-html';

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

// Rendered Helm charts and kustomize overlays, mapped back to the files that wrote them.
export {
  chartRelative, dependenciesLine, helmProblems, mapRenderedFindings, renderedSections, valuesKeyLine,
  type ChartTexts, type HelmProblem, type MappedFinding, type RenderedSection,
} from './render/helm';
export {
  mapKustomizeFindings, ORIGIN_ANNOTATION, stripOrigins,
  type KustomizeFile, type KustomizeSection, type KustomizeTexts, type MappedKustomizeFinding, type Origin,
} from './render/kustomize';
