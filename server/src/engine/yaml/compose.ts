/**
 * Builds plain JSON values straight from the `yaml` package's CST, with the source span of every key and
 * value kept beside each collection (under the LOC symbol). This skips the `yaml` Composer's node objects,
 * which costs a third of parsing time, while `CST.resolveAsScalar` keeps scalar semantics identical.
 *
 * The fast path checks the token shapes a well-formed document has. Anything unusual marks the document
 * `suspicious`, and parse.ts then asks the `yaml` Composer for the authoritative syntax errors.
 */
import { CST } from 'yaml';
import type { Span } from '../types';
import { CollectionLocation, LOC, type Located } from './location';
import { keyString, resolvePlain, resolveTagged, type Scalar } from './scalars';

export interface YamlProblem {
  ruleId: 'yaml/syntax' | 'yaml/duplicate-key' | 'yaml/alias-limit' | 'yaml/invalid-key' | 'yaml/too-deep' | 'yaml/lenient-indentation';
  message: string;
  span: Span;
}

export interface KgovComment {
  text: string;
  span: Span;
}

export interface ComposedDocument {
  value: unknown;
  /** Span of the document's root value (empty span at the document start when there is none). */
  valueSpan: Span;
  problems: YamlProblem[];
  /** A shape the fast path does not vouch for: the `yaml` Composer must confirm there is no syntax error. */
  suspicious: boolean;
  /** Expansion blew past the alias budget: the value is incomplete and must not be validated. */
  aliasBombed: boolean;
  /** Collections nest deeper than MAX_DEPTH: what lies below is left out, and the document is not validated. */
  tooDeep: boolean;
  /** `# kgov-...` comments (suppression directives). */
  comments: KgovComment[];
}

type Token = CST.Token;
type SourceToken = CST.SourceToken;

/** Nodes that aliases may add to one document before it is treated as an alias bomb. */
export const ALIAS_EXPANSION_LIMIT = 100_000;
/**
 * Collections nested deeper than this are not composed, so that the parts of kgov that recurse once per level
 * (this composer, the `yaml` Composer, CRD schema compilation) stay far inside the stack: documents this deep
 * are checked with a quarter of Node's default stack (test/robustness). Real manifests nest at most 38 levels
 * (5,235 documents of the bench corpus and test/corpus); Kubernetes' decoder stops at 10,000.
 */
export const MAX_DEPTH = 200;

export function tooDeepMessage(): string {
  return `Collections nest more than ${MAX_DEPTH} levels deep here, far more than any manifest (generated or hostile input?); kgov does not validate this document.`;
}
const MAX_IMPLICIT_KEY_LENGTH = 1024;
const BAD_PLAIN_START = new Set(['\t', ',', '%', '|', '>', '@', '`']);
const ANCHOR_NAME = /^[0-9A-Za-z_-]+$/;

/** What one mapping's keys went through, for duplicates (sets made only when needed: most mappings need none). */
interface KeyRecord {
  /** Written keys whose value is empty (left out of the value). */
  empty?: Set<string>;
  /** Keys that only a `<<` merge gave. */
  merged?: Set<string>;
}

interface Anchor {
  value: unknown;
  size: number;
  /** Collection levels inside the value: an alias nests them where it is used. */
  height: number;
}

interface Props {
  anchor?: string;
  tag?: string;
  /** A line break between the anchor or tag and the node (not allowed before an implicit key). */
  newlineAfterProp?: true;
}

class DocumentComposer {
  readonly problems: YamlProblem[] = [];
  readonly comments: KgovComment[] = [];
  suspicious = false;
  aliasBombed = false;
  tooDeep = false;
  /** Collections open around the node being composed. */
  private depth = 0;
  private readonly anchors = new Map<string, Anchor>();
  private aliasExpansion = 0;
  /** Span, expanded size and height of the node composed last (saves allocating a result object per node). */
  private start = 0;
  private end = 0;
  private size = 0;
  private height = 0;
  private aliased = false;

  private readonly onScalarError = (): void => {
    this.suspicious = true;
  };

