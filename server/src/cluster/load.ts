/**
 * Loads the cluster features on demand. The bundles keep them in a file of their own (server/out/cluster.js,
 * with @kubernetes/client-node inside): the language server and the CLI start without parsing it, and load it
 * only when cluster features are on or --context is given. From source (tests), this is a plain import.
 */
import type * as ClusterModule from './index';

export type ClusterModuleType = typeof ClusterModule;

let loaded: Promise<ClusterModuleType> | undefined;

export function loadCluster(): Promise<ClusterModuleType> {
  // scripts/build.mjs maps this specifier to ./cluster.js next to the bundle.
  loaded ??= import('./index');
  return loaded;
}
