import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { normalise, toYaml } from '../../src/synth/index.js';

describe('normalise', () => {
  const KEY_ORDER: { title: string; input: Record<string, unknown>; keys: string[] }[] = [
    {
      title: 'puts apiVersion, kind and metadata first, in that order',
      input: { spec: {}, metadata: {}, kind: 'Namespace', apiVersion: 'v1' },
      keys: ['apiVersion', 'kind', 'metadata', 'spec'],
    },
    {
      title: 'sorts every other key after them',
      input: { status: 1, data: 2, apiVersion: 'v1', binaryData: 3, kind: 'ConfigMap', immutable: true, metadata: {} },
      keys: ['apiVersion', 'kind', 'metadata', 'binaryData', 'data', 'immutable', 'status'],
    },
    {
      title: 'sorts by code point, upper case before lower case',
      input: { b: 1, B: 2, a: 3, _z: 4, 'z-1': 5, z1: 6 },
      keys: ['B', '_z', 'a', 'b', 'z-1', 'z1'],
    },
    {
      title: 'keeps a lone metadata first in a nested object',
      input: { spec: 1, metadata: 2 },
      keys: ['metadata', 'spec'],
    },
  ];

  for (const { title, input, keys } of KEY_ORDER) {
    it(title, () => {
      expect(Object.keys(normalise(input) as object)).toEqual(keys);
    });
  }

  it('sorts nested objects, including objects inside arrays', () => {
    const out = normalise({ metadata: { name: 'n', labels: { b: '1', a: '2' }, annotations: {} }, spec: { containers: [{ name: 'c', image: 'i', args: [] }] } }) as {
      metadata: { labels: object };
      spec: { containers: object[] };
    };
    expect(Object.keys(out.metadata)).toEqual(['annotations', 'labels', 'name']);
    expect(Object.keys(out.metadata.labels)).toEqual(['a', 'b']);
    expect(Object.keys(out.spec.containers[0])).toEqual(['args', 'image', 'name']);
  });

  it('drops null and undefined values from objects and arrays and keeps falsy ones', () => {
    expect(normalise({ a: null, b: undefined, c: 0, d: '', e: false, f: [1, null, 2, undefined, 0], g: { h: null } })).toEqual({ c: 0, d: '', e: false, f: [1, 2, 0], g: {} });
    const out = normalise({ a: null, b: 1 }) as object;
    expect(Object.hasOwn(out, 'a')).toBe(false);
  });

  it('keeps the order of arrays', () => {
    expect(normalise({ args: ['--b', '--a', '--c'] })).toEqual({ args: ['--b', '--a', '--c'] });
  });

  it('does not change its input', () => {
    const input = { spec: { b: 1, a: null }, kind: 'X', apiVersion: 'v1' };
    const copy = structuredClone(input);
    normalise(input);
    expect(input).toEqual(copy);
    expect(Object.keys(input)).toEqual(['spec', 'kind', 'apiVersion']);
  });
});