  compose(doc: CST.Document): ComposedDocument {
    const props = this.props(doc.start, 'doc-start');
    this.checkEnd(doc.end, true);
    let value: unknown = null;
    let valueSpan: Span;
    if (doc.value) {
      if ((doc.value.type === 'block-map' || doc.value.type === 'block-seq') && !doc.start.some((t) => t.type === 'newline')
        && doc.start.some((t) => t.type === 'doc-start')) {
        this.suspicious = true;
      }
      value = this.node(doc.value, props);
      valueSpan = { start: this.start, end: this.end };
    } else {
      const at = endOf(doc.start, doc.offset);
      valueSpan = { start: at, end: at };
    }
    return {
      value, valueSpan, problems: this.problems, suspicious: this.suspicious,
      aliasBombed: this.aliasBombed, tooDeep: this.tooDeep, comments: this.comments,
    };
  }

  /** Reads the anchor and tag in a token run, checking the run has the shape a valid document has. */
  private props(tokens: SourceToken[] | undefined, indicator: SourceToken['type'] | undefined): Props {
    const props: Props = {};
    if (!tokens) return props;
    let found = false;
    let needsSpace = false;
    let hasSpace = true;
    for (const token of tokens) {
      if (needsSpace && token.type !== 'space' && token.type !== 'newline' && token.type !== 'comma') this.suspicious = true;
      needsSpace = false;
      switch (token.type) {
        case 'space':
          if (token.source.includes('\t')) this.suspicious = true;
          hasSpace = true;
          break;
        case 'byte-order-mark':
          break;
        case 'newline':
          hasSpace = true;
          if (props.anchor !== undefined || props.tag !== undefined) props.newlineAfterProp = true;
          break;
        case 'comment':
          if (!hasSpace) this.suspicious = true;
          this.comment(token);
          break;
        case 'anchor':
          if (props.anchor !== undefined) this.suspicious = true;
          this.checkAnchorName(token);
          props.anchor = token.source.slice(1);
          needsSpace = true;
          hasSpace = false;
          break;
        case 'tag':
          if (props.tag !== undefined) this.suspicious = true;
          props.tag = token.source;
          needsSpace = true;
          hasSpace = false;
          break;
        default:
          if (token.type === indicator && !found && props.anchor === undefined && props.tag === undefined) {
            found = true;
            hasSpace = false;
          } else {
            this.suspicious = true;
          }
      }
    }
    if (needsSpace) this.suspicious = true;
    return props;
  }

  /** Tokens after a node (or, with `atDocumentEnd`, after a document): only space and comments belong there. */
  private checkEnd(tokens: SourceToken[] | undefined, atDocumentEnd = false): void {
    if (!tokens) return;
    let hasSpace = atDocumentEnd;
    for (const token of tokens) {
      if (token.type === 'space' || token.type === 'newline') hasSpace = true;
      else if (token.type === 'comment') {
        if (!hasSpace) this.suspicious = true;
        this.comment(token);
      } else this.suspicious = true;
    }
  }

  private comment(token: SourceToken): void {
    if (token.source.includes('kgov-')) {
      this.comments.push({ text: token.source, span: { start: token.offset, end: token.offset + token.source.length } });
    }
  }

  /** A syntax error the `yaml` package lets through but go-yaml (kubectl) does not. */
  private syntax(message: string, span: Span): void {
    this.problems.push({ ruleId: 'yaml/syntax', message, span });
  }

  /** go-yaml (libyaml) allows only letters, digits, `-` and `_` in anchor and alias names. */
  private checkAnchorName(token: SourceToken | CST.FlowScalar): boolean {
    if (ANCHOR_NAME.test(token.source.slice(1))) return true;
    const what = token.source[0] === '&' ? 'An anchor' : 'An alias';
    this.syntax(`${what} name may only hold letters, digits, "-" and "_" (kubectl: "did not find expected alphabetic or numeric character").`,
      { start: token.offset, end: token.offset + token.source.length });
    return false;
  }

  /** An anchor on an empty value (`key: &a` or `- &a`). */
  private registerEmpty(props: Props): void {
    this.size = 1;
    this.height = 0;
    this.register(props, null);
  }

