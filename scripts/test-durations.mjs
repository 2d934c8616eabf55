// A node:test reporter that prints, after the run, each test file's duration (the sum of its top-level tests and
// suites; loading the file is not counted), slowest first. scripts/test.mjs adds it beside the spec reporter.
import { relative } from 'node:path';

export default async function* durations(source) {
  const perFile = new Map();
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      const file = relative(process.cwd(), event.data.file);
      perFile.set(file, (perFile.get(file) ?? 0) + (event.data.details?.duration_ms ?? 0));
    }
  }
  if (perFile.size === 0) return;
  const rows = [...perFile].sort((a, b) => b[1] - a[1]);
  yield `\n# durations per file (sum of top-level tests):\n${rows.map(([file, ms]) => `#   ${(ms / 1000).toFixed(1).padStart(6)}s  ${file}`).join('\n')}\n`;
}
