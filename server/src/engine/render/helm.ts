/**
 * Helm's rendered output back to the chart: which template wrote each rendered document (`# Source:`), the
 * template line that wrote a finding's key, the values line that filled it, and helm's own errors as findings on
 * the file and line they name. Pure: the adapters run helm (host/render.ts) and hand over its output and the
 * chart's texts.
 */
import { LineIndex } from '../util/line-index';
import type { Finding, Range, RelatedLocation } from '../types';
import { outline, walkOutline, type OutlineDocument, type OutlineLine } from './outline';

/** One rendered document and the chart file that produced it. */
export interface RenderedSection {
  /** The chart-relative path of the template (`templates/deployment.yaml`, `charts/sub/templates/x.yaml`). */
  template: string;
  /** Offsets of the document in the rendered text. */
  start: number;
  end: number;
}

const SOURCE = /^# Source: (.+)$/gm;

/** Drops the chart's name that helm puts before every path (`podinfo/templates/x.yaml` -> `templates/x.yaml`). */
export function chartRelative(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? path : path.slice(slash + 1);
}

/** The rendered documents, each with the template that wrote it. */
export function renderedSections(rendered: string): RenderedSection[] {
  const sections: RenderedSection[] = [];
  SOURCE.lastIndex = 0;
  for (let m = SOURCE.exec(rendered); m; m = SOURCE.exec(rendered)) {
    const previous = sections[sections.length - 1];
    // Each document helm writes starts with `---` and then its `# Source:` line.
    const dashes = rendered.lastIndexOf('---', m.index);
    const start = dashes >= 0 && rendered.slice(dashes, m.index).trim() === '---' ? dashes : m.index;
    if (previous) previous.end = start;
    sections.push({ template: chartRelative((m[1] as string).trim()), start, end: rendered.length });
  }
  return sections;
}

/** What the mapping needs to know about the chart: its files' texts, by chart-relative path. */
export interface ChartTexts {
  /** Chart-relative path -> text of every template that rendered something. */
  templates: ReadonlyMap<string, string>;
  /** The values files in the order helm reads them (values.yaml first; later ones win), with their URIs. */
  values: ReadonlyArray<{ uri: string; text: string }>;
  /** Chart-relative path -> URI. */
  uriOf(path: string): string;
}

/** A finding placed on a chart file. `finding.range` and `span` are in that file; fixes are dropped. */
export interface MappedFinding {
  uri: string;
  template: string;
  finding: Finding;
}

interface TemplateInfo {
  text: string;
  /** The text's lines, for the directives around a key. */
  rawLines: string[];
  lines: LineIndex;
  documents: OutlineDocument[];
}

/**
 * Puts findings on the rendered text onto the template lines that wrote them. `renderedUri` is the URI the
 * findings (and their related locations) carry for the rendered text.
 */
