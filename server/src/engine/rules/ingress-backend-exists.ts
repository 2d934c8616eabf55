import { docsUrl } from '../registry/docs';
import { joinPointer } from '../util/pointer';
import { isJsonObject, type JsonObject, type JsonValue } from '../types';
import { defineRule } from '../rule';
import { REQUIRE_DEFINED_OPTION } from './utils/options';
import { inFileOrder, isApi, services } from './utils/references';

interface Backend {
  service: string;
  /** Pointers (relative to the Ingress) of the service name and port. */
  namePath: string;
  port?: { value: number | string; path: string };
}

/**
 * The Service backends of an Ingress: the default backend and every path's. `legacy`: the removed
 * `extensions/v1beta1` and `networking.k8s.io/v1beta1` shape (`serviceName`, `servicePort`, `spec.backend`), still
 * judged so that a wrong backend is not lost in the apiVersion migration api/removed asks for.
 */
function backendsOf(ingress: JsonObject, legacy: boolean): Backend[] {
  const out: Backend[] = [];
  const spec = ingress.spec;
  if (!isJsonObject(spec)) return out;
  const readLegacy = (backend: JsonValue | undefined, pointer: string) => {
    if (!isJsonObject(backend) || typeof backend.serviceName !== 'string') return;
    const entry: Backend = { service: backend.serviceName, namePath: `${pointer}/serviceName` };
    if (typeof backend.servicePort === 'number' || typeof backend.servicePort === 'string') entry.port = { value: backend.servicePort, path: `${pointer}/servicePort` };
    out.push(entry);
  };
  const read = (backend: JsonValue | undefined, pointer: string) => {
    if (legacy) {
      readLegacy(backend, pointer);
      return;
    }
    const service = isJsonObject(backend) ? backend.service : undefined;
    if (!isJsonObject(service) || typeof service.name !== 'string') return;
    const port = isJsonObject(service.port) ? service.port : {};
    const entry: Backend = { service: service.name, namePath: `${pointer}/service/name` };
    if (typeof port.number === 'number') entry.port = { value: port.number, path: `${pointer}/service/port/number` };
    else if (typeof port.name === 'string') entry.port = { value: port.name, path: `${pointer}/service/port/name` };
    out.push(entry);
  };
  if (legacy) read(spec.backend, '/spec/backend');
  else read(spec.defaultBackend, '/spec/defaultBackend');
  if (Array.isArray(spec.rules)) {
    spec.rules.forEach((rule, i) => {
      const paths = isJsonObject(rule) && isJsonObject(rule.http) ? rule.http.paths : undefined;
      if (!Array.isArray(paths)) return;
      paths.forEach((path, j) => {
        if (isJsonObject(path)) read(path.backend, joinPointer('/spec/rules', i, 'http', 'paths', j, 'backend'));
      });
    });
  }
  return out;
}

/**
 * Every Service backend of an Ingress (rules and the default backend) names a Service of the Ingress' namespace,
 * and a port that Service declares. Only checked when the workspace holds Services (or with `requireDefined`).
 */
export default defineRule<{ requireDefined: boolean }>({
  meta: {
    id: 'ingress-backend-exists',
    category: 'networking',
    defaultSeverity: 'warning',
    target: { kinds: ['Ingress'], scope: 'object' },
    docs: {
      summary: 'Every Ingress backend names a Service of the Ingress\' namespace, and a port that Service declares.',
      rationale: 'An Ingress backend that names a missing Service, or a port the Service does not declare, answers 503 for its paths; the API server accepts it without complaint. Backends must be in the Ingress\' own namespace. Ports are compared with the Service\'s `port` (by number) or its port `name`. When the workspace holds no Service at all the rule stays quiet, because the Services may be deployed from elsewhere; the option `requireDefined: true` checks anyway. Backends of kind `resource` are not checked. Ingresses at the removed `extensions/v1beta1` and `networking.k8s.io/v1beta1` apiVersions are checked in their old shape (`serviceName`, `servicePort`), so that a wrong backend is not carried into the migration.',
      url: docsUrl('ingress-backend-exists'),
    },
    messages: {
      pass: 'Every backend of Ingress "{{name}}" is a Service of its namespace.',
      noService: 'Backend Service "{{service}}" does not exist in namespace "{{namespace}}"{{hint}}.',
      noPort: 'Service "{{service}}" in namespace "{{namespace}}" has no port {{port}} (its ports: {{ports}}){{hint}}.',
    },
    aliases: { kubeLinter: 'dangling-ingress', kubeScore: 'ingress-targets-service' },
    options: { type: 'object', properties: { requireDefined: REQUIRE_DEFINED_OPTION }, additionalProperties: false },
    defaultOptions: { requireDefined: false },
    crossResource: true,
    checklist: 'networking',
  },
  check(ctx) {
    const all = services(ctx.workspace);
    const legacy = isApi(ctx.resource, 'extensions/v1beta1') || isApi(ctx.resource, 'networking.k8s.io/v1beta1');
    const backends = isApi(ctx.resource, 'networking.k8s.io/v1') || legacy ? backendsOf(ctx.value, legacy) : [];
    if (backends.length === 0 || (all.length === 0 && !ctx.options.requireDefined)) {
      ctx.notApplicable();
      return;
    }
    const namespace = ctx.resource.namespace;
    const near = inFileOrder(all.filter((s) => ctx.workspace.namespaceOf(s) === namespace).map((resource) => ({ resource })));
    for (const backend of backends) {
      const service = near.find((s) => s.resource.name === backend.service)?.resource;
      if (!service) {
        const other = all.find((s) => s.name === backend.service);
        const names = near.map((s) => s.resource.name ?? '').filter((n) => n !== '');
        const hint = other ? ` (a Service "${backend.service}" exists in namespace "${ctx.workspace.namespaceOf(other)}": ${ctx.workspace.where(other)})`
          : names.length > 0 ? ` (Services there: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''})` : '';
        ctx.report({ messageId: 'noService', data: { service: backend.service, namespace, hint }, at: backend.namePath, anchor: 'value' });
        continue;
      }
      const spec = service.value.spec;
      const ports = isJsonObject(spec) && Array.isArray(spec.ports) ? spec.ports.filter(isJsonObject) : [];
      if (!backend.port || ports.length === 0) continue;
      const wanted = backend.port.value;
      const found = ports.some((p) => (typeof wanted === 'number' ? p.port === wanted : p.name === wanted));
      if (found) continue;
      const viaTarget = typeof wanted === 'number' && ports.find((p) => p.targetPort === wanted);
      const hint = viaTarget ? `; ${wanted} is the targetPort of port ${String(viaTarget.port)}, and an Ingress names the Service's port` : '';
      const listed = ports.map((p) => (typeof p.name === 'string' ? `${String(p.port)} (${p.name})` : String(p.port))).join(', ');
      ctx.report({
        messageId: 'noPort', data: { service: backend.service, namespace, port: typeof wanted === 'number' ? String(wanted) : `"${wanted}"`, ports: listed, hint },
        at: backend.port.path, anchor: 'value',
      });
    }
  },
});
