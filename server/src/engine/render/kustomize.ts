/**
 * kustomize's rendered output back to the files: each resource carries a `config.kubernetes.io/origin` annotation
 * (asked for through a wrapper kustomization with `buildMetadata: [originAnnotations]`) naming the file it came
 * from. The annotations are taken out before the output is checked, and findings go to that file and key, or to
 * the patch that wrote the key. Pure: host/render.ts runs kustomize.
 */
import { LineIndex } from '../util/line-index';
import type { Finding } from '../types';
import { outline, walkOutline, type OutlineDocument } from './outline';

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';

/** Where one rendered resource came from: a file (`path`) or a generator configured in a kustomization. */
export interface Origin {
  /** As kustomize wrote it: relative to the wrapper kustomization's folder. */
  path?: string;
  configuredIn?: string;
  /** The generator's kind (ConfigMapGenerator, ...). */
  configuredBy?: string;
}

export interface KustomizeSection {
  start: number;
  end: number;
  origin?: Origin;
  kind?: string;
  name?: string;
}

/**
 * Removes the origin annotations from kustomize's output (an `annotations:` left empty goes too) and returns the
 * cleaned text with, per document, where it came from.
 */
export function stripOrigins(rendered: string): { text: string; sections: KustomizeSection[] } {
  const out: string[] = [];
  const sections: KustomizeSection[] = [];
  let current: KustomizeSection = { start: 0, end: 0 };
  let offset = 0;
  const lines = rendered.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^---\s*$/.test(line)) {
      current.end = offset;
      sections.push(current);
      out.push(line);
      offset += line.length + 1;
      current = { start: offset, end: offset };
      continue;
    }
    const annotation = /^(\s*)config\.kubernetes\.io\/origin:\s*\|-?\s*$/.exec(line);
    if (annotation) {
      const indent = (annotation[1] as string).length;
      const origin: Origin = {};
      let j = i + 1;
      for (; j < lines.length; j++) {
        const l = lines[j] as string;
        if (l.trim() !== '' && l.length - l.trimStart().length <= indent) break;
        const m = /^\s*(path|configuredIn|kind):\s*(.+?)\s*$/.exec(l);
        if (m?.[1] === 'path') origin.path = m[2];
        else if (m?.[1] === 'configuredIn') origin.configuredIn = m[2];
        else if (m?.[1] === 'kind') origin.configuredBy = m[2];
      }
      current.origin = origin;
      // `annotations:` with nothing else under it goes too.
      const previous = out[out.length - 1];
      const next = lines[j];
      const emptied = previous !== undefined && /^\s*annotations:\s*$/.test(previous) && (next === undefined || next.length - next.trimStart().length < indent);
      if (emptied) {
        out.pop();
        offset -= previous.length + 1;
      }
      i = j - 1;
      continue;
    }
    const kind = /^kind:\s*(\S+)/.exec(line);
    if (kind) current.kind = kind[1];
    const name = /^ {2}name:\s*(\S+)/.exec(line);
    if (name && current.name === undefined) current.name = name[1];
    out.push(line);
    offset += line.length + 1;
  }
  current.end = offset;
  sections.push(current);
  return { text: out.join('\n'), sections: sections.filter((s) => s.end > s.start) };
}

/** A file kustomize read: a resource, a patch or a kustomization, by URI (resolved by the host). */
export interface KustomizeFile {
  uri: string;
  text: string;
}

export interface KustomizeTexts {
  /** The origin's path (as in the annotation) -> the file, when it could be read. */
  fileOf(originPath: string): KustomizeFile | undefined;
  /** Patch files of the overlay and its bases: a key a patch writes is shown there. */
  patches: readonly KustomizeFile[];
}

export interface MappedKustomizeFinding {
  uri: string;
  finding: Finding;
}

