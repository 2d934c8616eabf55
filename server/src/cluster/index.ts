/**
 * The cluster features' entry point. Adapters load it with `await import('../cluster')` only when cluster
 * features are on, so @kubernetes/client-node is not even evaluated otherwise.
 */
export { ClusterError } from './errors';
export { dryRunFile, DRY_RUN_RULE, DRY_RUN_WARNING_RULE, type DryRunResult } from './dry-run';
export { validationFacts, type ValidationFacts } from './facts';
export { kubeconfigPaths, listContexts, loadKubeconfig, selectContext, type ContextInfo } from './kubeconfig';
export { liveItems } from './live';
export { redactPatterns } from './redact';
export { ClusterSession, type ClusterFacts, type SessionOptions } from './session';
