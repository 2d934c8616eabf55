import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyString, resolvePlain, resolveTagged } from '../../server/src/engine/yaml/scalars';

describe('scalars resolve as go-yaml v2 (what kubectl sends the API server)', () => {
  it('reads YAML 1.1 booleans, including yes/no/on/off/y/n', () => {
    for (const s of ['yes', 'Yes', 'YES', 'on', 'ON', 'true', 'True', 'y', 'Y']) assert.equal(resolvePlain(s), true, s);
    for (const s of ['no', 'No', 'off', 'OFF', 'false', 'n', 'N']) assert.equal(resolvePlain(s), false, s);
    assert.equal(resolvePlain('yEs'), 'yEs');
  });
  it('reads nulls', () => {
    for (const s of ['', '~', 'null', 'Null', 'NULL']) assert.equal(resolvePlain(s), null, s);
  });
  it('reads integers like strconv.ParseInt(s, 0, 64), underscores removed', () => {
    assert.equal(resolvePlain('42'), 42);
    assert.equal(resolvePlain('-7'), -7);
    assert.equal(resolvePlain('+3'), 3);
    assert.equal(resolvePlain('0755'), 493);
    assert.equal(resolvePlain('0o17'), 15);
    assert.equal(resolvePlain('0x1F'), 31);
    assert.equal(resolvePlain('0b101'), 5);
    assert.equal(resolvePlain('1_000'), 1000);
  });
  it('reads floats only in the YAML style, and leaves the rest as strings', () => {
    assert.equal(resolvePlain('1.5'), 1.5);
    assert.equal(resolvePlain('1e3'), 1000);
    assert.equal(resolvePlain('.5'), 0.5);
    assert.equal(resolvePlain('08'), 8);
    assert.equal(resolvePlain('.inf'), Infinity);
    assert.ok(Number.isNaN(resolvePlain('.nan') as number));
    for (const s of ['1.2.3', '12:30', '1e', '-', 'Infinity', 'NaN', '0x', '500m', '1Gi', 'v1.2']) assert.equal(resolvePlain(s), s, s);
  });
  it('keeps timestamps as strings', () => {
    assert.equal(resolvePlain('2001-12-14'), '2001-12-14');
    assert.equal(resolvePlain('2001-12-14T21:59:43.10Z'), '2001-12-14T21:59:43.10Z');
  });
  it('honours core tags and treats custom tags as plain data', () => {
    assert.equal(resolveTagged('!!str', '5'), '5');
    assert.equal(resolveTagged('tag:yaml.org,2002:int', '7'), 7);
    assert.equal(resolveTagged('!!bool', 'yes'), true);
    assert.equal(resolveTagged('!!null', 'x'), null);
    assert.equal(resolveTagged('!Ref', 'MyBucket'), 'MyBucket');
    assert.equal(resolveTagged('!custom', '5'), '5');
  });
  it('turns non-string keys into the JSON keys sigs.k8s.io/yaml writes', () => {
    assert.equal(keyString(5), '5');
    assert.equal(keyString(true), 'true');
    assert.equal(keyString(1.5), '1.5');
    assert.equal(keyString('x'), 'x');
    assert.equal(keyString(null), undefined);
  });
});
