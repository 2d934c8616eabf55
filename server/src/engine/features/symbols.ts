/** Document symbols: one per resource, with its containers as children. */
import type { Engine } from '../engine';
import { CONTAINER_KINDS, podSpecOf } from '../lint/walk';
import { isJsonObject, type JsonObject, type Span } from '../types';
import { joinPointer } from '../util/pointer';
import { extentOf, spanOf } from '../yaml/locate';

export interface DocumentSymbol {
  name: string;
  detail: string;
  kind: 'resource' | 'container';
  span: Span;
  selection: Span;
  children: DocumentSymbol[];
}


export function documentSymbols(engine: Engine, uri: string, text: string): DocumentSymbol[] {
  const file = engine.analyze(uri, text);
  return file.resources.map((r) => {
    const shift = (span: Span): Span => ({ start: span.start + r.doc.base, end: span.end + r.doc.base });
    const whole = r.pointer === '' ? { start: r.doc.span.start, end: r.doc.span.end } : extentOf(r.doc, r.pointer);
    const name = `${r.kind ?? 'Resource'} ${r.name ?? '(unnamed)'}`;
    const children: DocumentSymbol[] = [];
    const pod = r.kind ? podSpecOf(r.kind, r.value) : undefined;
    if (pod) {
      for (const list of CONTAINER_KINDS) {
        const containers = pod.spec[list];
        if (!Array.isArray(containers)) continue;
        containers.forEach((c, index) => {
          if (!isJsonObject(c)) return;
          const pointer = joinPointer(r.pointer + pod.pointer, list, index);
          const extent = extentOf(r.doc, pointer);
          children.push({
            name: `${String((c as JsonObject).name ?? index)}`, detail: list === 'containers' ? 'container' : list.replace(/s$/, ''), kind: 'container',
            span: shift(extent), selection: shift(within(spanOf(r.doc, `${pointer}/name`, 'value'), extent)), children: [],
          });
        });
      }
    }
    return {
      name, detail: [r.apiVersion, r.namespace].filter(Boolean).join(' · '), kind: 'resource' as const,
      span: shift(whole), selection: shift(within(spanOf(r.doc, r.pointer, 'name'), whole)), children,
    };
  });
}

/** Clients reject a symbol whose selection is not inside its range: fall back to the range's start. */
function within(selection: Span, range: Span): Span {
  return selection.start >= range.start && selection.end <= range.end ? selection : { start: range.start, end: range.start };
}
