/**
 * `kgov audit --context NAME`: the same cluster features as the editor. The cluster's version becomes the
 * target (unless --kubernetes-version or .kgov.yaml set one), its CRDs validate custom resources (after the
 * input set's own CRDs), and every resource gets a server-side apply dry run whose rejections are
 * `cluster/dry-run` findings. The CLI is run by the user on their own checkout: credential plugins run.
 * A cluster that cannot be used stops the audit with exit code 2 and the reason.
 */
import type { ClusterSession, ValidationFacts } from '../cluster';
import { loadCluster } from '../cluster/load';
import { type Engine, type Finding, spanOf } from '../engine';

/** The cluster could not be used: reported as `kgov: <message>`, exit code 2. */
export class ClusterUnavailableError extends Error {}

export interface CliCluster {
  facts: ValidationFacts;
  /** Dry-runs a file's resources; the findings, and a line per resource that was not checked. */
  dryRun(uri: string, text: string, engine: Engine): Promise<{ findings: Finding[]; notes: string[]; counts: Record<'accepted' | 'rejected' | 'skipped', number> }>;
  /** "context "x" (https://...): Kubernetes v1.30.4; 3 CustomResourceDefinitions". */
  summary: string;
}

export async function connectCluster(context: string, bundledVersions: readonly string[]): Promise<CliCluster> {
  // Loaded only for --context: without it, the CLI never evaluates the Kubernetes client.
  const cluster = await loadCluster();
  let session: ClusterSession;
  try {
    session = new cluster.ClusterSession(cluster.selectContext(cluster.loadKubeconfig(), context, true));
  } catch (error) {
    throw new ClusterUnavailableError(cluster.redactPatterns(error instanceof Error ? error.message : String(error)));
  }
  const unavailable = (error: unknown) => new ClusterUnavailableError(session.redact(error instanceof Error ? error.message : String(error)));
  let facts;
  try {
    facts = await session.facts();
  } catch (error) {
    throw unavailable(error);
  }
  const validation = cluster.validationFacts(facts, bundledVersions);
  const crds = `${validation.crds} CustomResourceDefinition${validation.crds === 1 ? '' : 's'}`;
  const summary = session.redact(`context "${session.context}" (${session.server}): Kubernetes ${facts.gitVersion}; ${crds}${validation.version.note ? `; ${validation.version.note}` : ''}${facts.crdProblem ? `; ${facts.crdProblem}` : ''}`);
  return {
    facts: validation,
    summary,
    async dryRun(uri, text, engine) {
      let result;
      try {
        result = await cluster.dryRunFile(session, engine.analyze(uri, text), { severityOf: (id) => engine.severityOf(id), spanOf });
      } catch (error) {
        throw unavailable(error);
      }
      const counts = { accepted: 0, rejected: 0, skipped: 0 };
      const notes: string[] = [];
      for (const d of result.documents) {
        counts[d.outcome]++;
        if (d.outcome === 'skipped') notes.push(session.redact(`${d.resource.kind ?? '?'} ${d.resource.name ?? '?'} (document ${d.docIndex + 1}) not dry-run: ${d.message}`));
      }
      for (const f of result.findings) f.message = session.redact(f.message);
      return { findings: result.findings, notes, counts };
    },
  };
}
