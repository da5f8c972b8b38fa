/**
 * The JSON Schemas ajv checks and the TypeScript types authors write against
 * come from one declaration (src/definitions, TypeBox). These tests check that
 * they agree, independently of how they are built: the compiler's view of each
 * type is walked next to the schema (fields, optionality, scalar types, enums,
 * arrays, maps); the public contract's field names are asserted at type level;
 * the reference definitions round-trip; and every field is documented.
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { DeploymentDefinition, ModelDefinition, PlatformDefinition, RolloutPolicyDefinition, VersionDefinition } from '../../src/index.js';
import { formatPath } from '../../src/diagnostics/index.js';
import { checkSchema, type SchemaKind } from '../../src/validate/schema-check.js';
import { referenceDefinitions } from '../support/definitions.js';
import { compile } from './compile.js';
import { allSchemas, isClosed, SCHEMAS, type Schema } from './schema-walk.js';

// Type-level assertions: the field names of the public contract (DESIGN.md) exist with these exact names.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Has<T, K extends string> = Equal<Exclude<K, keyof T>, never>;
const contract: [
  Has<ModelDefinition, 'id' | 'owner' | 'taskType' | 'tier' | 'dataClass' | 'features' | 'versions' | 'deploy'>,
  Has<VersionDefinition, 'version' | 'format' | 'artifact' | 'features' | 'lineage' | 'evaluation' | 'approval' | 'profile'>,
  Has<VersionDefinition['artifact'], 'uri' | 'sha256'>,
  Has<VersionDefinition['lineage'], 'dataset' | 'featureCode' | 'trainingRun' | 'image'>,
  Has<NonNullable<VersionDefinition['evaluation']>, 'metrics' | 'artifactSha256'>,
  Has<NonNullable<VersionDefinition['approval']>, 'by' | 'at'>,
  Has<VersionDefinition['profile'], 'p99LatencyMs' | 'maxRpsPerReplica' | 'warmupSeconds' | 'gpuMemoryGiB'>,
  Has<DeploymentDefinition, 'version' | 'canary' | 'previous' | 'pool' | 'resources' | 'replicas' | 'traffic' | 'tenants' | 'batching' | 'logging'>,
  Has<NonNullable<DeploymentDefinition['canary']>, 'version' | 'policy' | 'step'>,
  Has<NonNullable<DeploymentDefinition['previous']>, 'version' | 'until'>,
  Has<NonNullable<DeploymentDefinition['replicas']>, 'min' | 'max'>,
  Has<NonNullable<DeploymentDefinition['batching']>, 'maxBatchSize' | 'maxLatencyMs'>,
  Has<RolloutPolicyDefinition, 'name' | 'steps' | 'analysis' | 'gates' | 'keepPreviousFor'>,
  Has<RolloutPolicyDefinition['steps'][number], 'weight' | 'pause'>,
  Has<RolloutPolicyDefinition['analysis'], 'interval' | 'count' | 'failureLimit' | 'metrics'>,
  Has<NonNullable<RolloutPolicyDefinition['gates']>, 'offline' | 'requireApproval'>,
  Has<PlatformDefinition, 'environments' | 'nodePools' | 'teams' | 'tiers' | 'metricSources'>,
  Equal<ModelDefinition['dataClass'], 'public' | 'internal' | 'pii'>,
  Equal<NonNullable<DeploymentDefinition['logging']>['mode'], 'none' | 'summary' | 'request' | 'response' | 'all'>,
  Equal<ModelDefinition['versions'], readonly VersionDefinition[]>,
  Equal<ModelDefinition['deploy'], Readonly<Record<string, DeploymentDefinition>>>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];

/** Differences between a type (as the compiler sees it) and a schema, as `path: what`. */
function differences(checker: ts.TypeChecker, type: ts.Type, schema: Schema, path: (string | number)[]): string[] {
  const at = formatPath(path);
  const shown = checker.typeToString(type);
  if (Array.isArray(schema.enum)) {
    const members = type.isUnion() ? type.types : [type];
    const literals = members.map((t) => (t.isStringLiteral() ? t.value : `<${checker.typeToString(t)}>`)).sort();
    return JSON.stringify(literals) === JSON.stringify([...(schema.enum as string[])].sort()) ? [] : [`${at}: type ${shown}, schema enum ${JSON.stringify(schema.enum)}`];
  }
  if (Array.isArray(schema.type)) {
    // `boolean | { since: string }` as one schema of type ['boolean', 'object']: `true | false` is the boolean, the rest the object.
    const members = type.isUnion() ? type.types : [type];
    const booleans = members.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral);
    const others = members.filter((t) => !(t.flags & ts.TypeFlags.BooleanLiteral));
    if (JSON.stringify(schema.type) !== JSON.stringify(['boolean', 'object']) || booleans.length !== 2 || others.length !== 1)
      return [`${at}: type ${shown}, schema of types ${JSON.stringify(schema.type)}`];
    return differences(checker, others[0], { ...schema, type: 'object' }, path);
  }
  switch (schema.type) {
    case 'string':
      return type.flags & ts.TypeFlags.String ? [] : [`${at}: type ${shown}, schema string`];
    case 'number':
    case 'integer':
      return type.flags & ts.TypeFlags.Number ? [] : [`${at}: type ${shown}, schema ${String(schema.type)}`];
    case 'boolean':
      return shown === 'boolean' ? [] : [`${at}: type ${shown}, schema boolean`];
    case 'array': {
      if (!checker.isArrayType(type)) return [`${at}: type ${shown}, schema array`];
      if (type.getSymbol()?.getName() !== 'ReadonlyArray') return [`${at}: type ${shown} is a mutable array`];
      return differences(checker, checker.getTypeArguments(type as ts.TypeReference)[0], schema.items as Schema, [...path, 0]);
    }
    case 'object': {
      if (isClosed(schema)) {
        const properties = schema.properties as Record<string, Schema>;
        const required = new Set((schema.required ?? []) as string[]);
        const fields = checker.getPropertiesOfType(type);
        const names = fields.map((f) => f.getName()).sort();
        if (JSON.stringify(names) !== JSON.stringify(Object.keys(properties).sort())) return [`${at}: type fields ${names.join(', ')}, schema fields ${Object.keys(properties).sort().join(', ')}`];
        return fields.flatMap((field) => {
          const name = field.getName();
          const optional = (field.flags & ts.SymbolFlags.Optional) !== 0;
          if (optional === required.has(name)) return [`${formatPath([...path, name])}: ${optional ? 'optional in the type, required in the schema' : 'required in the type, optional in the schema'}`];
          return differences(checker, checker.getNonNullableType(checker.getTypeOfSymbol(field)), properties[name], [...path, name]);
        });
      }
      const values = checker.getIndexTypeOfType(type, ts.IndexKind.String);
      if (!values || typeof schema.additionalProperties !== 'object') return [`${at}: type ${shown}, schema map ${JSON.stringify(schema).slice(0, 80)}`];
      return differences(checker, values, schema.additionalProperties as Schema, [...path, '(value)']);
    }
    default:
      return [`${at}: schema without a type the test knows: ${JSON.stringify(schema).slice(0, 80)}`];
  }
}

