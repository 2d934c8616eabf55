/**
 * npm run peers as a test: the peer-compatible presets give each peer's own verdict on its own test fixtures
 * (test/peers/<tool>/) in at least 98 % of cases, and the cases where they do not are exactly the documented ones.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KNOWN_DISAGREEMENTS, measure, PEER_TOOLS, percent } from '../scripts/peers';
import { PRESET_OPTIONS, PRESETS } from '../server/src/engine/config/presets';
import { RULES } from '../server/src/engine/rules';
import { createBundledAjv } from '../server/src/engine/schema/ajv';

describe('peer-compatible presets on the peers\' own fixtures', () => {
  for (const tool of PEER_TOOLS) {
    it(`--preset ${tool} agrees with ${tool} on at least 98 % of its cases`, () => {
      const result = measure(tool);
      assert.ok(result.total > 0, `no cases for ${tool}`);
      const disagreements = result.cases.filter((c) => !c.agrees).map((c) => `${c.check} ${c.fixture}`).sort();
      assert.deepEqual(disagreements, Object.keys(KNOWN_DISAGREEMENTS[tool]).sort(), 'the disagreements changed: update KNOWN_DISAGREEMENTS in scripts/peers.ts and docs/migrating.md');
      assert.ok(percent(result) >= 98, `${tool}: ${result.agreeing}/${result.total}`);
    });
  }

  it('the presets set only options their rules declare, with valid values, on rules they turn on', () => {
    const ajv = createBundledAjv({ useDefaults: false });
    for (const [preset, byRule] of Object.entries(PRESET_OPTIONS)) {
      for (const [id, options] of Object.entries(byRule ?? {})) {
        const rule = RULES[id];
        assert.ok(rule, `${preset} sets options of unknown rule ${id}`);
        assert.ok(PRESETS[preset as keyof typeof PRESETS]?.[id], `${preset} sets options of ${id}, which it does not turn on`);
        const validate = ajv.compile(rule.meta.options ?? { type: 'object', additionalProperties: false });
        assert.ok(validate(options), `${preset} options of ${id}: ${JSON.stringify(validate.errors)}`);
      }
    }
  });
});
