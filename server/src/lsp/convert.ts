/** Engine types <-> LSP types. Ranges already use LSP's convention (zero-based, UTF-16). */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import { allRuleInfo, type Finding, type Severity, type WorkloadChecklist } from '../engine';
import type { DiagnosticData, WorkloadChecklist as WireWorkloadChecklist } from '../shared/protocol';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

let docsUrls: Map<string, string> | undefined;

export function docsUrlOf(ruleId: string): string | undefined {
  docsUrls ??= new Map(allRuleInfo().map((r) => [r.id, r.url]));
  return docsUrls.get(ruleId);
}

/** A file path for a document URI (the engine and the index use paths); other schemes keep their URI. */
export function pathOf(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

export function uriOf(path: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-zA-Z]:[\\/]/.test(path) ? path : pathToFileURL(path).href;
}

/** A baselined finding is shown one severity lower (info becomes a hint). */
const BASELINED_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Warning,
  warning: DiagnosticSeverity.Information,
  info: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding): Diagnostic {
  return diagnosticOf(finding, false);
}

/** `baselined`: the baseline `.kgov.yaml` names records this finding (lsp/baseline.ts). */
export function diagnosticOf(finding: Finding, baselined: boolean): Diagnostic {
  const data: DiagnosticData = {
    ruleId: finding.ruleId, messageId: finding.messageId, docIndex: finding.docIndex, pointer: finding.pointer,
    fixable: finding.fixable, ...(finding.resourcePointer !== undefined ? { resourcePointer: finding.resourcePointer } : {}),
    ...(finding.fix ? { fixTitle: finding.fix.title } : {}), ...(baselined ? { baselined: true as const } : {}),
  };
  const diagnostic: Diagnostic = {
    range: finding.range, severity: (baselined ? BASELINED_SEVERITY : SEVERITY)[finding.severity], source: 'kgov', code: finding.ruleId,
    message: baselined ? `${finding.message} (baselined)` : finding.message, data,
  };
  const href = docsUrlOf(finding.ruleId);
  if (href) diagnostic.codeDescription = { href };
  if (finding.ruleId === 'api/deprecated') diagnostic.tags = [DiagnosticTag.Deprecated];
  if (finding.related) diagnostic.relatedInformation = finding.related.map((r) => ({ location: { uri: uriOf(r.uri), range: r.range }, message: r.message }));
  return diagnostic;
}

/**
 * A workload's checklist for the wire (kgov/checklist): the engine's type, with URIs where the engine speaks
 * file paths (items point into the same file as their workload). The one place the checklist is converted.
 */
export function toWireChecklist(workload: WorkloadChecklist): WireWorkloadChecklist {
  return {
    ...workload, uri: uriOf(workload.uri),
    groups: workload.groups.map((g) => ({ ...g, items: g.items.map((item) => ({ ...item, uri: uriOf(item.uri) })) })),
  };
}
