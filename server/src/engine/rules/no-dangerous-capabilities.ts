import { docsUrl } from '../registry/docs';
import { listAt } from './utils/json';
import { removalPath } from './utils/security-context';
import { defineRule } from '../rule';

interface Options {
  capabilities: string[];
}

const ADD = '/securityContext/capabilities/add';

/** Runtimes upper-case capability names and add the `CAP_` prefix themselves: compare without case or prefix. */
const normal = (capability: string) => capability.toUpperCase().replace(/^CAP_/, '');

export default defineRule<Options>({
  meta: {
    id: 'no-dangerous-capabilities',
    category: 'security',
    defaultSeverity: 'error',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Containers do not add dangerous Linux capabilities (by default ALL, SYS_ADMIN and NET_ADMIN).',
      rationale: 'SYS_ADMIN is close to root on the node (mounts, namespaces, BPF, many escape paths), NET_ADMIN lets a container reconfigure the pod\'s network, sniff or redirect traffic and bypass network policies, and ALL grants every capability. '
        + 'Names are compared ignoring case and a `CAP_` prefix (container runtimes upper-case the names, and not every runtime rejects the prefixed form), so `sys_admin` and `CAP_SYS_ADMIN` are caught too. '
        + 'Each offending entry of `securityContext.capabilities.add` is reported; the fix removes it (and the `add` list, `capabilities` or `securityContext` it leaves empty). '
        + 'The `capabilities` option replaces the list; `capabilities-baseline` checks the stricter Pod Security Standards allow-list.',
      url: docsUrl('no-dangerous-capabilities'),
    },
    messages: {
      pass: 'Container "{{name}}" adds no dangerous capability.',
      all: 'Container "{{name}}" adds every Linux capability ("{{capability}}" in securityContext.capabilities.add).',
      dangerous: 'Container "{{name}}" adds the dangerous capability "{{capability}}" (securityContext.capabilities.add).',
    },
    aliases: { polaris: 'dangerousCapabilities', kubeLinter: 'privilege-escalation-container' },
    options: {
      type: 'object',
      properties: {
        capabilities: {
          type: 'array',
          items: { type: 'string', pattern: '^[A-Za-z_0-9]+$' },
          uniqueItems: true,
          description: 'Capabilities a container must not add (compared ignoring case and a CAP_ prefix).',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { capabilities: ['ALL', 'SYS_ADMIN', 'NET_ADMIN'] },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    const name = String(ctx.value.name ?? '');
    const dangerous = new Set((ctx.options.capabilities ?? []).map(normal));
    const add = listAt(ctx.value, ADD);
    // Last entry first: "fix all" applies one fix per lint, so removing from the end keeps the other indexes valid.
    for (let i = add.length - 1; i >= 0; i--) {
      const capability = add[i];
      if (typeof capability !== 'string' || !dangerous.has(normal(capability))) continue;
      const at = `${ADD}/${i}`;
      ctx.report({
        messageId: normal(capability) === 'ALL' ? 'all' : 'dangerous', data: { name, capability }, at, anchor: 'value',
        fix: { title: 'Remove {{capability}} from capabilities.add', patch: [{ op: 'remove', path: removalPath(ctx.value, at) }] },
      });
    }
  },
});