/** The compiler's view of the fixture's type aliases (compiled once: a few seconds). */
let compiled: { checker: ts.TypeChecker; typeNamed: (name: string) => ts.Type } | undefined;
function types() {
  if (!compiled) {
    const { program, source, diagnostics } = compile('test/definitions/fixtures/definition-types.ts');
    expect(diagnostics).toEqual([]);
    const checker = program.getTypeChecker();
    const typeNamed = (name: string): ts.Type => {
      const alias = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name);
      if (!alias) throw new Error(`test setup: no type ${name} in the fixture`);
      return checker.getTypeAtLocation(alias.name);
    };
    compiled = { checker, typeNamed };
  }
  return compiled;
}

describe('definition schemas and types', () => {
  it('the contract holds at type level', () => {
    expect(contract.every((c) => c)).toBe(true);
  });

  it('agree field by field: names, optionality, scalar types, enums, read-only arrays, maps', () => {
    const { checker, typeNamed } = types();
    const kinds: [SchemaKind, string][] = [['model', 'Model'], ['platform', 'Platform'], ['rollout-policy', 'RolloutPolicy']];
    for (const [kind, name] of kinds) expect(differences(checker, typeNamed(name), SCHEMAS[kind], []), kind).toEqual([]);
  });

  it('notices a disagreement (the comparison is not vacuous)', () => {
    const { checker, typeNamed } = types();
    const model = SCHEMAS.model as { properties: Record<string, Schema>; required: string[] };
    const changed: Schema = {
      ...model,
      properties: { ...model.properties, dataClass: { ...model.properties.dataClass, enum: ['public', 'secret'] } },
      required: model.required.filter((r) => r !== 'tier'),
    };
    expect(differences(checker, typeNamed('Model'), changed, []).sort()).toEqual([
      'dataClass: type "public" | "internal" | "pii", schema enum ["public","secret"]',
      'tier: required in the type, optional in the schema',
    ]);
  });

  it('accept every reference definition after a JSON round trip, unchanged', async () => {
    const d = await referenceDefinitions();
    const all: [SchemaKind, { value: unknown; file: string }][] = [
      ['platform', d.platform!],
      ...d.policies.map((p): [SchemaKind, typeof p] => ['rollout-policy', p]),
      ...d.models.map((m): [SchemaKind, typeof m] => ['model', m]),
    ];
    expect(all.length).toBeGreaterThan(10);
    for (const [kind, { value, file }] of all) {
      const copy = JSON.parse(JSON.stringify(value)) as unknown;
      expect(copy, file).toEqual(value);
      expect(checkSchema(kind, copy, file), file).toEqual([]);
    }
  });

  it('document every field, and the default of every optional one', () => {
    const problems = (Object.keys(SCHEMAS) as SchemaKind[]).flatMap((kind) =>
      allSchemas(SCHEMAS[kind])
        .filter(({ schema }) => isClosed(schema))
        .flatMap(({ path, schema }) => {
          const required = new Set((schema.required ?? []) as string[]);
          return Object.entries(schema.properties as Record<string, Schema>).flatMap(([name, field]) => {
            const where = `${kind} ${formatPath([...path, name])}`;
            if (typeof field.description !== 'string' || field.description.length < 8) return [`${where}: no description`];
            if (!required.has(name) && !/Default: /.test(field.description)) return [`${where}: optional, but the description does not say the default`];
            return [];
          });
        }),
    );
    expect(problems).toEqual([]);
  });
});
