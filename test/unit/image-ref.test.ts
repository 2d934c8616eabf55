import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizedReference, parseImageReference, referenceMatchesPrefix, type ImageReference } from '../../server/src/engine/k8s/image-ref';

const HEX = 'a'.repeat(64);

function parsed(raw: string): ImageReference {
  const result = parseImageReference(raw);
  assert.ok(result.ok, `${raw}: ${result.ok ? '' : result.error}`);
  return result.ref;
}

function error(raw: string): string {
  const result = parseImageReference(raw);
  assert.ok(!result.ok, `${raw} should not parse`);
  return result.error;
}

describe('image references parse like the container runtime (distribution/reference)', () => {
  it('normalises Docker Hub names: docker.io and library/ for single components', () => {
    assert.deepEqual(parsed('nginx'), { raw: 'nginx', registry: 'docker.io', explicitRegistry: false, path: 'library/nginx', name: 'docker.io/library/nginx' });
    assert.equal(parsed('bitnami/redis:7.2').path, 'bitnami/redis');
    assert.equal(parsed('docker.io/nginx:1.27').path, 'library/nginx');
    assert.equal(parsed('docker.io/nginx:1.27').explicitRegistry, true);
    assert.equal(parsed('index.docker.io/library/nginx').registry, 'docker.io');
    assert.equal(normalizedReference(parsed('nginx:1.27')), 'docker.io/library/nginx:1.27');
  });

  it('takes the first component as a registry only with ".", ":", localhost or an uppercase letter', () => {
    assert.equal(parsed('ghcr.io/acme/web:1.0').registry, 'ghcr.io');
    assert.equal(parsed('localhost/app').registry, 'localhost');
    assert.equal(parsed('acme/web').registry, 'docker.io');
    assert.equal(parsed('Registry/app').registry, 'Registry');
    assert.equal(parsed('myhost:5000/app').registry, 'myhost:5000');
    assert.equal(parsed('[::1]:5000/app:v1').registry, '[::1]:5000');
  });

  it('reads ports, and the tag only after the last "/"', () => {
    const ref = parsed('localhost:5000/team/app');
    assert.equal(ref.registry, 'localhost:5000');
    assert.equal(ref.path, 'team/app');
    assert.equal(ref.tag, undefined);
    const tagged = parsed('registry.example.com:443/team/app:2.1.0');
    assert.equal(tagged.registry, 'registry.example.com:443');
    assert.equal(tagged.tag, '2.1.0');
    // Without a slash the colon is a tag: this is docker.io/library/localhost:5000.
    const bare = parsed('localhost:5000');
    assert.equal(bare.name, 'docker.io/library/localhost');
    assert.equal(bare.tag, '5000');
  });

  it('reads nested paths', () => {
    const ref = parsed('us-docker.pkg.dev/project/repo/sub/image:v1');
    assert.equal(ref.registry, 'us-docker.pkg.dev');
    assert.equal(ref.path, 'project/repo/sub/image');
    assert.equal(ref.tag, 'v1');
    assert.equal(parsed('a/b/c/d').path, 'a/b/c/d');
    assert.equal(parsed('my_org/my__app-x.y---z').path, 'my_org/my__app-x.y---z');
  });

  it('reads digests with and without tags', () => {
    const digestOnly = parsed(`nginx@sha256:${HEX}`);
    assert.equal(digestOnly.tag, undefined);
    assert.equal(digestOnly.digest, `sha256:${HEX}`);
    const both = parsed(`ghcr.io/acme/web:1.0@sha256:${HEX}`);
    assert.equal(both.tag, '1.0');
    assert.equal(both.digest, `sha256:${HEX}`);
    assert.equal(parsed(`localhost:5000/app@sha512:${'0'.repeat(128)}`).registry, 'localhost:5000');
    assert.equal(normalizedReference(both), `ghcr.io/acme/web:1.0@sha256:${HEX}`);
  });

  it('rejects invalid digests', () => {
    assert.match(error('nginx@'), /digest/);
    assert.match(error('nginx@sha256:abc'), /digest/);
    assert.match(error(`nginx@sha256:${'A'.repeat(64)}`), /lowercase hex/);
    assert.match(error(`nginx@sha256:${'a'.repeat(63)}`), /64/);
    assert.match(error(`nginx@md5:${'a'.repeat(32)}`), /not supported/);
    assert.match(error(`nginx@${HEX}`), /algorithm/);
  });

  it('rejects uppercase repositories and invalid components', () => {
    assert.match(error('Nginx'), /lowercase/);
    assert.match(error('acme/Web:1.0'), /lowercase/);
    assert.match(error('ghcr.io/Acme/web'), /lowercase/);
    assert.match(error('acme//web'), /empty path component/);
    assert.match(error('-web'), /not a valid repository path component/);
    assert.match(error('web_'), /not a valid repository path component/);
    assert.match(error('ghcr.io/'), /empty/);
  });

  it('rejects invalid tags, hosts and other malformed input', () => {
    assert.equal(error(''), 'the reference is empty');
    assert.match(error('nginx:'), /tag/);
    assert.match(error('nginx:-1'), /tag/);
    assert.match(error(`nginx:${'x'.repeat(129)}`), /tag/);
    assert.match(error('nginx:1.0:2'), /component/);
    assert.match(error('nginx 1.0'), /whitespace/);
    assert.match(error(':1.0'), /empty/);
    assert.match(error('-bad.host/app'), /registry/);
    assert.match(error('host:port/app'), /registry/);
    assert.match(error(HEX), /image ID/);
    assert.match(error(`registry.example.com/${'a'.repeat(250)}`), /255/);
    assert.match(error('${image}'), /component/);
    assert.match(error('${IMAGE}'), /lowercase/);
  });

  it('allows uppercase tags and registries', () => {
    assert.equal(parsed('nginx:Stable_1').tag, 'Stable_1');
    assert.equal(parsed('Registry.Example.com/app').registry, 'Registry.Example.com');
  });
});

describe('registry prefixes', () => {
  it('match hosts case-insensitively and paths by whole components', () => {
    const ref = parsed('ghcr.io/acme/web:1.0');
    assert.ok(referenceMatchesPrefix(ref, 'ghcr.io'));
    assert.ok(referenceMatchesPrefix(ref, 'GHCR.io/'));
    assert.ok(referenceMatchesPrefix(ref, 'ghcr.io/acme'));
    assert.ok(referenceMatchesPrefix(ref, 'ghcr.io/acme/web'));
    assert.ok(!referenceMatchesPrefix(ref, 'ghcr.io/acm'));
    assert.ok(!referenceMatchesPrefix(parsed('ghcr.io/acme-labs/web'), 'ghcr.io/acme'));
    assert.ok(!referenceMatchesPrefix(ref, 'docker.io'));
    assert.ok(!referenceMatchesPrefix(ref, ''));
  });
  it('treat Docker Hub names as docker.io, official images under docker.io/library', () => {
    assert.ok(referenceMatchesPrefix(parsed('nginx'), 'docker.io'));
    assert.ok(referenceMatchesPrefix(parsed('nginx'), 'index.docker.io/library'));
    assert.ok(!referenceMatchesPrefix(parsed('bitnami/redis'), 'docker.io/library'));
    assert.ok(referenceMatchesPrefix(parsed('localhost:5000/app'), 'localhost:5000'));
    assert.ok(!referenceMatchesPrefix(parsed('localhost:5000/app'), 'localhost'));
  });
});
