/**
 * The readiness report as one HTML document (docs/scorecard.md): the scorecard with inline SVG bars, upgrade
 * readiness, then namespaces and workloads with their scores and failing items. Self-contained: no external
 * asset, no script in the file `kgov audit --format html` writes; the editor's webview adds one inline script
 * (by nonce) that only posts the index of a clicked location. Text is escaped everywhere, so a manifest cannot
 * inject markup.
 */
import type { Range, Severity } from '../types';
import { dimensionsMet, DIMENSION_MEASURES, type Scorecard, type ScorecardDimensionResult, type WorkloadScore } from './scorecard';

export interface ReportLocation {
  uri: string;
  range: Range;
}

export interface ReportHtmlOptions {
  /** How a workload's or item's uri is shown (a path relative to the workspace). */
  displayPath: (uri: string) => string;
  /** E.g. "kgov 0.1.0". */
  generatedBy?: string;
  /** The baseline the findings were compared with, to say so under the title. */
  baseline?: { path: string; new: number; unchanged: number; fixed: number };
  /**
   * In a VS Code webview: locations become links that post `{ location: index }` (an index into the returned
   * `locations`), under a content security policy that admits only this nonce's style and script.
   */
  webview?: { nonce: string };
}

export interface ReportHtml {
  html: string;
  /** What each link points at, by index (webview only: empty otherwise). */
  locations: ReportLocation[];
}

const BAR_WIDTH = 160;
const SEVERITY_LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The mean of the workloads' checklist scores, rounded (100 for none). */
export function namespaceScore(workloads: readonly WorkloadScore[]): number {
  if (workloads.length === 0) return 100;
  return Math.round(workloads.reduce((n, w) => n + w.score, 0) / workloads.length);
}

function verdictOf(d: ScorecardDimensionResult): { label: string; css: string } {
  if (d.met === undefined) return { label: 'No data', css: 'none' };
  return d.met ? { label: 'Met', css: 'met' } : { label: 'Not met', css: 'missed' };
}

/** A horizontal bar: the share filled, the target as a tick. SVG attributes, not style attributes (the CSP forbids those). */
function bar(d: ScorecardDimensionResult): string {
  const filled = Math.round(((d.percent ?? 0) * BAR_WIDTH) / 100);
  const tick = Math.round((d.target * BAR_WIDTH) / 100);
  const label = d.percent === undefined ? 'no data' : `${d.percent}% (target ${d.target}%)`;
  return `<svg class="bar" width="${BAR_WIDTH + 2}" height="14" viewBox="0 0 ${BAR_WIDTH + 2} 14" role="img" aria-label="${escapeHtml(label)}">`
    + `<rect class="track" x="1" y="2" width="${BAR_WIDTH}" height="10" rx="2"/>`
    + (filled > 0 ? `<rect class="fill ${verdictOf(d).css}" x="1" y="2" width="${filled}" height="10" rx="2"/>` : '')
    + `<line class="target" x1="${tick + 1}" y1="0" x2="${tick + 1}" y2="14"/></svg>`;
}

const STYLE = `
body { font-family: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", sans-serif); color: var(--vscode-foreground, #1f2328);
  background: var(--vscode-editor-background, #fff); margin: 24px; line-height: 1.45; }
h1 { font-size: 1.5em; margin: 0 0 4px; } h2 { font-size: 1.2em; margin: 28px 0 8px; } h3 { font-size: 1.05em; margin: 18px 0 6px; }
.sub { opacity: .75; margin: 0 0 16px; }
table { border-collapse: collapse; margin: 4px 0 12px; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--vscode-panel-border, #d0d7de); vertical-align: top; }
th { font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.measure { display: block; font-size: .85em; opacity: .7; }
.bar .track { fill: var(--vscode-editorWidget-border, #e4e7eb); }
.bar .fill.met { fill: #2da44e; } .bar .fill.missed { fill: #cf222e; } .bar .fill.none { fill: #8c959f; }
.bar .target { stroke: var(--vscode-foreground, #1f2328); stroke-width: 2; }
.verdict { font-weight: 600; } .verdict.met { color: #1a7f37; } .verdict.missed { color: #cf222e; } .verdict.none { opacity: .7; }
.chip { display: inline-block; font-size: .8em; padding: 0 6px; margin: 0 4px 2px 0; border-radius: 8px; border: 1px solid currentColor; }
.chip.pass { color: #1a7f37; } .chip.fail { color: #cf222e; }
.sev-error { color: #cf222e; } .sev-warning { color: #9a6700; } .sev-info { color: #0969da; }
ul.items { margin: 2px 0 6px; padding-left: 20px; }
code { font-family: var(--vscode-editor-font-family, ui-monospace, SFMono-Regular, Menlo, monospace); font-size: .9em; }
a.loc { color: var(--vscode-textLink-foreground, #0969da); cursor: pointer; }
`;

/** Webview only: clicks on a location post its index; nothing else is read or sent. */
const SCRIPT = `
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-location]') : null;
  if (!link) return;
  event.preventDefault();
  vscode.postMessage({ location: Number(link.getAttribute('data-location')) });
});
`;

