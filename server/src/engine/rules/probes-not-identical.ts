import { docsUrl } from '../registry/docs';
import type { JsonObject, JsonValue } from '../types';
import { asObject } from './utils/json';
import { declaredPorts } from './utils/workload';
import { defineRule } from '../rule';

/** The probe's handler with the API defaults filled in and named ports resolved, as comparable text. */
function canonical(probe: JsonObject, container: JsonObject): string | undefined {
  const ports = new Map(declaredPorts(container).filter((p) => p.name).map((p) => [p.name as string, p.containerPort]));
  const port = (value: JsonValue | undefined) => (typeof value === 'string' ? ports.get(value) ?? value : value ?? null);
  let handler: JsonValue;
  const exec = asObject(probe.exec);
  const httpGet = asObject(probe.httpGet);
  const tcpSocket = asObject(probe.tcpSocket);
  const grpc = asObject(probe.grpc);
  if (exec) handler = { exec: exec.command ?? [] };
  else if (httpGet) {
    handler = { httpGet: [httpGet.host ?? '', httpGet.scheme ?? 'HTTP', port(httpGet.port), httpGet.path || '/', httpGet.httpHeaders ?? []] };
  } else if (tcpSocket) handler = { tcpSocket: [tcpSocket.host ?? '', port(tcpSocket.port)] };
  else if (grpc) handler = { grpc: [port(grpc.port), grpc.service ?? ''] };
  else return undefined;
  const timing = [probe.initialDelaySeconds ?? 0, probe.periodSeconds ?? 10, probe.timeoutSeconds ?? 1, probe.failureThreshold ?? 3, probe.successThreshold ?? 1];
  return JSON.stringify([handler, timing]);
}

/**
 * kube-score `pod-probes-identical`: a liveness probe that is the readiness probe. kube-score compares the
 * handlers only; kgov also compares the timing (with API defaults), because the same cheap endpoint with a higher
 * liveness failureThreshold is the pattern the Kubernetes documentation recommends.
 */
export default defineRule({
  meta: {
    id: 'probes-not-identical',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container', containers: ['containers'] },
    docs: {
      summary: 'A container\'s liveness probe is not an exact copy of its readiness probe.',
      rationale: 'Readiness and liveness answer different questions: "may this pod receive traffic now?" and "must this container be restarted?". When the liveness probe is the readiness probe (same check, same timing), a pod that is briefly overloaded or waiting for a dependency is restarted at the same moment it is taken out of its Services, which turns a slow-down into a crash loop across every replica. Use a lighter liveness check, or at least give it a higher failureThreshold so that readiness reacts first. Named ports are resolved and API defaults applied before comparing.',
      url: docsUrl('probes-not-identical'),
    },
    messages: {
      pass: 'Container "{{name}}" has distinct readiness and liveness probes (or not both).',
      identical: 'The livenessProbe of container "{{name}}" is identical to its readinessProbe: a pod that is only not ready is restarted too.',
    },
    aliases: { kubeScore: 'pod-probes-identical' },
    checklist: 'health probes',
  },
  check(ctx) {
    const readiness = asObject(ctx.value.readinessProbe);
    const liveness = asObject(ctx.value.livenessProbe);
    if (!readiness || !liveness) return;
    const a = canonical(readiness, ctx.value);
    if (a === undefined || a !== canonical(liveness, ctx.value)) return;
    ctx.report({ messageId: 'identical', data: { name: String(ctx.value.name ?? '') }, at: '/livenessProbe' });
  },
});
