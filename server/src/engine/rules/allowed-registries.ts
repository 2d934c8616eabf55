import { docsUrl } from '../registry/docs';
import { parseImageReference, referenceMatchesPrefix } from '../k8s/image-ref';
import { defineRule } from '../rule';

interface Options {
  registries: string[];
}

/** Polaris's custom-check example imageRegistry: images come from approved registries (configured). */
export default defineRule<Options>({
  meta: {
    id: 'allowed-registries',
    category: 'images',
    defaultSeverity: 'error',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Images come only from the registries (or registry paths) listed in the `registries` option.',
      rationale: 'Images from registries outside the organisation\'s control skip its vulnerability scanning, signing and provenance checks, and can change or disappear without notice. This rule needs configuration: with the default empty `registries` list it reports nothing. Each entry is a registry host (`ghcr.io`, `registry.example.com:5000`) or a host and path prefix (`ghcr.io/acme`, matched by whole path components). Images are normalised like the container runtime does: `nginx` is `docker.io/library/nginx`, so `docker.io` allows all of Docker Hub and `docker.io/library` only its official images. References that are not valid are left to image-tag-pinned.',
      url: docsUrl('allowed-registries'),
    },
    messages: {
      pass: 'Container "{{name}}" pulls from an allowed registry.',
      notAllowed: 'Container "{{name}}" pulls "{{image}}" from {{repository}}, which is not under an allowed registry ({{allowed}}).',
    },
    options: {
      type: 'object', additionalProperties: false,
      properties: {
        registries: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Allowed registry hosts (`ghcr.io`) or host/path prefixes (`ghcr.io/acme`). Empty: the rule reports nothing.' },
      },
    },
    defaultOptions: { registries: [] },
    checklist: 'images',
  },
  check(ctx) {
    const registries = ctx.options.registries ?? [];
    const image = ctx.value.image;
    const parsed = typeof image === 'string' ? parseImageReference(image) : undefined;
    // Not configured, no image, or a reference image-tag-pinned reports: nothing to judge.
    if (registries.length === 0 || typeof image !== 'string' || !parsed?.ok) {
      ctx.notApplicable();
      return;
    }
    if (registries.some((prefix) => referenceMatchesPrefix(parsed.ref, prefix))) return;
    ctx.report({
      messageId: 'notAllowed', at: '/image', anchor: 'value',
      data: { name: String(ctx.value.name ?? ''), image, repository: parsed.ref.name, allowed: registries.join(', ') },
    });
  },
});
