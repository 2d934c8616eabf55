/**
 * The user's kubeconfig, read the way kubectl reads it: the files of `KUBECONFIG` (merged, the first file to
 * define a name wins, the first `current-context` wins), else `~/.kube/config`. Reading is local; nothing here
 * talks to a cluster. Unlike KubeConfig.loadFromDefault(), there is no fallback to in-cluster credentials or to
 * http://localhost:8080: without a kubeconfig, kgov says so and contacts nothing.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { ClusterError } from './errors';
import { Redactor } from './redact';

export interface LoadedKubeconfig {
  /** The files read, in order. */
  paths: string[];
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext?: string;
}

export interface ContextInfo {
  name: string;
  cluster: string;
  /** The API server URL (without user-info). */
  server: string;
  namespace: string;
  user: string;
  current: boolean;
  /** Authenticates by running a command (an exec credential plugin): needs a trusted workspace. */
  runsCommand: boolean;
}

/** The files kubectl would read. */
export function kubeconfigPaths(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string[] {
  const list = env.KUBECONFIG;
  if (list !== undefined && list.trim() !== '') return list.split(delimiter).filter((p) => p.trim() !== '');
  return [join(home, '.kube', 'config')];
}

export function loadKubeconfig(paths: readonly string[] = kubeconfigPaths()): LoadedKubeconfig {
  const existing = paths.filter((p) => existsSync(p));
  if (existing.length === 0) {
    throw new ClusterError('config', paths.length === 1
      ? `No kubeconfig at ${paths[0]}; set KUBECONFIG or create one (e.g. with your cloud's "get-credentials" command).`
      : `None of the KUBECONFIG files exist (${paths.join(', ')}).`);
  }
  const merged: LoadedKubeconfig = { paths: existing, clusters: [], users: [], contexts: [] };
  for (const path of existing) {
    const part = new KubeConfig();
    try {
      part.loadFromFile(path);
    } catch (error) {
      // The parser's message names the entry; it never echoes credential values.
      throw new ClusterError('config', `Cannot read the kubeconfig ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const add = <T extends { name: string }>(into: T[], items: readonly T[] | undefined) => {
      for (const item of items ?? []) if (!into.some((x) => x.name === item.name)) into.push(item);
    };
    add(merged.clusters, part.getClusters());
    add(merged.users, part.getUsers());
    add(merged.contexts, part.getContexts());
    const current = part.getCurrentContext();
    if (merged.currentContext === undefined && typeof current === 'string' && current !== '') merged.currentContext = current;
  }
  return merged;
}

/** The command a user's credentials run, if any (exec plugins, and auth providers that shell out). */
export function credentialCommand(user: User | undefined): string | undefined {
  if (!user) return undefined;
  const exec = user.exec as { command?: unknown } | undefined;
  if (exec) return typeof exec.command === 'string' ? exec.command : '(exec plugin)';
  const provider = user.authProvider as { name?: string; config?: Record<string, unknown> } | undefined;
  if (!provider) return undefined;
  const config = provider.config ?? {};
  if (provider.name === 'exec' || config.exec !== undefined) return String((config.exec as { command?: unknown } | undefined)?.command ?? '(exec auth provider)');
  if (typeof config['cmd-path'] === 'string') return config['cmd-path'];
  return undefined;
}

function stripUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

export function listContexts(config: LoadedKubeconfig): ContextInfo[] {
  return config.contexts.map((c) => {
    const cluster = config.clusters.find((x) => x.name === c.cluster);
    const user = config.users.find((x) => x.name === c.user);
    return {
      name: c.name, cluster: c.cluster, server: stripUserInfo(cluster?.server ?? ''), namespace: c.namespace || 'default', user: c.user,
      current: c.name === config.currentContext, runsCommand: credentialCommand(user) !== undefined,
    };
  });
}

export interface SelectedContext {
  info: ContextInfo;
  /** A KubeConfig whose current context is the selected one (client-node applies its credentials and TLS settings). */
  kubeConfig: KubeConfig;
  /** Knows the user's secrets: every message about this context passes through it. */
  redactor: Redactor;
}

/**
 * Picks a context (`name`, else the current one) and checks that kgov may use its credentials: a credential
 * plugin is a program from the kubeconfig, run only when `allowCommands` (a trusted workspace, or the CLI).
 */
export function selectContext(config: LoadedKubeconfig, name: string | undefined, allowCommands: boolean): SelectedContext {
  const wanted = name || config.currentContext;
  if (!wanted) {
    throw new ClusterError('config', `The kubeconfig (${config.paths.join(', ')}) has no current context; pick one with "kgov: Select Cluster Context" or --context.`);
  }
  const info = listContexts(config).find((c) => c.name === wanted);
  if (!info) {
    const names = config.contexts.map((c) => c.name);
    throw new ClusterError('config', `No context named "${wanted}" in ${config.paths.join(', ')}${names.length ? ` (contexts: ${names.join(', ')})` : ''}.`);
  }
  const cluster = config.clusters.find((c) => c.name === info.cluster);
  if (!cluster?.server) throw new ClusterError('config', `Context "${wanted}" names cluster "${info.cluster}", which the kubeconfig does not define (or has no server).`);
  const user = config.users.find((u) => u.name === info.user);
  const command = credentialCommand(user);
  const provider = user?.authProvider as { name?: string; config?: Record<string, unknown> } | undefined;
  if (provider && typeof provider.config?.['cmd-path'] === 'string') {
    // client-node runs these with execSync and no time limit: one slow gcloud call would freeze the server.
    throw new ClusterError('credentials', `Context "${wanted}" uses the legacy "${provider.name ?? 'auth-provider'}" auth provider with cmd-path, which kgov does not run; switch the user to an exec credential plugin (e.g. gke-gcloud-auth-plugin or kubelogin).`);
  }
  if (command !== undefined && !allowCommands) {
    throw new ClusterError('untrusted-exec', `Context "${wanted}" authenticates by running "${command}" (an exec credential plugin); kgov runs it only in a trusted workspace.`);
  }
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({ clusters: config.clusters, users: config.users, contexts: config.contexts, currentContext: wanted });
  return { info, kubeConfig, redactor: redactorFor(user, cluster.server) };
}

function redactorFor(user: User | undefined, server: string): Redactor {
  const redactor = new Redactor();
  const userInfo = /^[a-z][a-z0-9+.-]*:\/\/([^/@]*)@/i.exec(server)?.[1];
  if (userInfo) redactor.add(userInfo);
  if (!user) return redactor;
  for (const value of [user.token, user.password, user.keyData, user.certData]) redactor.add(value);
  const provider = user.authProvider as { config?: Record<string, unknown> } | undefined;
  for (const value of Object.values(provider?.config ?? {})) redactor.add(value);
  const exec = user.exec as { env?: Array<{ value?: unknown }> } | undefined;
  for (const entry of exec?.env ?? []) redactor.add(entry?.value);
  return redactor;
}