export function mapRenderedFindings(rendered: string, renderedUri: string, findings: readonly Finding[], chart: ChartTexts): MappedFinding[] {
  const sections = renderedSections(rendered);
  const renderedLines = new LineIndex(rendered);
  const infos = new Map<string, TemplateInfo | undefined>();
  const info = (template: string): TemplateInfo | undefined => {
    if (!infos.has(template)) {
      const text = chart.templates.get(template);
      infos.set(template, text === undefined ? undefined : { text, rawLines: text.split('\n'), lines: new LineIndex(text), documents: outline(text) });
    }
    return infos.get(template);
  };
  const valuesOutlines = chart.values.map((v) => ({ uri: v.uri, lines: new LineIndex(v.text), documents: outline(v.text) }));
  /** The section holding `offset` (sections are in text order): binary search, as a chart may render thousands. */
  const sectionAt = (offset: number): RenderedSection | undefined => {
    let low = 0;
    let high = sections.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((sections[mid] as RenderedSection).start <= offset) low = mid;
      else high = mid - 1;
    }
    return sections[low];
  };

  const kinds = sections.map((s) => /^kind:\s*["']?([A-Za-z0-9]+)/m.exec(rendered.slice(s.start, s.end))?.[1]);
  const documents = new Map<RenderedSection, OutlineDocument | undefined>();
  /** The template document that wrote `section`: the one whose literal `kind:` matches, in order. */
  const documentOf = (section: RenderedSection, template: TemplateInfo): OutlineDocument | undefined => {
    if (documents.has(section)) return documents.get(section);
    const at = sections.indexOf(section);
    const kind = kinds[at];
    let ordinal = 0;
    for (let i = 0; i < at; i++) if ((sections[i] as RenderedSection).template === section.template && kinds[i] === kind) ordinal++;
    const candidates = template.documents.filter((d) => d.lines.some((l) => l.keyColumn === 0 && l.key === 'kind' && l.text.slice(l.valueStart, l.valueEnd).replace(/["']/g, '') === kind));
    const found = candidates[Math.min(ordinal, candidates.length - 1)] ?? template.documents[0];
    documents.set(section, found);
    return found;
  };

  const place = (offset: number, pointer: string): { template: string; range: Range; span: { start: number; end: number }; line?: OutlineLine; walkedEnd?: number; templateInfo?: TemplateInfo; complete: boolean } | undefined => {
    const section = sectionAt(offset);
    if (!section) return undefined;
    const template = info(section.template);
    if (!template) return undefined;
    const doc = documentOf(section, template);
    if (!doc) return { template: section.template, ...spanRange(template, 0, firstLineEnd(template.text)), complete: false };
    // A whole-object finding is shown where the name is written, as in a plain manifest.
    const walked = walkOutline(doc, pointer === '' ? '/metadata/name' : pointer);
    const line = walked.line ?? (doc.lines[0] as OutlineLine);
    let from: number;
    let to: number;
    const literalValue = line.valueEnd > line.valueStart && !line.text.slice(line.valueStart, line.valueEnd).includes('{{');
    if (walked.complete && pointer !== '' && literalValue && !/^[|>]/.test(line.text.slice(line.valueStart))) {
      from = line.valueStart;
      to = line.valueEnd;
    } else if (line.keyColumn >= 0) {
      from = line.keyColumn;
      to = line.keyEnd;
    } else {
      from = Math.max(0, line.dash);
      to = line.text.trimEnd().length;
    }
    return { template: section.template, ...spanRange(template, line.offset + from, line.offset + to), line, walkedEnd: walked.blockEnd, templateInfo: template, complete: walked.complete };
  };

  const out: MappedFinding[] = [];
  for (const finding of findings) {
    const at = place(finding.span.start, finding.pointer);
    if (!at) continue;
    const mapped: Finding = { ...finding, span: at.span, range: at.range, fixable: false };
    // Edits are computed on the text a finding is shown in: neither a fix of the rendered text nor an annotation
    // for "the object" (a rendered document index) may be applied to a template.
    delete mapped.fix;
    delete mapped.resourcePointer;
    // A waiver written in the template reaches the rendered text; it is shown on the finding's template line.
    if (finding.suppressed) mapped.suppressed = { ...finding.suppressed, span: at.span, range: at.range };
    const related: RelatedLocation[] = [];
    for (const r of finding.related ?? []) {
      if (r.uri !== renderedUri) {
        related.push(r);
        continue;
      }
      const there = place(renderedLines.offsetAt(r.range.start), '');
      if (there) related.push({ uri: chart.uriOf(there.template), range: there.range, message: r.message });
    }
    if (at.line && at.templateInfo) {
      for (const path of valuesReferences(at.templateInfo.rawLines, at.line, at.walkedEnd ?? at.line.line + 1)) {
        // The last values file that sets the key is the one that counts.
        for (const values of [...valuesOutlines].reverse()) {
          const doc = values.documents[0];
          const hit = doc ? walkOutline(doc, '/' + path.join('/')) : undefined;
          if (!hit?.complete || !hit.line) continue;
          const l = hit.line;
          const start = l.offset + l.keyColumn;
          related.push({ uri: values.uri, range: { start: values.lines.positionAt(start), end: values.lines.positionAt(l.offset + l.keyEnd) }, message: `Value from .Values.${path.join('.')}` });
          break;
        }
      }
    }
    if (related.length > 0) mapped.related = related;
    else delete mapped.related;
    out.push({ uri: chart.uriOf(at.template), template: at.template, finding: mapped });
  }
  return out;
}

function spanRange(template: TemplateInfo, start: number, end: number): { range: Range; span: { start: number; end: number } } {
  return { span: { start, end }, range: template.lines.rangeOf({ start, end }) };
}

function firstLineEnd(text: string): number {
  const end = text.indexOf('\n');
  return end < 0 ? text.length : end;
}

const VALUES_REFERENCE = /\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g;

/** `.Values.a.b` references on the line, or, when the line opens a block, in the directives of that block. */
function valuesReferences(lines: readonly string[], line: OutlineLine, blockEndLine: number): string[][] {
  const scanned = [line.text];
  // `{{- with .Values.x }}` right above the key fills it too.
  for (let n = line.line - 1; n >= 0 && /^\s*(\{\{.*\}\}\s*)+$/.test(lines[n] as string); n--) scanned.push(lines[n] as string);
  const column = line.keyColumn >= 0 ? line.keyColumn : line.dash;
  for (let n = line.line + 1; n < Math.min(blockEndLine, lines.length); n++) {
    const l = lines[n] as string;
    if (!/^\s*(\{\{.*\}\}\s*)+$/.test(l)) continue;
    // The block ends at `{{- end }}`, and a `with`/`if` at the key's indentation opens the next key's block.
    if (/\{\{-?\s*(end|else)\b/.test(l) || (l.length - l.trimStart().length <= column && /\{\{-?\s*(with|if|range)\b/.test(l))) break;
    scanned.push(l);
  }
  const paths = new Map<string, string[]>();
  for (const l of scanned) {
    VALUES_REFERENCE.lastIndex = 0;
    for (let m = VALUES_REFERENCE.exec(l); m; m = VALUES_REFERENCE.exec(l)) {
      const path = (m[1] as string).slice(1).split('.');
      paths.set(path.join('.'), path);
    }
  }
  return [...paths.values()].slice(0, 3);
}

/** A problem helm reported, placed on a chart file (chart-relative path) and zero-based line. */
export interface HelmProblem {
  kind: 'template' | 'dependencies' | 'values' | 'other';
  file: string;
  line: number;
  message: string;
  /** For a values problem: the values key it names. */
  valuesPath?: string[];
}

/**
 * helm's stderr as problems on the chart's files: template errors at their line, missing dependencies on
 * Chart.yaml, values that fail the chart's schema on the values key. Anything else: on Chart.yaml.
 */
export function helmProblems(stderr: string): HelmProblem[] {
  const text = stderr.replace(/\r/g, '').trim();
  const message = text.replace(/^Error:\s*/m, '').trim();
  const problems: HelmProblem[] = [];
  // helm 3/4: `parse error at (chart/templates/x.yaml:12): ...` and `template: chart/templates/x.yaml:12:5: executing ...`.
  const located = /(?:parse error at \(|template: )([^\s():]+\.(?:ya?ml|tpl|txt|json)):(\d+)(?::\d+)?\)?:?\s*(.*)/.exec(message);
  if (located) {
    problems.push({ kind: 'template', file: chartRelative(located[1] as string), line: Math.max(0, Number(located[2]) - 1), message: firstLine(message) });
    return problems;
  }
  const yaml = /YAML parse error on ([^\s:]+):\s*(.*)/.exec(message);
  if (yaml) {
    problems.push({ kind: 'template', file: chartRelative(yaml[1] as string), line: 0, message: `The rendered output of this template is not valid YAML: ${firstLine(yaml[2] as string)}` });
    return problems;
  }
  const missing = /found in Chart\.yaml, but missing in charts\/ directory: (.+)/.exec(message);
  if (missing || /dependenc(y|ies)/i.test(message) && /missing|not found|out of sync/i.test(message)) {
    problems.push({
      kind: 'dependencies', file: 'Chart.yaml', line: 0,
      message: `The chart's dependencies are not in charts/${missing ? ` (missing: ${(missing[1] as string).trim()})` : ''}, so it cannot be rendered. Run \`helm dependency build\` in the chart folder.`,
    });
    return problems;
  }
  if (/values don't meet the specifications of the schema/.test(message)) {
    const found = [...message.matchAll(/^- at '([^']*)': (.*)$/gm)];
    for (const m of found) {
      const path = (m[1] as string).split('/').filter((s) => s !== '');
      problems.push({ kind: 'values', file: 'values.yaml', line: 0, message: `The values do not meet the chart's values.schema.json at ${m[1] === '' ? 'the root' : m[1]}: ${m[2]}`, valuesPath: path });
    }
    if (found.length > 0) return problems;
  }
  problems.push({ kind: 'other', file: 'Chart.yaml', line: 0, message: `helm template failed: ${firstLine(message) || 'no output'}` });
  return problems;
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').trim();
}

/** The zero-based line of a values key (its deepest literal key), for a values problem. */
export function valuesKeyLine(valuesText: string, path: readonly string[]): number {
  const doc = outline(valuesText)[0];
  if (!doc || path.length === 0) return 0;
  const walked = walkOutline(doc, '/' + path.join('/'));
  return walked.line?.line ?? 0;
}

/** The zero-based line of Chart.yaml's `dependencies:` key (0 if absent). */
export function dependenciesLine(chartYaml: string): number {
  const doc = outline(chartYaml)[0];
  return doc ? walkOutline(doc, '/dependencies').line?.line ?? 0 : 0;
}
