/** The engine's own vocabulary. Adapters (LSP, CLI) convert these; nothing here knows about editors. */

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Zero-based line and UTF-16 character, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A half-open range of UTF-16 offsets into the file text. */
export interface Span {
  start: number;
  end: number;
}

/** Which part of the node a pointer names gets the range (docs/architecture.md, "Findings and ranges"). */
export type Anchor = 'key' | 'value' | 'parentKey' | 'name';

export interface ResourceRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

/** An edit of the file text: replace [start, end) with `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Where relative patch paths start: the rule's target (default), the pod spec, or the resource. */
export type PatchBase = 'target' | 'podSpec' | 'resource';

/** A fix operation (docs/architecture.md, "Fixes"). Paths are JSON pointers; in a Finding they are absolute inside the document. */
export type PatchOp =
  | { op: 'add'; path: string; value: JsonValue; comment?: string; base?: PatchBase }
  | { op: 'replace'; path: string; value: JsonValue; comment?: string; base?: PatchBase }
  | { op: 'remove'; path: string; base?: PatchBase }
  /** Renames the key at `from` to the last segment of `path` (same parent), keeping the value's text. */
  | { op: 'move'; from: string; path: string; base?: PatchBase }
  | { op: 'add-annotation'; key: string; value: string }
  /** Appends a new `---` document to the file (a generated PodDisruptionBudget, NetworkPolicy, ...). */
  | { op: 'append-document'; value: JsonObject; comment?: string };

/** A fix as data; `Engine.fixEdits` turns it into text edits when someone asks for them. */
export interface Fix {
  title: string;
  patch: PatchOp[];
  /** The text edits, when an adapter has computed them (SARIF output, resolved code actions). */
  edits?: TextEdit[];
}

export interface RelatedLocation {
  uri: string;
  range: Range;
  message: string;
}

export interface Suppression {
  kind: 'annotation' | 'comment';
  /** Where the waiver is written, for the checklist's "waived" line. */
  span: Span;
  range: Range;
  reason?: string;
}

export interface Finding {
  ruleId: string;
  messageId: string;
  message: string;
  severity: Severity;
  /** Index of the `---` document in its file. */
  docIndex: number;
  /** JSON pointer inside that document. */
  pointer: string;
  /** The resource the finding is about: '' for the document, '/items/N' for an item of a List. */
  resourcePointer?: string;
  span: Span;
  range: Range;
  resource?: ResourceRef;
  fixable: boolean;
  fix?: Fix;
  suppressed?: Suppression;
  related?: RelatedLocation[];
  /** Extra facts adapters may show (e.g. enum values, the schema definition). */
  data?: Record<string, unknown>;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
