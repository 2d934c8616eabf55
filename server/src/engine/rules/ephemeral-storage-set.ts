import { docsUrl } from '../registry/docs';
import type { JsonValue } from '../types';
import { defineRule } from '../rule';
import { QUANTITY_OPTION } from './utils/options';
import { containerName, missingAt } from './utils/container';
import { addWithComment, pathOf, RESOURCE_CONTAINERS, sameQuantity, written } from './utils/resources';

const REQUEST_COMMENT = 'TODO: set this to the disk space (logs, emptyDir, writable layer) the container needs';
const LIMIT_COMMENT = 'TODO: set this to the most disk space the container may use (the pod is evicted above it)';

/**
 * kube-score's container-ephemeral-storage-request-and-limit, and with `equal: true` also
 * container-ephemeral-storage-request-equals-limit. A limit without a request counts as both (the API server
 * copies the limit into the request), unless `explicit` asks for the request written out (kube-score).
 */
export default defineRule<{ equal: boolean; ephemeralStorage: string; explicit: boolean }>({
  meta: {
    id: 'ephemeral-storage-set',
    category: 'efficiency',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container', containers: RESOURCE_CONTAINERS },
    docs: {
      summary: 'Containers request and limit ephemeral storage (`resources.requests/limits.ephemeral-storage`).',
      rationale: 'Logs, emptyDir volumes and the writable container layer use the node\'s disk. Without a request the scheduler does not account for it, and without a limit one container can fill the disk until the kubelet evicts every pod of the node. A limit without a request is accepted, because the API server copies the limit into the request; with the option `equal: true` the request must also equal the limit. The fix inserts a placeholder (option `ephemeralStorage`, default `1Gi`, or the request when a limit is missing) with a TODO comment.',
      url: docsUrl('ephemeral-storage-set'),
    },
    messages: {
      pass: 'Container "{{name}}" requests and limits ephemeral storage.',
      missing: 'Container "{{name}}" sets no ephemeral-storage request or limit, so its disk use is neither scheduled nor bounded.',
      noLimit: 'Container "{{name}}" requests {{request}} of ephemeral storage but sets no limit, so its disk use is not bounded.',
      noRequest: 'Container "{{name}}" limits ephemeral storage to {{limit}} but requests none explicitly (the API server copies the limit into the request).',
      notEqual: 'Container "{{name}}" requests {{request}} of ephemeral storage but limits it to {{limit}} (the request must equal the limit).',
    },
    aliases: { kubeScore: ['container-ephemeral-storage-request-and-limit', 'container-ephemeral-storage-request-equals-limit'] },
    options: {
      type: 'object',
      properties: {
        equal: { type: 'boolean', description: 'The request must also equal the limit.' },
        ephemeralStorage: { ...QUANTITY_OPTION, description: 'The placeholder the fix inserts when neither value is set.' },
        explicit: { type: 'boolean', description: 'Require the request written out even when the limit is set, which the API server copies into an unset request (kube-score).' },
      },
      additionalProperties: false,
    },
    defaultOptions: { equal: false, ephemeralStorage: '1Gi', explicit: false },
    fixable: true,
    checklist: 'resources',
  },
  check(ctx) {
    const name = containerName(ctx);
    const request = written(ctx, 'requests', 'ephemeral-storage');
    const limit = written(ctx, 'limits', 'ephemeral-storage');
    const requestPath = pathOf('requests', 'ephemeral-storage');
    const limitPath = pathOf('limits', 'ephemeral-storage');
    if (request === undefined && limit === undefined) {
      const value = String(ctx.options.ephemeralStorage);
      const at = missingAt(ctx.get('/resources'), requestPath);
      ctx.report({
        messageId: 'missing', data: { name, value }, ...(at ? { at } : {}),
        fix: {
          title: 'Request and limit {{value}} of ephemeral storage (placeholder to adjust)',
          patch: [...addWithComment(ctx, requestPath, value, REQUEST_COMMENT), { op: 'add', path: limitPath, value, comment: LIMIT_COMMENT }],
        },
      });
      return;
    }
    if (limit === undefined) {
      const at = missingAt(ctx.get('/resources'), limitPath);
      ctx.report({
        messageId: 'noLimit', data: { name, request: String(request) }, ...(at ? { at } : {}),
        fix: { title: 'Limit ephemeral storage to {{request}} (placeholder to adjust)', patch: addWithComment(ctx, limitPath, request as JsonValue, LIMIT_COMMENT) },
      });
      return;
    }
    if (request === undefined && ctx.options.explicit) {
      ctx.report({
        messageId: 'noRequest', data: { name, limit: String(limit) }, at: limitPath, anchor: 'key',
        fix: { title: 'Request {{limit}} of ephemeral storage, as the limit', patch: addWithComment(ctx, requestPath, limit as JsonValue, REQUEST_COMMENT) },
      });
      return;
    }
    if (!ctx.options.equal || request === undefined || sameQuantity(request, limit) !== false) return;
    ctx.report({
      messageId: 'notEqual', data: { name, request: String(request), limit: String(limit) }, at: requestPath, anchor: 'value',
      fix: { title: 'Request {{limit}} of ephemeral storage, equal to the limit', patch: [{ op: 'replace', path: requestPath, value: limit }] },
    });
  },
});
