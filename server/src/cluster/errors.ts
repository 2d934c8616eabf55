/**
 * Everything that can go wrong between kgov and a cluster, as one error type with a kind and a message a
 * person can act on. Raw errors (Node's network and TLS codes, abort reasons, HTTP statuses) are classified
 * here, in one place, so the status item, the output channel and the CLI all say the same thing.
 */

export type ClusterErrorKind =
  /** No kubeconfig, an unreadable one, or no such context. */
  | 'config'
  /** The user runs a credential plugin and the workspace is not trusted. */
  | 'untrusted-exec'
  /** The credential plugin failed. */
  | 'credentials'
  | 'unreachable'
  | 'tls'
  | 'timeout'
  | 'cancelled'
  | 'unauthorized'
  | 'forbidden'
  /** Another HTTP error (its Status message says what). */
  | 'http';

/** Failures that say "the cluster cannot be used right now": further requests wait for the back-off. */
const CONNECTION_KINDS: ReadonlySet<ClusterErrorKind> = new Set(['credentials', 'unreachable', 'tls', 'timeout', 'unauthorized']);

export class ClusterError extends Error {
  constructor(readonly kind: ClusterErrorKind, message: string, readonly httpStatus?: number) {
    super(message);
    this.name = 'ClusterError';
  }

  /** Is the cluster unusable (as opposed to one request being refused)? */
  get isConnectionFailure(): boolean {
    return CONNECTION_KINDS.has(this.kind);
  }
}

/** A Kubernetes `Status` object (the body of every API error). */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: Array<{ reason?: string; message?: string; field?: string }>;
  };
}

/** The Status in an error response body, if it is one. */
export function parseStatus(body: string): KubeStatus | undefined {
  try {
    const value = JSON.parse(body) as unknown;
    if (typeof value === 'object' && value !== null && (value as KubeStatus).kind === 'Status') return value as KubeStatus;
  } catch {
    // not JSON: a proxy's HTML page, "404 page not found", ...
  }
  return undefined;
}

const UNREACHABLE_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed',
};

const TLS_CODES: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is not signed by the certificate authority of the kubeconfig',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate is not signed by the certificate authority of the kubeconfig',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is not signed by the certificate authority of the kubeconfig',
  UNABLE_TO_GET_ISSUER_CERT: 'its certificate is not signed by the certificate authority of the kubeconfig',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it presents a self-signed certificate the kubeconfig does not trust',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
  CERT_SIGNATURE_FAILURE: 'its certificate signature is invalid',
  EPROTO: 'the TLS handshake failed',
};

export interface Where {
  context: string;
  server: string;
  /** "GET /version", for timeouts. */
  request?: string;
  timeoutMs?: number;
}

/** Turns whatever a request threw into a ClusterError (already-classified errors pass through). */
export function classify(error: unknown, where: Where): ClusterError {
  if (error instanceof ClusterError) return error;
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string; name?: string } };
  const code = err?.code ?? err?.cause?.code;
  const at = `the cluster of context "${where.context}" (${where.server})`;
  if (err?.name === 'TimeoutError' || err?.cause?.name === 'TimeoutError') {
    return new ClusterError('timeout', `${capitalize(at)} did not answer ${where.request ?? 'a request'} within ${seconds(where.timeoutMs)}; the API server is slow or unreachable.`);
  }
  if (err?.name === 'AbortError' || code === 'ABORT_ERR') return new ClusterError('cancelled', 'Cancelled.');
  if (code && code in TLS_CODES) {
    return new ClusterError('tls', `TLS error with ${at}: ${TLS_CODES[code]} (${code}). Check certificate-authority in the kubeconfig, or that the context points at the right server.`);
  }
  if (code && /^ERR_SSL_|^ERR_TLS_/.test(code)) {
    return new ClusterError('tls', `TLS error with ${at}: ${code}.`);
  }
  if (code && code in UNREACHABLE_CODES) {
    return new ClusterError('unreachable', `Cannot reach ${at}: ${UNREACHABLE_CODES[code]} (${code}). Is the cluster running, and the VPN or tunnel up?`);
  }
  return new ClusterError('unreachable', `Cannot talk to ${at}: ${err?.message ?? String(error)}`);
}

/** The error for a non-2xx answer. 401 and 403 get their own kinds; the Status message is kept (it names the verb and resource). */
export function httpError(status: number, body: string, where: Where): ClusterError {
  const parsed = parseStatus(body);
  const message = parsed?.message ?? (body.trim().slice(0, 200) || `HTTP ${status}`);
  if (status === 401) {
    return new ClusterError('unauthorized',
      `The cluster of context "${where.context}" rejected the credentials (401 Unauthorized): the token or client certificate is expired or invalid. Log in again (refresh the kubeconfig), then run "kgov: Refresh Cluster Data".`, 401);
  }
  if (status === 403) {
    return new ClusterError('forbidden', `Forbidden by the cluster's RBAC (403) for context "${where.context}": ${message}`, 403);
  }
  return new ClusterError('http', `${where.request ?? 'The request'} failed with HTTP ${status}${parsed?.reason ? ` ${parsed.reason}` : ''}: ${message}`, status);
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? 'the time limit' : `${(ms / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
