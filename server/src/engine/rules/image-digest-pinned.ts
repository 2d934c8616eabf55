import { docsUrl } from '../registry/docs';
import { parseImageReference } from '../k8s/image-ref';
import { defineRule } from '../rule';

/** Checkov CKV_K8S_43, Kubescape C-0306: images are referenced by digest. */
export default defineRule({
  meta: {
    id: 'image-digest-pinned',
    category: 'images',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Images are pinned by digest (`image@sha256:…`).',
      rationale: 'A tag is a pointer that whoever can push to the repository can move, even a version tag: only a digest names exactly the bytes that were built, scanned and approved, so every node runs the same image and a compromised registry cannot swap it. `name:tag@sha256:…` keeps the tag readable for people; the runtime pulls by digest. This is a supply-chain practice that needs tooling to update digests (Renovate, Dependabot, a CI step), so it is not in the recommended preset. There is no automatic fix: kgov does not query registries. References that are not valid are left to image-tag-pinned.',
      url: docsUrl('image-digest-pinned'),
    },
    messages: {
      pass: 'Container "{{name}}" pins its image by digest.',
      noDigest: 'Container "{{name}}" uses image "{{image}}" without a digest.',
    },
    checklist: 'images',
  },
  check(ctx) {
    const image = ctx.value.image;
    const parsed = typeof image === 'string' ? parseImageReference(image) : undefined;
    if (typeof image !== 'string' || !parsed?.ok) {
      ctx.notApplicable();
      return;
    }
    if (parsed.ref.digest !== undefined) return;
    ctx.report({ messageId: 'noDigest', data: { name: String(ctx.value.name ?? ''), image }, at: '/image', anchor: 'value' });
  },
});
