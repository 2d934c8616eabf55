import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';

/** A Kubernetes quantity: 500m, 1, 1.5Gi, 2e3, 100k (apimachinery/pkg/api/resource). */
export const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;
/** A Go time.Duration as CRDs use it: 30s, 1h30m, 500ms. */
const GO_DURATION = /^([-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+|0)$/;
const CIDR = /^(((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/(3[0-2]|[12]?\d)|[0-9a-fA-F:.]+\/(12[0-8]|1[01]\d|\d?\d))$/;
const MAC = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/;

/** Formats kgov checks; any other format name in a schema is treated as an annotation. */
export const CHECKED_FORMATS = new Set(['int32', 'int64', 'float', 'double', 'byte', 'date-time', 'datetime', 'date', 'uuid', 'ipv4', 'ipv6', 'cidr', 'mac', 'duration', 'quantity']);

export function createAjv(options: Options = {}): Ajv {
  // Generated code is not optimised: the schemas are large and compiled once, and optimising doubles compile time.
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, logger: false, code: { optimize: false }, ...options });
  addFormats(ajv, ['int32', 'int64', 'float', 'double', 'byte', 'date-time', 'date', 'uuid', 'ipv4', 'ipv6']);
  ajv.addFormat('datetime', ajv.formats['date-time'] as never);
  ajv.addFormat('quantity', QUANTITY);
  ajv.addFormat('duration', GO_DURATION);
  ajv.addFormat('cidr', CIDR);
  ajv.addFormat('mac', MAC);
  return ajv;
}

/**
 * For kgov's own schemas (generated from the Kubernetes OpenAPI documents, or written here) and compiled in every
 * test run: they skip ajv's check against the JSON Schema meta-schema, whose compilation costs some 30 ms of
 * every cold start. Schemas from the workspace (CRDs, policies) keep the check.
 */
export function createBundledAjv(options: Options = {}): Ajv {
  return createAjv({ ...options, validateSchema: false });
}