/** Puts findings on the cleaned output onto the resource files (or patches) they came from. */
export function mapKustomizeFindings(sections: readonly KustomizeSection[], findings: readonly Finding[], texts: KustomizeTexts): MappedKustomizeFinding[] {
  const outlines = new Map<string, { lines: LineIndex; documents: OutlineDocument[] }>();
  const outlineOf = (file: KustomizeFile) => {
    let o = outlines.get(file.uri);
    if (!o) outlines.set(file.uri, (o = { lines: new LineIndex(file.text), documents: outline(file.text) }));
    return o;
  };
  const out: MappedKustomizeFinding[] = [];
  for (const finding of findings) {
    const section = sections.find((s) => finding.span.start >= s.start && finding.span.start < s.end);
    const originPath = section?.origin?.path ?? section?.origin?.configuredIn;
    const file = originPath ? texts.fileOf(originPath) : undefined;
    if (!section || !file) continue;
    const pointer = finding.pointer === '' ? '/metadata/name' : finding.pointer;
    const candidates: Array<{ file: KustomizeFile; documents: OutlineDocument[] }> = [];
    // A patch for the same kind and (unprefixed) name that writes the key wins over the base resource.
    for (const patch of texts.patches) {
      const docs = outlineOf(patch).documents.filter((d) => matches(d, section));
      if (docs.length > 0) candidates.push({ file: patch, documents: docs });
    }
    const own = section.origin?.path ? outlineOf(file).documents.filter((d) => matches(d, section)) : [];
    let best: { file: KustomizeFile; line: number; from: number; to: number; depth: number } | undefined;
    for (const c of [{ file, documents: own.length > 0 ? own : outlineOf(file).documents.slice(0, 1) }, ...candidates]) {
      for (const doc of c.documents) {
        const walked = walkOutline(doc, section.origin?.path ? pointer : generatorPointer(section));
        const l = walked.line;
        if (!l) continue;
        const depth = walked.complete ? 1000 : depthOf(doc, l.line);
        // Patches count only when they write the key itself.
        if (c.file !== file && !walked.complete) continue;
        if (!best || depth > best.depth) best = { file: c.file, line: l.line, from: l.offset + Math.max(0, l.keyColumn), to: l.offset + (l.keyColumn >= 0 ? l.keyEnd : l.text.length), depth };
      }
    }
    const target = best?.file ?? file;
    const lines = outlineOf(target).lines;
    const span = best ? { start: best.from, end: best.to } : { start: 0, end: Math.max(1, target.text.indexOf('\n')) };
    const mapped: Finding = { ...finding, span, range: lines.rangeOf(span), fixable: false };
    // Fixes and "ignore for this object" name the built document, not this file's.
    delete mapped.fix;
    delete mapped.resourcePointer;
    if (finding.suppressed) mapped.suppressed = { ...finding.suppressed, span, range: mapped.range };
    delete mapped.related;
    out.push({ uri: target.uri, finding: mapped });
  }
  return out;
}

function generatorPointer(section: KustomizeSection): string {
  return section.origin?.configuredBy === 'SecretGenerator' ? '/secretGenerator' : section.origin?.configuredBy === 'ConfigMapGenerator' ? '/configMapGenerator' : '';
}

function depthOf(doc: OutlineDocument, line: number): number {
  const l = doc.lines.find((x) => x.line === line);
  return l ? Math.max(l.keyColumn, l.dash) + 1 : 0;
}

/** Is `doc` the same object as the rendered one: same kind, and a written name inside the rendered one. */
function matches(doc: OutlineDocument, section: KustomizeSection): boolean {
  const valueOf = (pointer: string) => {
    const l = walkOutline(doc, pointer).line;
    return l && walkOutline(doc, pointer).complete ? l.text.slice(l.valueStart, l.valueEnd).replace(/^["']|["']$/g, '') : undefined;
  };
  const kind = valueOf('/kind');
  const name = valueOf('/metadata/name');
  if (section.kind && kind !== section.kind) return false;
  // namePrefix/nameSuffix change the name; the written name is inside the rendered one.
  return name === undefined || section.name === undefined || section.name.includes(name);
}
