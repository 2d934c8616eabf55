/** One description of every finding id (built-ins and rule modules) for `kgov rules`, SARIF and the docs. */
import { BUILTINS } from './builtins';
import { docsUrl } from './docs';
import type { Severity } from './types';

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
}

export function allRuleInfo(): RuleInfo[] {
  const builtins: RuleInfo[] = BUILTINS.map((b) => ({
    id: b.id, category: b.family === 'api' ? 'metadata' : 'schema', defaultSeverity: b.defaultSeverity, summary: b.summary,
    rationale: b.rationale, url: docsUrl(b.id), fixable: false, presets: {}, aliases: {},
  }));
  return builtins.sort((a, b) => a.id.localeCompare(b.id));
}
