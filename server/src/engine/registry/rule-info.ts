/** One description of every finding id (built-ins and rule modules) for `kgov rules`, SARIF and the docs. */
import { BUILTINS, UMBRELLAS } from './builtins';
import { docsUrl } from './docs';
import { PRESET_NAMES, PRESETS } from '../config/presets';
import { RULES } from '../rules';
import { aliasList, type ChecklistGroup } from '../rule';
import type { Severity } from '../types';

export interface RuleInfo {
  id: string;
  category: string;
  defaultSeverity: Severity;
  summary: string;
  rationale: string;
  url: string;
  fixable: boolean;
  /** Preset name -> severity in that preset. */
  presets: Record<string, Severity>;
  aliases: { polaris?: string[]; kubeLinter?: string[]; kubeScore?: string[]; pss?: string[] };
  checklist?: ChecklistGroup | false;
  options?: object;
}

/** Built-in finding ids whose findings may carry a fix (typo renames, quoting, apiVersion upgrades). */
const FIXABLE_BUILTINS = new Set(['schema/unknown-field', 'schema/enum', 'schema/type', 'api/deprecated', 'api/removed']);

export function allRuleInfo(): RuleInfo[] {
  const builtins: RuleInfo[] = [...BUILTINS, ...UMBRELLAS].map((b) => ({
    id: b.id, category: b.family === 'api' ? 'metadata' : b.family, defaultSeverity: b.defaultSeverity, summary: b.summary,
    rationale: b.rationale, url: docsUrl(b.id), fixable: FIXABLE_BUILTINS.has(b.id) || b.covers !== undefined,
    presets: Object.fromEntries(PRESET_NAMES.map((p) => [p, b.defaultSeverity])), aliases: b.aliases ?? {},
  }));
  const rules: RuleInfo[] = Object.values(RULES).map(({ meta }) => {
    const presets: Record<string, Severity> = { all: meta.defaultSeverity };
    for (const [name, entries] of Object.entries(PRESETS)) {
      const entry = entries[meta.id];
      if (entry) presets[name] = entry === 'default' ? meta.defaultSeverity : entry;
    }
    const aliases: RuleInfo['aliases'] = {};
    for (const tool of ['polaris', 'kubeLinter', 'kubeScore', 'pss'] as const) {
      const list = aliasList(meta.aliases?.[tool]);
      if (list.length > 0) aliases[tool] = list;
    }
    return {
      id: meta.id, category: meta.category, defaultSeverity: meta.defaultSeverity, summary: meta.docs.summary, rationale: meta.docs.rationale,
      url: meta.docs.url, fixable: meta.fixable === true, presets, aliases, checklist: meta.checklist, ...(meta.options ? { options: meta.options } : {}),
    };
  });
  return [...builtins, ...rules].sort((a, b) => a.id.localeCompare(b.id));
}
