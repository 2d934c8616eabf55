/** The `kgov` command: parses arguments, runs a command, and maps every outcome to an exit code (0/1/2). */
import { readFileSync, writeFileSync } from 'node:fs';
import { allRuleInfo, SchemaCatalog, scorecardHtml } from '../engine';
import { schemasDir } from '../host/paths';
import { HELP, parseArgs, UsageError, type AuditArgs } from './args';
import { audit, ConfigError } from './audit';
import { ClusterUnavailableError } from './cluster';
import { formatMarkdown } from './format-markdown';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import { fails, toJson, TOOL } from './report';
import { formatCatalog, formatRules } from './rules';

export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
  entry: string;
  color: boolean;
}

export const processIo = (entry: string): Io => ({
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => readFileSync(0, 'utf8'),
  entry,
  color: process.stdout.isTTY === true && !process.env.NO_COLOR,
});

async function runAudit(args: AuditArgs, io: Io): Promise<number> {
  const report = await audit(args, io);
  const output = args.format === 'json' ? `${JSON.stringify(toJson(report), null, 2)}\n`
    : args.format === 'sarif' ? formatSarif(report, allRuleInfo(), io.cwd)
      : args.format === 'markdown' ? formatMarkdown(report)
        : args.format === 'html' && report.scorecard ? scorecardHtml(report.scorecard, {
          displayPath: (path) => report.files.find((f) => f.path === path)?.display ?? path, generatedBy: `${TOOL.name} ${TOOL.version}`,
          ...(report.baseline ? { baseline: report.baseline } : {}),
        }).html
          : formatText(report, io.color && !args.output);
  if (args.output) writeFileSync(args.output, output);
  else io.stdout(output);
  return fails(report, args.failOn) ? 1 : 0;
}

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const args = parseArgs(argv);
    switch (args.command) {
      case 'help':
        io.stdout(HELP);
        return 0;
      case 'version':
        io.stdout(`${TOOL.name} ${TOOL.version}\n`);
        return 0;
      case 'rules':
        io.stdout(args.catalog ? formatCatalog(new SchemaCatalog(schemasDir()).crds.contents(), args.format) : formatRules(allRuleInfo(), args.format));
        return 0;
      case 'audit':
        return await runAudit(args, io);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const f of error.findings) io.stderr(`${error.path}:${f.range.start.line + 1}:${f.range.start.character + 1} error ${f.ruleId} ${f.message}\n`);
      io.stderr(`kgov: the configuration is invalid; nothing was audited.\n`);
      return 2;
    }
    if (error instanceof ClusterUnavailableError) {
      io.stderr(`kgov: --context: ${error.message}\nNo report was written.\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr(`kgov: ${error.message}\nRun "kgov --help" for usage.\n`);
      return 2;
    }
    // Never a stack trace for the user; the message says what failed.
    io.stderr(`kgov: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}
