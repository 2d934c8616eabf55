import { docsUrl } from '../registry/docs';
import { parseImageReference } from '../k8s/image-ref';
import { defineRule } from '../rule';

interface Options {
  blockTags: string[];
  allowTags: string[];
}

/**
 * kube-linter latest-tag, Polaris tagNotSpecified, kube-score container-image-tag: an image names a version,
 * either a tag that is not a moving one or a digest.
 */
export default defineRule<Options>({
  meta: {
    id: 'image-tag-pinned',
    category: 'images',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Images name an explicit version: a tag other than `latest` (or another moving tag), or a digest.',
      rationale: 'An image without a tag is `:latest`, and `latest`, `stable` or `main` point at whatever was pushed last: two nodes can run different code for the same pod, a restart can silently upgrade, and a rollback cannot go back to what ran before. A version tag (or better a digest, see image-digest-pinned) makes the manifest say what runs. An image with a digest is pinned whatever its tag. Image references are parsed like the container runtime does (a registry port is not a tag), and a reference the runtime would reject is reported too. `blockTags` lists the moving tags (exact, case-sensitive); `allowTags` exempts some of them without repeating the list. There is no automatic fix: choosing the version needs a human (or a registry lookup).',
      url: docsUrl('image-tag-pinned'),
    },
    messages: {
      pass: 'Container "{{name}}" uses a pinned image version.',
      noTag: 'Container "{{name}}" uses image "{{image}}" without a tag, which means "latest".',
      movingTag: 'Container "{{name}}" uses image "{{image}}" with the moving tag "{{tag}}".',
      invalid: 'Container "{{name}}" uses "{{image}}", which is not a valid image reference: {{reason}}.',
    },
    aliases: { kubeLinter: 'latest-tag', polaris: 'tagNotSpecified', kubeScore: 'container-image-tag' },
    options: {
      type: 'object', additionalProperties: false,
      properties: {
        blockTags: { type: 'array', items: { type: 'string' }, description: 'Tags that move and therefore do not pin a version.' },
        allowTags: { type: 'array', items: { type: 'string' }, description: 'Tags accepted even though blockTags lists them.' },
      },
    },
    defaultOptions: { blockTags: ['latest', 'stable', 'edge', 'nightly', 'main', 'master'], allowTags: [] },
    checklist: 'images',
  },
  check(ctx) {
    const image = ctx.value.image;
    if (typeof image !== 'string') {
      ctx.notApplicable();
      return;
    }
    const name = String(ctx.value.name ?? '');
    const parsed = parseImageReference(image);
    if (!parsed.ok) {
      ctx.report({ messageId: 'invalid', data: { name, image, reason: parsed.error }, at: '/image', anchor: 'value' });
      return;
    }
    const { tag, digest } = parsed.ref;
    if (digest !== undefined) return;
    if (tag === undefined) {
      ctx.report({ messageId: 'noTag', data: { name, image }, at: '/image', anchor: 'value' });
      return;
    }
    const blocked = ctx.options.blockTags ?? [];
    const allowed = ctx.options.allowTags ?? [];
    if (blocked.includes(tag) && !allowed.includes(tag)) ctx.report({ messageId: 'movingTag', data: { name, image, tag }, at: '/image', anchor: 'value' });
  },
});
