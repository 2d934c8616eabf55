/** Command-line parsing for `kgov` (no dependency: the grammar is small and the errors must be ours). */
import { availableParallelism } from 'node:os';
import { SEVERITIES, type Severity } from '../engine';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'markdown' | 'html';
export type FailOn = Severity | 'none';

export interface AuditArgs {
  command: 'audit';
  paths: string[];
  format: OutputFormat;
  kubernetesVersion?: string;
  preset?: string;
  /** --no-crd-catalog: validate custom resources only against the CRDs in the inputs (and the cluster's). */
  noCrdCatalog?: boolean;
  /** `--rule ID[=SEVERITY]`: no severity means the rule's default. */
  rules: Array<{ id: string; severity?: Severity | 'off' }>;
  config?: string;
  fix: boolean;
  dryRun: boolean;
  failOn: FailOn;
  jobs: number;
  context?: string;
  output?: string;
  /** --baseline FILE: report and fail only on findings not recorded in FILE (else .kgov.yaml's `baseline:`). */
  baseline?: string;
  /** --write-baseline FILE: record today's findings in FILE. */
  writeBaseline?: string;
  /** --helm PATH: the helm that renders charts (default: helm on PATH). */
  helm?: string;
  /** --kubectl PATH / --kustomize PATH: render kustomize folders with `kubectl kustomize` or `kustomize build`. */
  kubectl?: string;
  kustomize?: string;
  /** --no-render: read charts and overlays as plain files, as before rendering existed. */
  noRender?: boolean;
}

export interface RulesArgs {
  command: 'rules';
  format: 'text' | 'markdown' | 'json';
  /** List the custom kinds of kgov's CRD catalog instead of the rules. */
  catalog: boolean;
}

export type Args = AuditArgs | RulesArgs | { command: 'help' } | { command: 'version' };

export class UsageError extends Error {}

export const HELP = `kgov - Kubernetes manifest governance

Usage:
  kgov audit [paths...] [options]   Validate manifests (files, directories, or - for stdin)
  kgov rules [--format text|markdown|json]
                                    List every rule, with its presets and the peer checks it replaces
  kgov rules --catalog [--format text|markdown|json]
                                    List the custom kinds kgov validates offline (its CRD catalog)
  kgov --version | --help

Audit options:
  --format text|json|sarif|markdown|html
                                    Output format (default: text); markdown and html add the scorecard
  -o, --output FILE                 Write the report to FILE instead of stdout
  --kubernetes-version 1.NN         Target Kubernetes version (default: 1.34, or .kgov.yaml's)
  --preset NAME                     recommended | strict | all | pss-baseline | pss-restricted
                                    | polaris | kube-linter | kube-score (the peer's default checks)
  --no-crd-catalog                  Do not validate custom resources against kgov's bundled CRD schemas
  --rule ID[=SEVERITY]              Enable a rule (SEVERITY: error, warning, info or off); repeatable
  --config FILE                     Use FILE instead of the .kgov.yaml found above each audited file
  --fix                             Apply every available fix and write the files
  --dry-run                         With --fix: print the changes as a unified diff, write nothing
  --fail-on error|warning|info|none Exit 1 when a finding at or above this severity remains (default: error)
  --jobs N                          Worker threads (default: half the cores, at least 1)
  --context NAME                    Use cluster context NAME (version and CRDs from the cluster)
  --baseline FILE                   Report and fail only on findings not recorded in FILE
  --write-baseline FILE             Record today's findings in FILE (exit 0 unless the audit cannot run)
  --helm PATH                       Render Helm charts (folders with Chart.yaml) with this helm (default: helm on PATH)
  --kubectl PATH | --kustomize PATH Also render kustomize folders (kubectl kustomize / kustomize build)
  --no-render                       Do not render charts or kustomize folders

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or configuration error.
`;

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined || !(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} expects one of ${allowed.join(', ')}${value === undefined ? '' : `, not "${value}"`}`);
  }
  return value as T;
}

/**
 * Half the cores: an audit allocates heavily, and V8 already scavenges on a second thread, so one worker per
 * core slows the whole down. Measured on 2 vCPUs: --jobs 2 takes 1.2 to 1.4 times as long as --jobs 1.
 */
export function defaultJobs(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

export function parseArgs(argv: string[]): Args {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return { command: 'help' };
  if (argv.includes('--version') || argv.includes('-v') || argv[0] === 'version') return { command: 'version' };
  const [command, ...rest] = argv;
  if (command === 'rules') {
    let format: RulesArgs['format'] = 'text';
    let catalog = false;
    for (let i = 0; i < rest.length; i++) {
      const [flag, inline] = splitFlag(rest[i] as string);
      if (flag === '--format') format = oneOf('--format', inline ?? rest[++i], ['text', 'markdown', 'json'] as const);
      else if (flag === '--catalog') catalog = true;
      else throw new UsageError(`unknown option for "kgov rules": ${rest[i]}`);
    }
    return { command: 'rules', format, catalog };
  }
  if (command !== 'audit') throw new UsageError(`unknown command "${command}" (commands: audit, rules)`);
  const args: AuditArgs = {
    command: 'audit', paths: [], format: 'text', rules: [], fix: false, dryRun: false, failOn: 'error', jobs: defaultJobs(),
  };
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i] as string;
    if (token === '-' || !token.startsWith('-')) {
      args.paths.push(token);
      continue;
    }
    const [flag, inline] = splitFlag(token);
    const value = (): string => {
      const v = inline ?? rest[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': args.format = oneOf('--format', value(), ['text', 'json', 'sarif', 'markdown', 'html'] as const); break;
      case '--baseline': args.baseline = value(); break;
      case '--write-baseline': args.writeBaseline = value(); break;
      case '--helm': args.helm = value(); break;
      case '--kubectl': args.kubectl = value(); break;
      case '--kustomize': args.kustomize = value(); break;
      case '--no-render': args.noRender = true; break;
      case '-o':
      case '--output': args.output = value(); break;
      case '--kubernetes-version': args.kubernetesVersion = value(); break;
      case '--preset': args.preset = value(); break;
      case '--config': args.config = value(); break;
      case '--context': args.context = value(); break;
      case '--fail-on': args.failOn = oneOf('--fail-on', value(), [...SEVERITIES, 'none'] as const); break;
      case '--fix': args.fix = true; break;
      case '--no-crd-catalog': args.noCrdCatalog = true; break;
      case '--dry-run': args.dryRun = true; break;
      case '--jobs': {
        const jobs = Number(value());
        if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError('--jobs expects a whole number from 1 to 64');
        args.jobs = jobs;
        break;
      }
      case '--rule': {
        const spec = value();
        const [id, severity] = spec.split('=') as [string, string | undefined];
        if (!id) throw new UsageError(`--rule expects ID[=SEVERITY], not "${spec}"`);
        args.rules.push(severity === undefined ? { id } : { id, severity: oneOf(`--rule ${id}=`, severity, [...SEVERITIES, 'off'] as const) });
        break;
      }
      default:
        throw new UsageError(`unknown option: ${token}`);
    }
  }
  if (args.dryRun && !args.fix) throw new UsageError('--dry-run only makes sense with --fix');
  if (args.baseline !== undefined && args.writeBaseline !== undefined) throw new UsageError('--baseline and --write-baseline cannot be combined');
  if (args.paths.length === 0) args.paths.push('.');
  return args;
}

function splitFlag(token: string): [string, string | undefined] {
  const eq = token.indexOf('=');
  return token.startsWith('--') && eq > 0 ? [token.slice(0, eq), token.slice(eq + 1)] : [token, undefined];
}
