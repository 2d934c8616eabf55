import { docsUrl } from '../registry/docs';
import { joinPointer } from '../util/pointer';
import { isJsonObject } from '../types';
import { defineRule } from '../rule';

const NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/** Where labels live besides the resource's own: the pod template (and a CronJob's job template). */
const TEMPLATE_METADATA: Readonly<Record<string, readonly string[]>> = {
  CronJob: ['/spec/jobTemplate/metadata', '/spec/jobTemplate/spec/template/metadata'],
  Deployment: ['/spec/template/metadata'],
  StatefulSet: ['/spec/template/metadata'],
  DaemonSet: ['/spec/template/metadata'],
  ReplicaSet: ['/spec/template/metadata'],
  ReplicationController: ['/spec/template/metadata'],
  Job: ['/spec/template/metadata'],
};

/** Why a label key is not a valid qualified name, or undefined. */
function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (prefix === '') return 'the prefix before "/" is empty';
    if (prefix.length > 253) return 'the prefix is longer than 253 characters';
    if (!DNS_SUBDOMAIN.test(prefix)) return `the prefix "${prefix}" is not a DNS subdomain (lowercase letters, digits, '-' and '.')`;
  }
  if (name === '') return 'the name is empty';
  if (name.length > 63) return `the name is ${name.length} characters long (at most 63)`;
  if (!NAME.test(name)) return 'the name must start and end with a letter or digit and contain only letters, digits, \'-\', \'_\' and \'.\'';
  return undefined;
}

/** Why a label value is not valid, or undefined. */
function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return `it is ${value.length} characters long (at most 63)`;
  if (!NAME.test(value)) return 'it must start and end with a letter or digit and contain only letters, digits, \'-\', \'_\' and \'.\'';
  return undefined;
}

/** kube-score label-values: label keys and values the API server accepts. */
export default defineRule({
  meta: {
    id: 'label-values-valid',
    category: 'metadata',
    defaultSeverity: 'error',
    target: { kinds: '*', scope: 'object' },
    docs: {
      summary: 'Label keys and values are valid: values of at most 63 letters, digits, `-`, `_` and `.` that start and end alphanumeric (or empty), keys an optional DNS-subdomain prefix and `/` and a name of the same form.',
      rationale: 'The API server rejects an object whose labels are not valid, so the whole apply fails; the schema cannot tell because labels are a plain string map. Typical mistakes are a version with a `+` or a `/`, a value longer than 63 characters (a commit message, a full image reference), and a trailing `-` or `.` left by string templating. The labels of the resource, of its pod template and of a CronJob\'s job template are checked.',
      url: docsUrl('label-values-valid'),
    },
    messages: {
      pass: 'The labels of {{kind}} "{{name}}" are valid.',
      value: 'Label "{{key}}" has an invalid value "{{value}}": {{reason}}.',
      key: 'Label key "{{key}}" is invalid: {{reason}}.',
    },
    aliases: { kubeScore: 'label-values' },
    checklist: false,
  },
  check(ctx) {
    const places = ['/metadata', ...(TEMPLATE_METADATA[ctx.resource.kind] ?? [])];
    for (const place of places) {
      const labels = ctx.get(`${place}/labels`);
      if (!isJsonObject(labels)) continue;
      for (const [key, value] of Object.entries(labels)) {
        const at = joinPointer(`${place}/labels`, key);
        const keyProblem = labelKeyProblem(key);
        if (keyProblem) ctx.report({ messageId: 'key', data: { key, reason: keyProblem }, at, anchor: 'key' });
        if (typeof value !== 'string') continue;
        const valueProblem = labelValueProblem(value);
        if (valueProblem) ctx.report({ messageId: 'value', data: { key, value, reason: valueProblem }, at, anchor: 'value' });
      }
    }
  },
});
