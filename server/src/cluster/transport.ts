/**
 * One HTTPS request to the API server, with the credentials and TLS settings client-node derives from the
 * kubeconfig (KubeConfig.applyToHTTPSOptions: CA, client certificates, bearer tokens, exec plugins, proxies).
 * Every request has a deadline (at most 5 s) that also covers the credential plugin, and can be cancelled;
 * network errors come back classified and with secrets masked. Raw JSON in and out: kgov compares what the
 * server stores with what the file says, so it must not go through the typed models (which drop and convert).
 */
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { classify, ClusterError } from './errors';
import type { Redactor } from './redact';

/** The upper bound the issue sets for any cluster call. */
export const MAX_TIMEOUT_MS = 5000;
/** CRD lists of big clusters run to tens of MB; anything past this is not an API answer kgov can use. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface RequestSpec {
  method: 'GET' | 'PATCH';
  /** Path below the server URL, e.g. "/version". */
  path: string;
  query?: Record<string, string>;
  body?: string;
  contentType?: string;
  signal?: AbortSignal;
}

export interface RawResponse {
  status: number;
  body: string;
  /** Texts of `Warning: 299 - "..."` headers (deprecations, PodSecurity "would violate" notes). */
  warnings: string[];
}

export class Transport {
  readonly timeoutMs: number;

  constructor(
    private readonly kubeConfig: KubeConfig,
    readonly context: string,
    readonly server: string,
    private readonly redactor: Redactor,
    timeoutMs: number = MAX_TIMEOUT_MS,
  ) {
    this.timeoutMs = Math.min(Math.max(1, timeoutMs), MAX_TIMEOUT_MS);
  }

  /** Sends the request; non-2xx answers are returned (callers decide), failures to get one are thrown as ClusterError. */
  async send(spec: RequestSpec): Promise<RawResponse> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = spec.signal ? AbortSignal.any([deadline, spec.signal]) : deadline;
    const where = { context: this.context, server: this.server, request: `${spec.method} ${spec.path}`, timeoutMs: this.timeoutMs };
    const fail = (error: unknown): ClusterError => {
      if (signal.aborted && !deadline.aborted) return new ClusterError('cancelled', 'Cancelled.');
      const classified = deadline.aborted ? classify(Object.assign(new Error('timeout'), { name: 'TimeoutError' }), where) : classify(error, where);
      return new ClusterError(classified.kind, this.redactor.redact(classified.message), classified.httpStatus);
    };
    if (signal.aborted) throw fail(signal.reason);
    try {
      return await new Promise<RawResponse>((resolve, reject) => {
        let request: ReturnType<typeof https.request> | undefined;
        const onAbort = () => {
          request?.destroy();
          reject(fail(signal.reason));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        const done = () => signal.removeEventListener('abort', onAbort);
        this.options().then((options) => {
          if (signal.aborted) return;
          const url = new URL(this.server.replace(/\/+$/, '') + spec.path);
          for (const [k, v] of Object.entries(spec.query ?? {})) url.searchParams.set(k, v);
          const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined), Accept: 'application/json', 'User-Agent': 'kgov' };
          if (spec.contentType) headers['Content-Type'] = spec.contentType;
          request = https.request(url, { ...options, method: spec.method, headers }, (response) => {
            const chunks: Buffer[] = [];
            let size = 0;
            response.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > MAX_BODY_BYTES) {
                response.destroy();
                done();
                reject(new ClusterError('http', `${spec.method} ${spec.path}: the answer is larger than ${MAX_BODY_BYTES / 1048576} MB`));
                return;
              }
              chunks.push(chunk);
            });
            response.on('end', () => {
              done();
              resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), warnings: warningsOf(response.headers.warning) });
            });
            response.on('error', (error) => {
              done();
              reject(fail(error));
            });
          });
          request.on('error', (error) => {
            done();
            reject(fail(error));
          });
          request.end(spec.body);
        }, (error: unknown) => {
          done();
          // A credential plugin that failed: its stderr may say why (and may echo secrets: masked).
          const text = error instanceof Error ? error.message : String(error);
          reject(new ClusterError('credentials', this.redactor.redact(`The credentials of context "${this.context}" could not be obtained: ${text.trim().split('\n').slice(0, 3).join(' ') || 'the credential plugin failed'}`)));
        });
      });
    } catch (error) {
      throw error instanceof ClusterError ? error : fail(error);
    }
  }

  /** TLS and auth options from the kubeconfig; the bearer token and keys they carry become known secrets. */
  private async options(): Promise<https.RequestOptions> {
    const options: https.RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(options);
    const headers = (options.headers ?? {}) as Record<string, unknown>;
    const authorization = headers.Authorization ?? headers.authorization;
    if (typeof authorization === 'string') this.redactor.add(authorization.replace(/^\S+\s+/, ''));
    for (const value of [options.key, options.cert]) this.redactor.add(Buffer.isBuffer(value) ? value.toString('utf8') : value);
    return options;
  }
}

/** `299 - "text"` entries of a Warning header (RFC 7234 format, as the API server sends them). */
export function warningsOf(header: string | string[] | undefined): string[] {
  const text = Array.isArray(header) ? header.join(', ') : header ?? '';
  const out: string[] = [];
  for (const match of text.matchAll(/\b299\s+\S+\s+"((?:[^"\\]|\\.)*)"/g)) out.push((match[1] ?? '').replace(/\\(.)/g, '$1'));
  return out;
}