export function scorecardHtml(card: Scorecard, options: ReportHtmlOptions): ReportHtml {
  const locations: ReportLocation[] = [];
  const where = (uri: string, range: Range): string => {
    const text = `${escapeHtml(options.displayPath(uri))}:${range.start.line + 1}`;
    if (!options.webview) return `<code>${text}</code>`;
    locations.push({ uri, range });
    return `<a class="loc" href="#" data-location="${locations.length - 1}"><code>${text}</code></a>`;
  };
  const { met, measured } = dimensionsMet(card);
  const out: string[] = [];
  const csp = options.webview
    ? `default-src 'none'; style-src 'nonce-${options.webview.nonce}'; script-src 'nonce-${options.webview.nonce}'`
    : `default-src 'none'; style-src 'unsafe-inline'`;
  const nonce = options.webview ? ` nonce="${escapeHtml(options.webview.nonce)}"` : '';
  out.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">', '<title>kgov readiness report</title>',
    `<style${nonce}>${STYLE}</style>`, '</head>', '<body>');
  out.push('<h1>kgov readiness report</h1>');
  const workloads = card.workloads.length;
  out.push(`<p class="sub">Kubernetes ${escapeHtml(card.kubernetesVersion)} · ${workloads} ${workloads === 1 ? 'workload' : 'workloads'} · `
    + `<strong id="dimensions-met">${met} of ${measured} dimensions met</strong>${options.generatedBy ? ` · ${escapeHtml(options.generatedBy)}` : ''}</p>`);
  if (options.baseline) {
    const b = options.baseline;
    out.push(`<p class="sub">Baseline <code>${escapeHtml(b.path)}</code>: ${b.new} new, ${b.unchanged} baselined, ${b.fixed} fixed since it was written.</p>`);
  }

  out.push('<h2>Scorecard</h2>', '<table id="scorecard">', '<thead><tr><th>Dimension</th><th>Share</th><th class="num">Measured</th><th class="num">Target</th><th>Status</th></tr></thead>', '<tbody>');
  for (const d of card.dimensions) {
    const verdict = verdictOf(d);
    const measuredText = d.percent === undefined ? escapeHtml(d.note ?? 'no data') : `${d.percent}% <span class="measure">${d.passed} of ${d.total} ${d.unit}</span>`;
    out.push(`<tr data-dimension="${d.id}"><td>${escapeHtml(d.title)}<span class="measure">${escapeHtml(DIMENSION_MEASURES[d.id])}</span></td>`
      + `<td>${bar(d)}</td><td class="num">${measuredText}</td><td class="num">${d.target}%</td><td class="verdict ${verdict.css}">${verdict.label}</td></tr>`);
  }
  out.push('</tbody>', '</table>');

  if (card.upgrade) {
    out.push('<h2>Upgrade readiness</h2>');
    for (const next of card.upgrade.next) {
      if (!next.bundled) {
        out.push(`<h3>Kubernetes ${escapeHtml(next.version)}</h3>`, '<p class="sub">Not bundled with this kgov: unknown.</p>');
        continue;
      }
      out.push(`<h3>Kubernetes ${escapeHtml(next.version)}: ${next.removed.length === 0 ? 'nothing removed' : `${next.removed.length} no longer served`}</h3>`);
      if (next.removed.length === 0) continue;
      out.push('<ul class="items">');
      for (const r of next.removed) {
        const name = `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name ?? '(unnamed)'}`;
        const replacement = r.replacement ? ` (use <code>${escapeHtml(r.replacement)}</code>)` : '';
        out.push(`<li><code>${escapeHtml(r.apiVersion)}</code> ${escapeHtml(name)}${replacement} ${r.range ? where(r.uri, r.range) : `<code>${escapeHtml(options.displayPath(r.uri))}</code>`}</li>`);
      }
      out.push('</ul>');
    }
  }

  out.push('<h2>Workloads</h2>');
  if (workloads === 0) out.push('<p class="sub">No workloads in the audited files.</p>');
  const byNamespace = new Map<string, WorkloadScore[]>();
  for (const w of card.workloads) byNamespace.set(w.namespace, [...(byNamespace.get(w.namespace) ?? []), w]);
  for (const [namespace, list] of byNamespace) {
    out.push(`<h3 data-namespace="${escapeHtml(namespace)}">Namespace ${escapeHtml(namespace)} · score ${namespaceScore(list)}</h3>`);
    out.push('<table class="workloads">', '<thead><tr><th>Workload</th><th class="num">Score</th><th>Dimensions</th><th>Failing items</th></tr></thead>', '<tbody>');
    for (const w of list) {
      const workloadLink = where(w.uri, w.range);
      const chips = Object.entries(w.dimensions).map(([id, v]) => `<span class="chip ${v}">${escapeHtml(card.dimensions.find((d) => d.id === id)?.title ?? id)}</span>`).join('');
      const items = w.failing.length === 0 ? 'none' : `<ul class="items">${w.failing.map((item) => `<li><span class="sev-${item.severity}">${SEVERITY_LABEL[item.severity]}</span> `
        + `<code>${escapeHtml(item.ruleId)}</code> ${escapeHtml(item.message)} ${where(item.uri, item.range)}</li>`).join('')}</ul>`;
      out.push(`<tr><td>${escapeHtml(w.kind)} <strong>${escapeHtml(w.name)}</strong><span class="measure">${workloadLink}</span></td>`
        + `<td class="num">${w.score}</td><td>${chips}</td><td>${items}</td></tr>`);
    }
    out.push('</tbody>', '</table>');
  }
  if (options.webview) out.push(`<script${nonce}>${SCRIPT}</script>`);
  out.push('</body>', '</html>', '');
  return { html: out.join('\n'), locations };
}
