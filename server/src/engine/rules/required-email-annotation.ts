import { docsUrl } from '../registry/docs';
import { joinPointer } from '../util/pointer';
import { isJsonObject } from '../types';
import { defineRule } from '../rule';

interface Options {
  annotation: string;
}

/** kube-linter's pattern for an address, anchored: the whole value is one address. */
const EMAIL = /^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$/;

/** kube-linter required-annotation-email (template required-annotation): a contact address on workloads. */
export default defineRule<Options>({
  meta: {
    id: 'required-email-annotation',
    category: 'metadata',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'object' },
    docs: {
      summary: 'Workloads carry an annotation (by default `email`) whose value is the owner\'s email address.',
      rationale: 'An address on the object tells whoever is looking at a failing or expensive workload whom to contact, without a lookup in another system. The value must be one address (`team-web@example.com`, the same pattern as kube-linter, matched against the whole value); the `annotation` option names the key, for example `example.com/owner-email`. This is an organisational convention and is opt-in, as in kube-linter: no preset but `all` enables it. There is no automatic fix, since only a human knows the address.',
      url: docsUrl('required-email-annotation'),
    },
    messages: {
      pass: '{{kind}} "{{name}}" has a contact email annotation.',
      missing: '{{kind}} "{{name}}" has no "{{annotation}}" annotation with the owner\'s email address.',
      invalid: 'Annotation "{{annotation}}" of {{kind}} "{{name}}" is "{{value}}", which is not an email address.',
    },
    aliases: { kubeLinter: 'required-annotation-email' },
    options: {
      type: 'object', additionalProperties: false,
      properties: { annotation: { type: 'string', minLength: 1, description: 'The annotation key that holds the owner\'s email address.' } },
    },
    defaultOptions: { annotation: 'email' },
    checklist: false,
  },
  check(ctx) {
    const { kind } = ctx.resource;
    const name = ctx.resource.name ?? '';
    const annotation = ctx.options.annotation || 'email';
    const annotations = ctx.get('/metadata/annotations');
    const value = isJsonObject(annotations) ? annotations[annotation] : undefined;
    if (value === undefined) {
      ctx.report({ messageId: 'missing', data: { kind, name, annotation }, at: isJsonObject(annotations) ? '/metadata/annotations' : '/metadata', anchor: 'key' });
      return;
    }
    if (typeof value === 'string' && EMAIL.test(value.trim())) return;
    ctx.report({ messageId: 'invalid', data: { kind, name, annotation, value: String(value) }, at: joinPointer('/metadata/annotations', annotation), anchor: 'value' });
  },
});
