import { docsUrl } from '../registry/docs';
import { parseImageReference } from '../k8s/image-ref';
import { defineRule } from '../rule';

/**
 * Polaris pullPolicyNotAlways (its one default mutation), kube-score container-image-pull-policy. Contested:
 * with pinned images `IfNotPresent` is fine, so this rule is not in the recommended preset.
 */
export default defineRule<{ explicit: boolean }>({
  meta: {
    id: 'image-pull-policy-always',
    category: 'images',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Containers pull their image every time they start (`imagePullPolicy: Always`).',
      rationale: 'With `IfNotPresent` a node runs whatever image it cached under that tag, which may differ from node to node and from the registry, and the registry\'s access control is not asked again: any pod on the node can use a private image another pod pulled. `Always` resolves the tag on every start (a cached layer is not downloaded again). This is contested: with images pinned by digest `IfNotPresent` is just as exact and survives a registry outage, so the rule is left out of the recommended preset. When the field is unset Kubernetes defaults it to Always for `:latest` or untagged images without a digest, and such containers pass. The fix sets `imagePullPolicy: Always`.',
      url: docsUrl('image-pull-policy-always'),
    },
    messages: {
      pass: 'Container "{{name}}" pulls its image on every start.',
      missing: 'Container "{{name}}" sets no imagePullPolicy, which defaults to IfNotPresent for image "{{image}}".',
      notAlways: 'Container "{{name}}" uses imagePullPolicy {{policy}}, not Always.',
      missingExplicit: 'Container "{{name}}" sets no imagePullPolicy; the API server defaults it to Always for image "{{image}}", but it is not written out.',
    },
    aliases: { polaris: 'pullPolicyNotAlways', kubeScore: 'container-image-pull-policy' },
    options: {
      type: 'object', additionalProperties: false,
      properties: { explicit: { type: 'boolean', description: 'Require `imagePullPolicy: Always` written out, also where the API server defaults it to Always (an untagged or `latest` image), as Polaris does.' } },
    },
    defaultOptions: { explicit: false },
    fixable: true,
    checklist: 'images',
  },
  check(ctx) {
    const name = String(ctx.value.name ?? '');
    const policy = ctx.value.imagePullPolicy;
    if (policy === 'Always') return;
    if (policy !== undefined) {
      ctx.report({
        messageId: 'notAlways', data: { name, policy: String(policy) }, at: '/imagePullPolicy', anchor: 'value',
        fix: { title: 'Set imagePullPolicy: Always', patch: [{ op: 'replace', path: '/imagePullPolicy', value: 'Always' }] },
      });
      return;
    }
    const image = ctx.value.image;
    if (typeof image !== 'string') {
      ctx.notApplicable();
      return;
    }
    // The API server's default: Always for the tag `latest`, or for no tag and no digest; IfNotPresent otherwise
    // (also for a reference it cannot parse).
    const parsed = parseImageReference(image);
    if (parsed.ok && (parsed.ref.tag === 'latest' || (parsed.ref.tag === undefined && parsed.ref.digest === undefined))) {
      if (ctx.options.explicit) {
        ctx.report({
          messageId: 'missingExplicit', data: { name, image },
          fix: { title: 'Set imagePullPolicy: Always', patch: [{ op: 'add', path: '/imagePullPolicy', value: 'Always' }] },
        });
      }
      return;
    }
    ctx.report({
      messageId: 'missing', data: { name, image },
      fix: { title: 'Set imagePullPolicy: Always', patch: [{ op: 'add', path: '/imagePullPolicy', value: 'Always' }] },
    });
  },
});
