import { docsUrl } from '../registry/docs';
import type { PatchOp } from '../types';
import { asList, asObject } from './utils/json';
import { defineRule } from '../rule';

interface RequiredOption {
  name: string;
  value?: string;
}

/**
 * kube-linter `dnsconfig-options` (opt-in): the pod's resolver options include the required ones; by default
 * kube-linter's `ndots: "2"`. An option without `value` in the configuration only has to be present.
 */
export default defineRule<{ required: RequiredOption[] }>({
  meta: {
    id: 'dns-config-options',
    category: 'reliability',
    defaultSeverity: 'info',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Pods set the required resolver options in `dnsConfig.options` (by default `ndots: "2"`).',
      rationale: 'With the cluster default `ndots: 5`, every lookup of an external name with fewer than five dots is first tried against each search domain of the pod, so one request to `api.example.com` costs several DNS queries, which loads CoreDNS and adds latency. Setting `ndots` lower (or other resolver options your platform requires) fixes that per pod. This is a platform policy, off in every preset; configure the options in `required`. The quick fix adds a missing option, or sets the required value.',
      url: docsUrl('dns-config-options'),
    },
    messages: {
      pass: 'The pod sets the required DNS resolver options.',
      missing: 'dnsConfig.options does not set {{option}}.',
      wrongValue: 'dnsConfig option {{name}} is "{{actual}}", not the required "{{value}}".',
      noValue: 'dnsConfig option {{name}} has no value; the required value is "{{value}}".',
    },
    aliases: { kubeLinter: 'dnsconfig-options' },
    options: {
      type: 'object',
      properties: {
        required: {
          type: 'array',
          description: 'Resolver options every pod must set: a name, and the value it must have (omit it to require only the name).',
          items: {
            type: 'object',
            properties: { name: { type: 'string', minLength: 1 }, value: { type: 'string' } },
            required: ['name'],
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { required: [{ name: 'ndots', value: '2' }] },
    fixable: true,
    checklist: false,
  },
  check(ctx) {
    const options = asList(asObject(ctx.value.dnsConfig)?.options);
    const text = (want: RequiredOption) => (want.value === undefined ? `"${want.name}"` : `${want.name}: "${want.value}"`);
    const missing: RequiredOption[] = [];
    for (const want of ctx.options.required) {
      let index = -1;
      options.forEach((o, i) => { if (asObject(o)?.name === want.name) index = i; });
      if (index < 0) {
        missing.push(want);
        continue;
      }
      const actual = asObject(options[index])?.value;
      if (want.value === undefined || actual === want.value) continue;
      const at = `/dnsConfig/options/${index}/value`;
      ctx.report({
        messageId: actual === undefined ? 'noValue' : 'wrongValue', data: { name: want.name, actual: String(actual ?? ''), value: want.value }, at,
        fix: { title: `Set ${text(want)}`, patch: [{ op: actual === undefined ? 'add' : 'replace', path: at, value: want.value }] },
      });
    }
    if (missing.length === 0) return;
    // One finding for all missing options: their fixes would otherwise share a location and message.
    const option = missing.map(text).join(', ');
    ctx.report({
      messageId: 'missing', data: { option }, at: '/dnsConfig/options',
      fix: {
        title: `Add the dnsConfig option${missing.length > 1 ? 's' : ''} ${option}`,
        patch: missing.map((want): PatchOp => ({ op: 'add', path: '/dnsConfig/options/-', value: want.value === undefined ? { name: want.name } : { name: want.name, value: want.value } })),
      },
    });
  },
});