describe('toYaml', () => {
  it('writes keys in normalised order, drops nulls and ends with a newline', () => {
    expect(toYaml({ spec: { b: 2, a: null, c: [3, null] }, metadata: { name: 'x' }, kind: 'K', apiVersion: 'v1' })).toBe(
      ['apiVersion: v1', 'kind: K', 'metadata:', '  name: x', 'spec:', '  b: 2', '  c:', '    - 3', ''].join('\n'),
    );
  });

  it('does not fold a 300-character string, with or without spaces', () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ').slice(0, 300);
    const solid = 'x'.repeat(300);
    for (const value of [words, solid]) {
      expect(value).toHaveLength(300);
      const text = toYaml({ metadata: { annotations: { description: value } } });
      const line = text.split('\n').find((l) => l.includes('description:'))!;
      expect(line.trim()).toBe(`description: ${value}`);
      expect(text.split('\n')).toHaveLength(4); // metadata, annotations, description, and the final newline
      expect(parse(text)).toEqual({ metadata: { annotations: { description: value } } });
    }
  });

  it('quotes strings that YAML would read as numbers, booleans or null', () => {
    const values = { version: '1.10', port: '8080', octal: '0755', float: '1e3', yes: 'true', nothing: 'null', tilde: '~', empty: '' };
    const text = toYaml(values);
    // Double quotes, keys in code-point order; the key `yes` is itself a YAML 1.1 boolean, so it is quoted too.
    expect(text.split('\n')).toEqual(['empty: ""', 'float: "1e3"', 'nothing: "null"', 'octal: "0755"', 'port: "8080"', 'tilde: "~"', 'version: "1.10"', '"yes": "true"', '']);
    expect(parse(text)).toEqual(values);
    expect(parse(text, { version: '1.1' })).toEqual(values);
    for (const value of Object.values(values)) {
      const one = toYaml({ v: value });
      expect(one).toBe(`v: "${value}"\n`);
      expect(parse(one)).toEqual({ v: value });
      expect(parse(one, { version: '1.1' })).toEqual({ v: value });
    }
  });

  it('prepends the header line', () => {
    expect(toYaml({ kind: 'K' }, '# Generated')).toBe('# Generated\nkind: K\n');
  });

  it('writes the same text for the same object built in a different key order', () => {
    const a = { kind: 'K', metadata: { labels: { x: '1', y: '2' }, name: 'n' }, spec: { z: [1, 2], a: { c: 1, b: 2 } } };
    const b = { spec: { a: { b: 2, c: 1 }, z: [1, 2] }, metadata: { name: 'n', labels: { y: '2', x: '1' } }, kind: 'K' };
    expect(toYaml(b)).toBe(toYaml(a));
  });

  // Kubernetes and Argo CD read manifests with YAML 1.1 rules (sigs.k8s.io/yaml,
  // go-yaml v2), where `yes`, `no`, `on`, `off`, `y` and `n` are booleans: a
  // model id, team, tier or tenant named `on` or `no` (all valid DNS labels)
  // must still be written as a string label value, so toYaml quotes them.
  it('quotes strings that YAML 1.1 readers take for booleans', () => {
    const labels = { a: 'yes', b: 'no', c: 'on', d: 'off', e: 'y', f: 'n', g: 'Yes', h: 'NO', i: 'On' };
    const text = toYaml({ metadata: { labels } });
    for (const value of Object.values(labels)) expect(text).toMatch(new RegExp(`^    [a-i]: "${value}"$`, 'm'));
    expect(parse(text, { version: '1.1' })).toEqual({ metadata: { labels } });
    expect(parse(text)).toEqual({ metadata: { labels } });
  });

  it('quotes keys that YAML 1.1 readers take for booleans', () => {
    const labels = { no: 'x', on: 'y', plain: 'fraud-detector' };
    const text = toYaml({ metadata: { labels } });
    expect(text).toBe(['metadata:', '  labels:', '    "no": x', '    "on": "y"', '    plain: fraud-detector', ''].join('\n'));
    expect(parse(text, { version: '1.1' })).toEqual({ metadata: { labels } });
    expect(parse(text)).toEqual({ metadata: { labels } });
  });

  it('quotes strings that YAML 1.1 readers take for dates, octal or sexagesimal numbers', () => {
    const values = { date: '2024-01-01', octal: '0755', sexagesimal: '1:20' };
    const text = toYaml(values);
    expect(text).toBe(['date: "2024-01-01"', 'octal: "0755"', 'sexagesimal: "1:20"', ''].join('\n'));
    expect(parse(text, { version: '1.1' })).toEqual(values);
    expect(parse(text)).toEqual(values);
  });

  it('leaves plain strings unquoted', () => {
    expect(toYaml({ id: 'fraud-detector', tier: 'critical', team: 'risk', version: 'v4-1-0' })).toBe(['id: fraud-detector', 'team: risk', 'tier: critical', 'version: v4-1-0', ''].join('\n'));
  });
});
