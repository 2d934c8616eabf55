import { docsUrl } from '../registry/docs';
import { joinPointer } from '../util/pointer';
import { isJsonObject, type JsonValue } from '../types';
import { containersOf, isWorkload, podSpecOf, WORKLOAD_KINDS } from '../lint/walk';
import { defineRule } from '../rule';
import { portNameProblem } from './utils/network';
import { isApi } from './utils/references';

/**
 * kube-linter invalid-target-ports: a Service's `targetPort` strings and the workloads' container port names are
 * IANA_SVC_NAMEs; targetPort numbers are 1-65535. The fix turns a quoted number (`targetPort: "8080"`, read as a
 * port name) into the number.
 */
export default defineRule({
  meta: {
    id: 'valid-target-port',
    category: 'networking',
    defaultSeverity: 'error',
    target: { kinds: ['Service', ...WORKLOAD_KINDS], scope: 'object' },
    docs: {
      summary: 'Service `targetPort` names and container port names are valid port names (IANA_SVC_NAME); target port numbers are 1-65535.',
      rationale: 'A port name must be at most 15 characters of lowercase letters, digits and "-", with at least one letter and no leading, trailing or double "-" (RFC 6335). The API server rejects a Service or a pod that breaks this, so the apply fails. A quoted number such as `targetPort: "8080"` is a string, and therefore read as a port name that has no letter: the fix writes it as the number.',
      url: docsUrl('valid-target-port'),
    },
    messages: {
      pass: 'Port names and target ports of "{{name}}" are valid.',
      targetName: 'Service targetPort "{{value}}" is not a valid port name: {{reason}}.',
      quotedNumber: 'Service targetPort "{{value}}" is a string, so it is read as a port name, which needs a letter; write the number {{value}} without quotes.',
      targetNumber: 'Service targetPort {{value}} is not a port number (1-65535).',
      portName: 'Container "{{container}}" names a port "{{value}}", which is not a valid port name: {{reason}}.',
    },
    aliases: { kubeLinter: 'invalid-target-ports' },
    fixable: true,
    checklist: 'networking',
  },
  check(ctx) {
    const { apiVersion, kind } = ctx.resource;
    if (kind === 'Service') {
      if (!isApi(ctx.resource, 'v1')) {
        ctx.notApplicable();
        return;
      }
      const ports = isJsonObject(ctx.value.spec) ? ctx.value.spec.ports : undefined;
      if (!Array.isArray(ports)) return;
      ports.forEach((port, i) => {
        const target: JsonValue | undefined = isJsonObject(port) ? port.targetPort : undefined;
        const at = joinPointer('/spec/ports', i, 'targetPort');
        if (typeof target === 'number') {
          if (!Number.isInteger(target) || target < 1 || target > 65535) ctx.report({ messageId: 'targetNumber', data: { value: target }, at, anchor: 'value' });
          return;
        }
        if (typeof target !== 'string') return;
        if (/^\d+$/.test(target) && Number(target) >= 1 && Number(target) <= 65535) {
          ctx.report({
            messageId: 'quotedNumber', data: { value: target }, at, anchor: 'value',
            fix: { title: 'Write targetPort as the number {{value}}', patch: [{ op: 'replace', path: at, value: Number(target) }] },
          });
          return;
        }
        const reason = portNameProblem(target);
        if (reason) ctx.report({ messageId: 'targetName', data: { value: target, reason }, at, anchor: 'value' });
      });
      return;
    }
    const pod = isWorkload(apiVersion, kind) ? podSpecOf(kind, ctx.value) : undefined;
    if (!pod) {
      ctx.notApplicable();
      return;
    }
    // Ephemeral containers may not declare ports.
    for (const c of containersOf(pod, ['containers', 'initContainers'])) {
      const ports = c.container.ports;
      if (!Array.isArray(ports)) continue;
      ports.forEach((port, i) => {
        const name = isJsonObject(port) ? port.name : undefined;
        if (typeof name !== 'string') return;
        const reason = portNameProblem(name);
        if (reason) {
          ctx.report({ messageId: 'portName', data: { container: String(c.container.name ?? ''), value: name, reason }, at: joinPointer(c.pointer, 'ports', i, 'name'), anchor: 'value' });
        }
      });
    }
  },
});
