/** Hover: field documentation like `kubectl explain`, from the schema of the selected Kubernetes version or the CRD. */
import type { Engine } from '../engine';
import { fieldAt, valuesAt } from '../schema/navigate';
import type { Span } from '../types';
import type { Workspace } from '../workspace';
import { locateOffset, resourceOf, sourceFor } from './cursor';

export interface Hover {
  /** Markdown. */
  contents: string;
  span: Span;
}


export function hover(engine: Engine, uri: string, text: string, offset: number, workspace?: Workspace): Hover | undefined {
  const file = engine.analyze(uri, text);
  const located = locateOffset(file.documents, offset);
  if (!located) return undefined;
  const owner = resourceOf(located.doc, located.path, file.resources);
  if (!owner || owner.rest.length === 0) return undefined;
  const source = sourceFor(engine, owner.resource, workspace);
  if (!source) return undefined;
  const field = fieldAt(source, owner.rest);
  if (!field) return undefined;
  const lines = [`**${field.name}** \`${field.type}\`${field.required ? ' (required)' : ''}`, '', `${owner.resource.kind} · ${owner.rest.filter((s) => !/^\d+$/.test(s)).join('.')} · ${source.label}`];
  if (field.description) lines.push('', field.description);
  const values = valuesAt(source, owner.rest);
  if (values.length > 0 && values.length <= 20 && !(values.length === 2 && values[0] === 'true')) lines.push('', `Allowed values: ${values.map((v) => `\`${v}\``).join(', ')}`);
  return { contents: lines.join('\n'), span: located.span };
}

/**
 * The path of the mapping a cursor is in, from indentation alone (the line being typed may not parse yet):
 * each earlier line indented less than the current level is a parent (`- ` items count as index 0).
 */
