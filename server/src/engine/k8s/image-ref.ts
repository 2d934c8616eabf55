/**
 * Container image references, parsed the way the kubelet and container runtimes read them (the Docker
 * "distribution/reference" grammar with its normalisation, `ParseNormalizedNamed`):
 *
 *     [registry[:port]/]path[:tag][@digest]
 *
 * - The first path component is a registry only if it contains '.' or ':', is `localhost`, or has an uppercase
 *   letter; otherwise the registry is `docker.io` (and `index.docker.io` is the same registry).
 * - A Docker Hub name with a single component is an official image: `nginx` is `docker.io/library/nginx`.
 * - The tag follows the last ':' after the last '/'; the digest follows '@' (`sha256:` and 64 lowercase hex
 *   digits, or sha384/sha512 with their lengths).
 * - Path components are lowercase (`[a-z0-9]` separated by '.', '_', '__' or dashes); the whole name (registry
 *   and path) is at most 255 characters; a tag is at most 128 word characters, dots and dashes.
 */

export const DEFAULT_REGISTRY = 'docker.io';
const LEGACY_DEFAULT_REGISTRY = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
const NAME_MAX = 255;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const DIGEST_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
const IDENTIFIER = /^[a-f0-9]{64}$/;

export interface ImageReference {
  /** As written. */
  raw: string;
  /** Registry host with its port, normalised: `docker.io`, `ghcr.io`, `localhost:5000`. */
  registry: string;
  /** The reference names its registry (otherwise it is the `docker.io` default). */
  explicitRegistry: boolean;
  /** Repository path inside the registry: `library/nginx`, `acme/team/web`. */
  path: string;
  /** Fully qualified repository: `docker.io/library/nginx`. */
  name: string;
  /** `1.27`, absent when not written (the runtime then pulls `latest`, unless there is a digest). */
  tag?: string;
  /** `sha256:<64 hex>`. */
  digest?: string;
}

export type ImageParseResult = { ok: true; ref: ImageReference } | { ok: false; error: string };

function fail(error: string): ImageParseResult {
  return { ok: false, error };
}

/** Parses one image reference; `error` says what is wrong in a phrase ("the tag is empty"). */
export function parseImageReference(raw: string): ImageParseResult {
  if (raw === '') return fail('the reference is empty');
  if (/\s/.test(raw)) return fail('it contains whitespace');
  if (IDENTIFIER.test(raw)) return fail('a bare 64-hex-digit image ID is not a repository name');

  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const problem = digestProblem(digest);
    if (problem) return fail(problem);
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (tag === '') return fail('the tag after ":" is empty');
    if (!TAG.test(tag)) return fail(`the tag "${tag}" is not valid (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')`);
  }
  if (rest === '') return fail('the repository name is empty');

  const slash = rest.indexOf('/');
  const first = slash < 0 ? rest : rest.slice(0, slash);
  const explicitRegistry = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  let registry = explicitRegistry ? first : DEFAULT_REGISTRY;
  let path = explicitRegistry ? rest.slice(slash + 1) : rest;
  if (explicitRegistry && !HOST.test(registry)) return fail(`the registry "${registry}" is not a valid host[:port]`);
  if (registry === LEGACY_DEFAULT_REGISTRY) registry = DEFAULT_REGISTRY;
  if (path === '') return fail('the repository path is empty');
  if (path.toLowerCase() !== path) return fail(`the repository "${path}" must be lowercase`);
  for (const component of path.split('/')) {
    if (component === '') return fail(`the repository "${path}" has an empty path component`);
    if (!PATH_COMPONENT.test(component)) return fail(`"${component}" is not a valid repository path component (lowercase letters and digits, separated by '.', '_', '__' or '-')`);
  }
  if (registry === DEFAULT_REGISTRY && !path.includes('/')) path = OFFICIAL_PREFIX + path;
  const name = `${registry}/${path}`;
  if (name.length > NAME_MAX) return fail(`the repository name is longer than ${NAME_MAX} characters`);

  const ref: ImageReference = { raw, registry, explicitRegistry, path, name };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return { ok: true, ref };
}

function digestProblem(digest: string): string | undefined {
  if (digest === '') return 'the digest after "@" is empty';
  const colon = digest.indexOf(':');
  const algorithm = colon < 0 ? '' : digest.slice(0, colon);
  const length = DIGEST_LENGTHS[algorithm];
  if (length !== undefined) {
    const hex = digest.slice(colon + 1);
    return hex.length === length && /^[a-f0-9]+$/.test(hex) ? undefined : `a ${algorithm} digest is ${length} lowercase hex digits`;
  }
  if (!DIGEST.test(digest)) return `the digest "${digest}" is not <algorithm>:<hex>`;
  return `the digest algorithm "${algorithm}" is not supported (sha256, sha384, sha512)`;
}

/** `docker.io/library/nginx:1.27@sha256:…`: the reference with everything the runtime fills in spelled out. */
export function normalizedReference(ref: ImageReference): string {
  return `${ref.name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/**
 * Does `prefix` (a registry host, or a host/path prefix such as `ghcr.io/acme`) cover the reference? Hosts
 * compare case-insensitively, `index.docker.io` is `docker.io`, and paths match whole components
 * (`ghcr.io/acme` covers `ghcr.io/acme/web`, not `ghcr.io/acme-labs/web`).
 */
export function referenceMatchesPrefix(ref: ImageReference, prefix: string): boolean {
  const trimmed = prefix.trim().replace(/\/+$/, '');
  if (trimmed === '') return false;
  const slash = trimmed.indexOf('/');
  let host = (slash < 0 ? trimmed : trimmed.slice(0, slash)).toLowerCase();
  if (host === LEGACY_DEFAULT_REGISTRY) host = DEFAULT_REGISTRY;
  if (host !== ref.registry.toLowerCase()) return false;
  if (slash < 0) return true;
  const path = trimmed.slice(slash + 1);
  return ref.path === path || ref.path.startsWith(`${path}/`);
}
