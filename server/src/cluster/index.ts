/**
 * The cluster features' entry point: adapters load it through load.ts, only when cluster features are on
 * (bundled, it is server/out/cluster.js), so @kubernetes/client-node is not even parsed otherwise.
 */
export { ClusterError } from './errors';
export { dryRunFile, DRY_RUN_RULE, DRY_RUN_WARNING_RULE, type DryRunResult } from './dry-run';
export { validationFacts, type ValidationFacts } from './facts';
export { kubeconfigPaths, listContexts, loadKubeconfig, selectContext, type ContextInfo } from './kubeconfig';
export { liveItems } from './live';
export { redactPatterns } from './redact';
export { ClusterSession, type ClusterFacts, type SessionOptions } from './session';
