/**
 * Baselined findings in the editor (docs/baselines.md): when `.kgov.yaml` names a baseline, the findings it
 * records are shown one severity lower and tagged, so new findings stand out and old ones stay visible.
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { fingerprintsOf, matchBaseline, type AnalyzedFile, type BaselineState, type Finding, type Project } from '../engine';
import { loadBaselineFile } from '../host/baseline';

/** Baseline problems already logged, so a missing file is reported once, not on every keystroke. */
const reported = new Set<string>();

/**
 * Per finding (same order): new, unchanged (recorded in the baseline), or undefined (waived, or no baseline).
 * `onProblem` hears once about a baseline that cannot be used; the findings then stay as they are.
 */
export function baselineStatesOf(project: Project, path: string, file: AnalyzedFile, findings: readonly Finding[],
  onProblem: (message: string) => void): Array<BaselineState | undefined> | undefined {
  const name = project.config.config.baseline;
  if (name === undefined || findings.length === 0) return undefined;
  const baselinePath = resolve(project.root, name);
  const loaded = loadBaselineFile(baselinePath);
  if ('error' in loaded) {
    if (!reported.has(loaded.error)) {
      reported.add(loaded.error);
      onProblem(`.kgov.yaml baseline: ${loaded.error}; findings are shown as usual`);
    }
    return undefined;
  }
  const relativePath = relative(dirname(baselinePath), path).split(sep).join('/');
  return matchBaseline(loaded.baseline, [{ path: relativePath, findings, fingerprints: fingerprintsOf(file, findings) }]).states[0];
}
