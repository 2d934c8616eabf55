/**
 * Declarative policies (the production-readiness schemas): a JSON or YAML file with an id, a target, a severity,
 * messages and a JSON Schema the target must satisfy. Each becomes a rule like any other; ajv's error paths
 * give the ranges. Policies are data only: no code runs, `$ref` cannot reach files or the network, and
 * patterns run on RE2 (linear time). See docs/policies.md.
 */
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseQuantity } from '../k8s/quantity';
import { re2Engine } from '../util/regex';
import { defineRule, type Category, type ChecklistGroup, type Rule, type RuleTarget } from '../rule';
import { createAjv, createBundledAjv } from '../schema/ajv';
import { schemaProblems } from '../schema/messages';
import { isJsonObject, type JsonObject, type Severity } from '../types';
import { parseChunk } from '../yaml/parse';

export interface PolicyFile {
  id: string;
  target: RuleTarget;
  severity: Severity;
  category?: Category;
  checklist?: ChecklistGroup | false;
  docs?: { summary?: string; rationale?: string; url?: string };
  messages: { pass: string; fail: string };
  schema: object;
}

export class PolicyError extends Error {}

let policyFileValidator: ValidateFunction | undefined;
let policyAjv: Ajv | undefined;

/** The ajv for policy schemas: RE2 patterns, quantity bounds, nothing loaded from outside. */
function ajv(): Ajv {
  if (policyAjv) return policyAjv;
  const instance = createAjv({ verbose: true, code: { optimize: false, regExp: re2Engine } });
  const bound = (keyword: 'quantityMinimum' | 'quantityMaximum', ok: (value: number, limit: number) => boolean, word: string) => {
    instance.addKeyword({
      keyword,
      type: ['string', 'number'],
      schemaType: ['string', 'number'],
      error: { message: ({ schema }) => `must be ${word} ${String(schema as unknown)}` as never },
      validate: (limit: string | number, data: unknown) => {
        const value = parseQuantity(data);
        const max = parseQuantity(limit);
        return value === undefined || max === undefined || ok(value, max);
      },
    });
  };
  bound('quantityMinimum', (v, l) => v >= l, 'at least');
  bound('quantityMaximum', (v, l) => v <= l, 'at most');
  policyAjv = instance;
  return instance;
}

function fileValidator(schemasDir: string): ValidateFunction {
  policyFileValidator ??= createBundledAjv({ verbose: true }).compile(JSON.parse(readFileSync(join(schemasDir, 'kgov-policy.schema.json'), 'utf8')) as object);
  return policyFileValidator;
}

const PLACEHOLDERS = /\{\{\s*(\w+)\s*\}\}/g;

/** Reads and checks a policy file's text; throws PolicyError with a message naming what is wrong. */
export function parsePolicy(text: string, source: string, schemasDir: string): PolicyFile {
  const doc = parseChunk(text)[0];
  if (!doc || doc.broken) throw new PolicyError(`${source}: ${doc?.problems[0]?.message ?? 'empty policy file'}`);
  const value = doc.value;
  const validate = fileValidator(schemasDir);
  if (!validate(value)) {
    const first = schemaProblems(validate.errors ?? [], { label: 'policy', base: '', hasKey: () => false, sourceText: () => undefined })[0];
    throw new PolicyError(`${source}: ${first?.message ?? 'not a valid policy'}`);
  }
  return value as unknown as PolicyFile;
}

/** Turns a checked policy into a rule. */
export function policyRule(policy: PolicyFile, source: string): Rule<Record<string, never>> {
  let validate: ValidateFunction;
  try {
    validate = ajv().compile(policy.schema);
  } catch (error) {
    throw new PolicyError(`${source}: its schema does not compile: ${error instanceof Error ? error.message : String(error)}`);
  }
  const label = policy.target.scope === 'container' ? 'Container' : policy.target.scope === 'podSpec' ? 'Pod spec' : 'Resource';
  const properties = isJsonObject(policy.schema as JsonObject) && isJsonObject((policy.schema as JsonObject).properties)
    ? Object.keys((policy.schema as { properties: object }).properties) : [];
  const allowed = new Set(['name', 'kind', 'namespace', 'resource', ...properties]);
  for (const template of [policy.messages.pass, policy.messages.fail]) {
    for (const [, key] of template.matchAll(PLACEHOLDERS)) {
      if (!allowed.has(key as string)) throw new PolicyError(`${source}: message placeholder {{${key}}} is not one of ${[...allowed].join(', ')}`);
    }
  }
  return defineRule({
    meta: {
      id: policy.id,
      category: policy.category ?? 'metadata',
      defaultSeverity: policy.severity,
      target: policy.target,
      docs: { summary: policy.docs?.summary ?? policy.messages.fail, rationale: policy.docs?.rationale ?? `Declared in ${source}.`, url: policy.docs?.url ?? source },
      messages: { pass: policy.messages.pass, fail: `${policy.messages.fail} {{detail}}` },
      checklist: policy.checklist ?? false,
    },
    check(ctx) {
      if ((validate as (data: unknown) => boolean)(ctx.value)) return;
      const data: Record<string, string | number | boolean> = {
        kind: ctx.resource.kind, namespace: ctx.resource.namespace, resource: ctx.resource.name ?? '',
        name: typeof ctx.value.name === 'string' ? ctx.value.name : ctx.resource.name ?? '',
      };
      for (const key of properties) {
        const v = ctx.value[key];
        data[key] = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v ?? null);
      }
      for (const problem of schemaProblems(validate.errors ?? [], { label, base: '', hasKey: () => false, sourceText: () => undefined })) {
        ctx.report({ messageId: 'fail', data: { ...data, detail: `(${problem.message.replace(/\.$/, '')})` }, at: problem.pointer, anchor: problem.anchor });
      }
    },
  });
}