  private register(props: Props, value: unknown): void {
    if (props.anchor !== undefined) this.anchors.set(props.anchor, { value, size: this.size, height: this.height });
  }

  /** Composes one node; leaves its span in this.start/this.end and its expanded size in this.size. */
  private node(token: Token, props: Props): unknown {
    this.aliased = false;
    let value: unknown;
    if (this.depth >= MAX_DEPTH && (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection')) return this.tooDeepAt(token);
    switch (token.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar':
        value = this.scalar(token, props);
        break;
      case 'alias':
        return this.alias(token, props);
      case 'block-map':
        value = this.blockMap(token);
        break;
      case 'block-seq':
        value = this.blockSeq(token);
        break;
      case 'flow-collection':
        value = this.flowCollection(token);
        break;
      default:
        this.suspicious = true;
        this.start = this.end = token.offset;
        this.size = 1;
        this.height = 0;
        value = null;
    }
    if (props.tag !== undefined && typeof value === 'object' && value !== null) {
      const wantsMap = props.tag === '!!map' || props.tag === '!!omap' || props.tag === '!!set';
      if ((wantsMap && Array.isArray(value)) || (props.tag === '!!seq' && !Array.isArray(value))) this.suspicious = true;
    }
    this.register(props, value);
    return value;
  }

  private scalar(token: CST.FlowScalar | CST.BlockScalar, props: Props): Scalar {
    let text: string;
    if (token.type === 'scalar' && !token.source.includes('\n')) {
      text = token.source;
      if (text.length > 0 && BAD_PLAIN_START.has(text[0] as string)) this.suspicious = true;
      this.start = token.offset;
      this.end = token.offset + text.length;
    } else {
      const resolved = CST.resolveAsScalar(token, true, this.onScalarError);
      text = resolved.value;
      if (token.type === 'block-scalar') {
        // At the end of a file without a final line break there is no break to keep (libyaml, go-yaml).
        if (!token.source.endsWith('\n') && text.endsWith('\n')) text = text.slice(0, -1);
        this.start = token.offset;
        this.end = endOf(token.props as SourceToken[], token.offset) + trimmedLength(token.source);
      } else {
        this.start = token.offset;
        this.end = token.offset + token.source.length;
      }
    }
    if (token.type !== 'block-scalar') this.checkEnd(token.end);
    else for (const p of token.props) if (p.type === 'comment') this.comment(p as SourceToken);
    this.size = 1;
    this.height = 0;
    if (props.tag !== undefined && props.tag !== '!') return resolveTagged(props.tag, text);
    return token.type === 'scalar' && props.tag === undefined ? resolvePlain(text) : text;
  }

  /** A collection past MAX_DEPTH: reported once, composed as null (its span is its first character). */
  private tooDeepAt(token: Token): null {
    this.start = token.offset;
    this.end = token.offset + 1;
    this.size = 1;
    this.height = 0;
    if (!this.tooDeep) {
      this.tooDeep = true;
      this.problems.push({
        ruleId: 'yaml/too-deep',
        message: tooDeepMessage(),
        span: { start: this.start, end: this.end },
      });
    }
    return null;
  }

  private alias(token: CST.FlowScalar, props: Props): unknown {
    if (props.anchor !== undefined || props.tag !== undefined) this.suspicious = true;
    this.checkEnd(token.end);
    this.start = token.offset;
    this.end = token.offset + token.source.length;
    const name = token.source.slice(1);
    const anchor = this.checkAnchorName(token) ? this.anchors.get(name) : undefined;
    if (!anchor) {
      // An alias inside the node its anchor names (`&a [*a]`) is not defined yet either: go-yaml refuses both.
      if (ANCHOR_NAME.test(name)) this.syntax(`The alias *${name} refers to no anchor &${name} before it in this document (kubectl: "unknown anchor '${name}' referenced").`, { start: this.start, end: this.end });
      this.size = 1;
      this.height = 0;
      return null;
    }
    // The value the alias stands for nests where the alias is: `&a [[...]]` used inside `&b [[... *a]]` adds up.
    if (this.depth + anchor.height > MAX_DEPTH) return this.tooDeepAt(token);
    this.aliasExpansion += anchor.size;
    if (this.aliasExpansion > ALIAS_EXPANSION_LIMIT && !this.aliasBombed) {
      this.aliasBombed = true;
      this.problems.push({
        ruleId: 'yaml/alias-limit',
        message: `Aliases expand this document past ${ALIAS_EXPANSION_LIMIT.toLocaleString('en')} nodes (an alias bomb?); it is not validated.`,
        span: { start: this.start, end: this.end },
      });
    }
    this.size = anchor.size;
    this.height = anchor.height;
    this.aliased = true;
    return anchor.value;
  }

  private blockMap(token: CST.BlockMap): Record<string, unknown> {
    const out: Record<string, unknown> & Located = {};
    const location = new CollectionLocation(token.offset, token.offset, []);
    const keys: KeyRecord = {};
    let size = 1;
    let height = 0;
    let end = token.offset;
    this.depth++;
    for (const item of token.items) {
      const explicit = item.explicitKey === true;
      const keyProps = this.props(item.start, 'explicit-key-ind');
      const { key, sep, value } = item;
      if (!key && !sep) {
        // Comments (or stray properties) between entries.
        if (keyProps.anchor !== undefined || keyProps.tag !== undefined || value) this.suspicious = true;
        continue;
      }
      if (!explicit && key) {
        if (key.type === 'block-seq' || key.type === 'block-map' || key.type === 'block-scalar') this.suspicious = true;
        else if ('indent' in key && key.indent !== token.indent) this.suspicious = true;
        if (spansLines(key) || keyProps.newlineAfterProp) this.suspicious = true;
      } else if (explicit) {
        const indicator = item.start.find((t) => t.type === 'explicit-key-ind');
        if (indicator?.indent !== token.indent) this.suspicious = true;
      }
      const valueProps = this.props(sep, 'map-value-ind');
      const hasIndicator = sep?.some((t) => t.type === 'map-value-ind') === true;
      if (!hasIndicator && !explicit) this.suspicious = true;
      // `? key` followed by a value without its `:` (the `yaml` package lets it pass).
      if (explicit && value && !hasIndicator) this.syntax('A value after an explicit key ("? ") needs a ":" before it (kubectl: "did not find expected key").', { start: value.offset, end: value.offset + 1 });
      if (!explicit && value?.type === 'block-map' && !hasNewline(sep)) this.suspicious = true;
      if (!explicit && key && endOf(sep, 0) > 0 && (sep?.[0]?.offset ?? 0) - key.offset > MAX_IMPLICIT_KEY_LENGTH) this.suspicious = true;

      const keyAt = key ? this.keySpan(key) : { start: endOf(item.start, token.offset), end: endOf(item.start, token.offset) };
      const keyless = !key && !explicit && this.missingKey(sep, keyAt.start);
      const rawKey = key ? this.node(key, keyProps) : null;
      const keyText = this.keyText(rawKey, keyAt, key, !keyless);
      size += this.size;
      height = Math.max(height, this.height);

      let entryValue: unknown = null;
      let valueStart: number;
      let valueEnd: number;
      let aliased = false;
      if (value) {
        entryValue = this.node(value, valueProps);
        valueStart = this.start;
        valueEnd = this.end;
        aliased = this.aliased;
        size += this.size;
        height = Math.max(height, this.height);
      } else {
        valueStart = valueEnd = endOfIndicator(sep, keyAt.end);
        this.registerEmpty(valueProps);
      }
      end = Math.max(end, valueEnd, keyAt.end);
      if (keyText === undefined) continue;
      if (keyText === '<<' && key?.type === 'scalar' && keyProps.tag === undefined) {
        this.merge(out, location, keys, entryValue, { start: valueStart, end: valueEnd });
        continue;
      }
      this.setEntry(out, location, keys, keyText, keyAt, entryValue, valueStart, valueEnd, aliased);
    }
    this.depth--;
    location.end = end;
    out[LOC] = location;
    this.start = token.offset;
    this.end = end;
    this.size = size;
    this.height = height + 1;
    this.aliased = false;
    return out;
  }

  /**
   * One written entry of a mapping. A key written twice is reported; a key that only a `<<` merge gave is
   * replaced silently. A null value leaves the key out, as the API server does.
   */
  private setEntry(out: Record<string, unknown>, location: CollectionLocation, keys: KeyRecord, key: string, keyAt: Span,
    value: unknown, valueStart: number, valueEnd: number, aliased: boolean): void {
    if ((Object.hasOwn(out, key) && keys.merged?.has(key) !== true) || keys.empty?.has(key) === true) {
      this.duplicate(key, keyAt, out[key] ?? null, value);
    }
    keys.merged?.delete(key);
    (location.keys as string[]).push(key);
    location.push(keyAt.start, keyAt.end, valueStart, valueEnd, aliased);
    if (value === null) {
      delete out[key];
      (keys.empty ??= new Set()).add(key);
    } else {
      setKey(out, key, value);
    }
  }

  /**
   * `<<: *base` or `<<: [*a, *b]`, as go-yaml (kubectl) applies it: where it stands, so the merged keys replace keys
   * written before it and keys written after replace them; earlier sources of a list win over later ones.
   */
  private merge(out: Record<string, unknown>, location: CollectionLocation, keys: KeyRecord, source: unknown, at: Span): void {
    const sources = Array.isArray(source) ? source : [source];
    for (let i = sources.length - 1; i >= 0; i--) {
      const from = sources[i];
      if (typeof from !== 'object' || from === null || Array.isArray(from)) {
        this.suspicious = true;
        continue;
      }
      for (const [key, value] of Object.entries(from)) {
        if (!Object.hasOwn(out, key) && keys.empty?.has(key) !== true) (keys.merged ??= new Set()).add(key);
        (location.keys as string[]).push(key);
        location.push(-1, -1, at.start, at.end, true);
        setKey(out, key, value);
      }
    }
  }

  private keySpan(key: Token): Span {
    if (key.type === 'scalar' || key.type === 'single-quoted-scalar' || key.type === 'double-quoted-scalar' || key.type === 'alias') {
      return { start: key.offset, end: key.offset + key.source.length };
    }
    return { start: key.offset, end: key.offset + 1 };
  }

  /** What kubectl really does with it (test/real-tools/kubectl-duplicates.test.ts): the last one wins. */
  private duplicate(key: string, at: Span, before: unknown, after: unknown): void {
    const same = before === after || (typeof before === 'number' && Number.isNaN(before) && Number.isNaN(after));
    this.problems.push({
      ruleId: 'yaml/duplicate-key',
      message: same
        ? `Duplicate key "${key}" with the same value: kubectl keeps one copy, but kustomize (kubectl apply -k) rejects the file.`
        : `Duplicate key "${key}": kubectl applies only the last one and silently drops the earlier value; kustomize (kubectl apply -k) rejects the file.`,
      span: at,
    });
  }

  /** `: value` with neither a key nor `?` before it: YAML 1.2 reads an empty key, go-yaml a syntax error. */
  private missingKey(sep: SourceToken[] | undefined, fallback: number): true {
    const indicator = sep?.find((t) => t.type === 'map-value-ind');
    const at = indicator ? indicator.offset : fallback;
    this.syntax('A value without a key before its ":" (kubectl: "did not find expected key").', { start: at, end: at + 1 });
    return true;
  }

  /** The key as the JSON the API server receives holds it; `report`: say so when it cannot be one. */
  private keyText(raw: unknown, span: Span, key: Token | null | undefined, report = true): string | undefined {
    const text = typeof raw === 'object' && raw !== null ? undefined : keyString(raw as Scalar);
    if (text === undefined && report) {
      const what = raw === null ? 'An empty (null) key' : 'A collection used as a key';
      this.problems.push({
        ruleId: 'yaml/invalid-key',
        message: `${what} cannot be converted to JSON; the API server rejects it.`,
        span: key ? span : { start: span.start, end: span.start + 1 },
      });
    }
    return text;
  }

  private blockSeq(token: CST.BlockSequence): unknown[] {
    const out: unknown[] & Located = [];
    const location = new CollectionLocation(token.offset, token.offset, undefined);
    let size = 1;
    let height = 0;
    let end = token.offset;
    this.depth++;
    for (const item of token.items) {
      const hasIndicator = item.start.some((t) => t.type === 'seq-item-ind');
      const props = this.props(item.start, 'seq-item-ind');
      if (!hasIndicator) {
        if (props.anchor !== undefined || props.tag !== undefined || item.value) this.suspicious = true;
        continue;
      }
      const indicator = item.start.find((t) => t.type === 'seq-item-ind');
      if (indicator && indicator.indent !== token.indent) this.suspicious = true;
      if (item.value) {
        out.push(this.node(item.value, props));
        location.push(-1, -1, this.start, this.end, this.aliased);
        size += this.size;
        height = Math.max(height, this.height);
        end = Math.max(end, this.end);
      } else {
        const at = endOf(item.start, token.offset);
        out.push(null);
        location.push(-1, -1, at, at, false);
        this.registerEmpty(props);
        end = Math.max(end, at);
      }
    }
    this.depth--;
    location.end = end;
    out[LOC] = location;
    this.start = token.offset;
    this.end = end;
    this.size = size;
    this.height = height + 1;
    this.aliased = false;
    return out;
  }

  private flowCollection(token: CST.FlowCollection): unknown {
    const isMap = token.start.source === '{';
    const close = isMap ? 'flow-map-end' : 'flow-seq-end';
    if (token.end[0]?.type !== close) this.suspicious = true;
    this.checkEnd(token.end.slice(1));
    const closeToken = token.end[0];
    const end = closeToken ? closeToken.offset + closeToken.source.length : endOfItems(token);
    // Multi-line flow collections (JSON manifests) have indentation rules the fast path does not check.
    if (!this.suspicious && spansLines(token)) this.suspicious = true;
    const location = new CollectionLocation(token.offset, end, isMap ? [] : undefined);
    const outMap: Record<string, unknown> & Located = {};
    const outSeq: unknown[] & Located = [];
    const keys: KeyRecord = {};
    let size = 1;
    let height = 0;
    this.depth++;
    token.items.forEach((item, index) => {
      const commas = item.start.filter((t) => t.type === 'comma').length;
      if (commas !== (index === 0 ? 0 : 1)) this.suspicious = true;
      const keyProps = this.props(item.start, index === 0 ? 'explicit-key-ind' : 'comma');
      const pair = item.key !== undefined || item.sep !== undefined;
      if (!pair && !item.value && keyProps.anchor === undefined && keyProps.tag === undefined) {
        // Only space or comments (`{ }`, `[ # none\n ]`) or a trailing comma (`{a: 1, }`): no entry at all.
        if (index !== token.items.length - 1) this.suspicious = true;
        return;
      }
      if (!isMap && !pair) {
        if (!item.value) {
          this.suspicious = true;
          return;
        }
        outSeq.push(this.node(item.value, keyProps));
        location.push(-1, -1, this.start, this.end, this.aliased);
        size += this.size;
        height = Math.max(height, this.height);
        return;
      }
      // `[a: b]`: the pair is a map of its own, one level deeper.
      const nested = isMap ? 0 : 1;
      this.depth += nested;
      const valueProps = this.props(item.sep, 'map-value-ind');
      if (!item.sep?.some((t) => t.type === 'map-value-ind')) this.suspicious = true;
      const keyAt = item.key ? this.keySpan(item.key) : { start: token.offset, end: token.offset };
      const keyless = !item.key && !item.start.some((t) => t.type === 'explicit-key-ind') && this.missingKey(item.sep, keyAt.start);
      const rawKey = item.key ? this.node(item.key, keyProps) : null;
      const keyText = this.keyText(rawKey, keyAt, item.key, !keyless);
      size += this.size;
      height = Math.max(height, this.height + nested);
      let value: unknown = null;
      let valueStart: number;
      let valueEnd: number;
      let aliased = false;
      if (item.value) {
        value = this.node(item.value, valueProps);
        valueStart = this.start;
        valueEnd = this.end;
        aliased = this.aliased;
        size += this.size;
        height = Math.max(height, this.height + nested);
      } else {
        valueStart = valueEnd = endOfIndicator(item.sep, keyAt.end);
      }
      this.depth -= nested;
      if (keyText === undefined) return;
      if (isMap) {
        if (keyText === '<<' && item.key?.type === 'scalar' && keyProps.tag === undefined) this.merge(outMap, location, keys, value, { start: valueStart, end: valueEnd });
        else this.setEntry(outMap, location, keys, keyText, keyAt, value, valueStart, valueEnd, aliased);
      } else {
        // `[a: b]` is a sequence holding a single-pair map.
        const single: Record<string, unknown> & Located = value === null ? {} : { [keyText]: value };
        const pair = new CollectionLocation(keyAt.start, valueEnd, [keyText]);
        pair.push(keyAt.start, keyAt.end, valueStart, valueEnd, aliased);
        single[LOC] = pair;
        outSeq.push(single);
        location.push(-1, -1, keyAt.start, valueEnd, false);
      }
    });
    this.depth--;
    this.start = token.offset;
    this.end = end;
    this.size = size;
    this.height = height + 1;
    this.aliased = false;
    if (isMap) {
      outMap[LOC] = location;
      return outMap;
    }
    outSeq[LOC] = location;
    return outSeq;
  }
}

/**
 * Sets a mapping key as an own property. `__proto__` written in YAML is a key like any other: assigned with `=`,
 * it would replace the object's prototype, hiding the key from validation and showing its contents to rules as
 * inherited properties (a `metadata.__proto__.annotations` waiver the API server never sees).
 */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Length of `text` without trailing white space (a regex here is quadratic on large block scalars). */
function trimmedLength(text: string): number {
  let end = text.length;
  while (end > 0) {
    const c = text.charCodeAt(end - 1);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
    end--;
  }
  return end;
}

function endOf(tokens: SourceToken[] | undefined, fallback: number): number {
  const last = tokens?.[tokens.length - 1];
  return last ? last.offset + last.source.length : fallback;
}

function endOfIndicator(tokens: SourceToken[] | undefined, fallback: number): number {
  const indicator = tokens?.find((t) => t.type === 'map-value-ind');
  return indicator ? indicator.offset + 1 : fallback;
}

function endOfItems(token: CST.FlowCollection): number {
  let end = token.start.offset + 1;
  for (const item of token.items) {
    for (const t of [...item.start, ...(item.sep ?? [])]) end = Math.max(end, t.offset + t.source.length);
    const v = item.value ?? item.key;
    if (v && 'source' in v && typeof v.source === 'string') end = Math.max(end, v.offset + v.source.length);
  }
  return end;
}

function hasNewline(tokens: SourceToken[] | undefined): boolean {
  return tokens?.some((t) => t.type === 'newline') === true;
}

/**
 * Does this token's own text cross a line break (not counting trailing newlines)? Iterative, and it looks at most
 * MAX_DEPTH levels down: anything deeper is too deep anyway, and counts as spanning lines (suspicious).
 */
function spansLines(root: Token): boolean {
  const pending: Array<[Token, number]> = [[root, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [token, depth] = next;
    if (depth > MAX_DEPTH) return true;
    switch (token.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'alias':
        if (token.source.includes('\n')) return true;
        break;
      case 'flow-collection':
        if (token.end.findIndex((t) => t.type === 'newline') === 0) return true;
        for (const item of token.items) {
          if (hasNewline(item.start) || hasNewline(item.sep)) return true;
          if (item.key != null) pending.push([item.key, depth + 1]);
          if (item.value !== undefined) pending.push([item.value, depth + 1]);
        }
        break;
      case 'block-scalar':
      case 'block-map':
      case 'block-seq':
        return true;
      default:
    }
  }
  return false;
}

export function composeDocument(doc: CST.Document): ComposedDocument {
  return new DocumentComposer().compose(doc);
}
