/**
 * checkGates on in-memory definitions: the reference platform, imported
 * directly, deep-cloned and changed in one place per case. Each case asserts
 * the codes, files and field paths of every gate diagnostic, not the sentences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, type Diagnostic } from '../../src/diagnostics/index.js';
import { holds as conditionHolds, parseCondition } from '../../src/metrics/index.js';
import { parseDate } from '../../src/validate/gates-release.js';
import { credentialIn, userLabelIn } from '../../src/validate/gates-security.js';
import { validateDefinitions } from '../../src/validate/index.js';
import { asDefinitions, cloneReference, modelOf, policyOf, referenceDefinitions } from '../support/definitions.js';
import { FRAUD, GATE_CASES, GITHUB_TOKEN, NOW, PLATFORM, fraud, gates, gatesOf, strictCanary, summary, withTokenTenant } from '../support/gate-cases.js';
const CASES = GATE_CASES;

describe('checkGates', () => {
  it('finds nothing, not even a warning, in the reference platform', async () => {
    const d = await referenceDefinitions();
    expect(gatesOf(d, NOW)).toEqual([]);
  });

  it('has at least 30 failing fixtures and one passing and one failing fixture per gate', () => {
    const failing = CASES.filter((c) => c.expected.length > 0);
    expect(failing.length).toBeGreaterThanOrEqual(30);
    expect(CASES.filter((c) => c.expected.length === 0).length).toBeGreaterThanOrEqual(10);
  });

  for (const c of CASES) {
    it(c.title, async () => {
      const d = await cloneReference();
      c.change(d);
      const found = gates(d);
      expect(summary(found)).toEqual([...c.expected].sort());
      // The changed definitions are otherwise valid: the gates are the only problems.
      expect(summary(validateDefinitions(asDefinitions(d), NOW).filter((x) => !x.code.startsWith('MP5') && !x.code.startsWith('MP6') && !x.code.startsWith('MP7') && !x.code.startsWith('MP8')))).toEqual([]);
    });
  }

  it('gives every diagnostic a documented code, a file, a path and a message; only MP7007, MP6013, MP6014 and MP6011 off strict tiers are warnings', async () => {
    const found: Diagnostic[] = [];
    const seen = new Set<string>();
    for (const c of CASES) {
      const d = await cloneReference();
      c.change(d);
      const tierOf = (file: string) => d.models.find((m) => m.file === file)?.value.tier;
      const strictTier = (file: string) => d.platform.value.tiers[tierOf(file) ?? '']?.strict === true;
      for (const x of gates(d)) {
        found.push(x);
        seen.add(`${x.code} ${x.severity}`);
        const warning = x.code === 'MP7007' || x.code === 'MP6013' || x.code === 'MP6014' || (x.code === 'MP6011' && !strictTier(x.file!));
        expect(x.severity, `${x.code} ${x.file}`).toBe(warning ? 'warning' : 'error');
      }
    }
    expect(found.length).toBeGreaterThan(30);
    for (const x of found) {
      expect(Object.keys(CATALOGUE)).toContain(x.code);
      expect(x.file).toMatch(/^(models|policies)\/[a-z-]+\.ts$/);
      expect(x.path?.length).toBeGreaterThan(0);
      expect(x.message.length).toBeGreaterThan(20);
    }
    // The fixtures give MP6011 both ways, and MP6010 (always an error).
    for (const expected of ['MP6011 error', 'MP6011 warning', 'MP6010 error']) expect(seen).toContain(expected);
    expect(Object.keys(CATALOGUE)).toEqual(expect.arrayContaining(['MP6010', 'MP6011']));
  });

  it('judges approval dates against the given time', async () => {
    const d = await cloneReference();
    fraud(d).versions[1].approval!.at = '2026-11-02';
    expect(summary(gates(d, new Date('2026-11-01T12:00:00Z')))).toEqual([`${FRAUD} MP5006 versions[1].approval.at`]);
    expect(gates(d, new Date('2026-11-02T00:00:00Z'))).toEqual([]);
  });

  it('reports one missing approval per version, naming every place it receives traffic', async () => {
    const d = await cloneReference();
    const m = modelOf(d, 'search-ranker');
    m.deploy.prod.tenants = { 'tenant-a': '2.3.1', 'tenant-b': '2.3.1' };
    delete m.versions[0].approval;
    const [x, ...rest] = gates(d);
    expect(rest).toEqual([]);
    expect(x).toMatchObject({ code: 'MP5001', severity: 'error', file: 'models/search-ranker.ts', path: ['versions', 0] });
    expect(x.message).toContain("tenant 'tenant-a' in prod");
    expect(x.message).toContain("tenant 'tenant-b' in prod");
    expect(x.message).toContain("policy 'progressive'");
  });

  it('names the value found and the threshold of a failed offline gate', async () => {
    const d = await cloneReference();
    strictCanary(d, { auc: '>= 0.97' });
    const [x] = gates(d);
    expect(x.message).toContain('0.968');
    expect(x.message).toContain('>= 0.97');
    expect(x.message).toContain("policy 'strict'");
  });

  it('names both types of a skewed feature', async () => {
    const d = await cloneReference();
    fraud(d).versions[0].features.hour_of_day = 'long';
    const [x] = gates(d);
    expect(x.message).toContain("'long'");
    expect(x.message).toContain("'int'");
  });

  it('states the GPUs needed, available and the biggest consumers of a full pool', async () => {
    const d = await cloneReference();
    d.platform.value.nodePools['gpu-l4'].nodes.prod = 5;
    const [x] = gates(d);
    expect(x.message).toContain('has 20 GPUs (5 nodes × 4)');
    expect(x.message).toContain('need 24 GPUs');
    expect(x.message).toContain('query-embedder@3.0.0 × 7 (7 GPUs)');
    expect(x.message).toContain('nodes.prod to at least 6');
  });

  it('never shows the credential it found', async () => {
    const d = await cloneReference();
    fraud(d).versions[0].lineage.trainingRun = `mlflow:runs/abc?auth=${GITHUB_TOKEN}`;
    const [x] = gates(d);
    expect(x.code).toBe('MP7008');
    expect(x.message).not.toContain(GITHUB_TOKEN);
    expect(x.message).toContain('GitHub token');
    const y = gates(withTokenTenant(await cloneReference()))[0];
    expect(y).toMatchObject({ code: 'MP7008', path: ['deploy', 'prod', 'tenants', GITHUB_TOKEN] });
    expect(y.message).not.toContain(GITHUB_TOKEN);
  });

  it('judges only definitions that pass the schema and reference checks, and never throws on bad input', async () => {
    const d = await cloneReference();
    delete fraud(d).versions[1].approval; // would be MP5001...
    (fraud(d) as { dataClass: string }).dataClass = 'secret'; // ...but the model fails its schema
    (modelOf(d, 'credit-limit') as unknown as Record<string, unknown>).versions = null;
    modelOf(d, 'ad-ctr').deploy.prod.pool = 'gpu-h100'; // unknown pool
    delete modelOf(d, 'eta-predictor').versions[0].approval; // still judged
    (policyOf(d, 'direct') as unknown as Record<string, unknown>).steps = { weight: 5 };
    let found: Diagnostic[] = [];
    expect(() => (found = gates(d))).not.toThrow();
    expect(summary(found)).toEqual(['models/eta-predictor.ts MP5001 versions[0]']);
    expect(summary(validateDefinitions(asDefinitions(d), NOW)).filter((s) => / MP[567]\d{3} /.test(s))).toEqual(['models/eta-predictor.ts MP5001 versions[0]']);
  });

  it('judges nothing without a valid platform', async () => {
    const d = await cloneReference();
    delete fraud(d).versions[1].approval;
    expect(gatesOf({ policies: asDefinitions(d).policies, models: asDefinitions(d).models }, NOW)).toEqual([]);
    (d.platform.value as unknown as Record<string, unknown>).tiers = 'all';
    expect(gates(d)).toEqual([]);
  });

  it('runs from validateDefinitions, after the reference checks', async () => {
    const d = await cloneReference();
    delete fraud(d).versions[1].approval;
    d.platform.value.nodePools['gpu-l4'].nodes.prod = 5;
    expect(summary(validateDefinitions(asDefinitions(d), NOW))).toEqual(
      [`${FRAUD} MP5001 versions[1]`, `${PLATFORM} MP6001 nodePools["gpu-l4"].nodes.prod`, `${PLATFORM} MP6013 nodePools["gpu-l4"].nodes.prod`].sort(),
    );
  });
});

/** Every field path of a value, for the property test below. */
function pathsOf(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (path.length > 0) out.push(path);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...path, i], out));
  else if (value && typeof value === 'object') for (const key of Object.keys(value)) pathsOf((value as Record<string, unknown>)[key], [...path, key], out);
  return out;
}

describe('checkGates on arbitrary changes', () => {
  it('never throws, whatever single field of the reference platform is replaced with', async () => {
    const reference = await referenceDefinitions();
    const targets = [reference.platform!, ...reference.policies, ...reference.models].flatMap((loaded, which) => pathsOf(loaded.value).map((path) => ({ which, path })));
    const values = [null, 0, -1, 1, 2, 1e9, 0.5, '', 'x', 'prod', '2.3.1', 'gpu-l4', 'critical', true, false, [], {}, { min: 0, max: 1 }];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: targets.length - 1 }), fc.constantFrom(...values), async (index, replacement) => {
        const d = await cloneReference();
        const { which, path } = targets[index];
        const root = [d.platform, ...d.policies, ...d.models][which].value as unknown as Record<string | number, unknown>;
        let parent = root;
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
        parent[path[path.length - 1]] = structuredClone(replacement);
        expect(() => gates(d)).not.toThrow();
        expect(() => validateDefinitions(asDefinitions(d), NOW)).not.toThrow();
      }),
      { numRuns: 300, seed: 20261101 },
    );
  });
});

describe('gate helpers', () => {
  it.each([
    ['2026-10-21', true],
    ['2026-10-21T09:30:00Z', true],
    ['2026-10-21T09:30:00.250+02:00', true],
    ['2026-10-21T09:30Z', true],
    ['2026-02-29', false],
    ['2028-02-29', true],
    ['2026-13-01', false],
    ['2026-04-31', false],
    ['2026-10-21T24:00:00Z', false],
    ['2026-10-21T09:60:00Z', false],
    ['yesterday', false],
  ])('parseDate(%j) is valid: %s', (text, valid) => {
    expect(parseDate(text) !== undefined).toBe(valid);
  });

  it.each([
    ['>= 0.90', 0.9, true],
    ['>= 0.90', 0.89, false],
    ['> 0.9', 0.9, false],
    ['<= 40', 40, true],
    ['< 40', 40, false],
    ['== 1', 1, true],
    ['<= 1e-3', 0.002, false],
  ])('condition %j holds for %d: %s', (text, value, holds) => {
    expect(conditionHolds(parseCondition(text)!, value)).toBe(holds);
  });

  it.each([
    ['sum by (user_id) (rate(x[5m]))', 'user_id'],
    ['sum(rate(x{userId="1"}[5m]))', 'userId'],
    ['count(x{email!=""})', 'email'],
    ['sum without (account_id) (x)', 'account_id'],
    ['label_replace(x, "customer_id", "$1", "c", "(.*)")', 'customer_id'],
    ['sum(rate(emails_sent_total{channel="email"}[5m]))', undefined],
    ['sum(rate(user_id_hash_buckets_total[5m]))', undefined],
    ['max(model_feature_psi{namespace="{{namespace}}",feature="score"})', undefined],
  ])('userLabelIn(%j) is %j', (query, label) => {
    expect(userLabelIn(query)).toBe(label);
  });

  it.each([
    ['AKIAIOSFODNN7EXAMPLE', 'an AWS access key id'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----', 'a private key'],
    [`token ${GITHUB_TOKEN}`, 'a GitHub token'],
    [`github_pat_${'A1'.repeat(20)}`, 'a GitHub token'],
    ['postgres://app:s3cr3t@db.acme.internal/features', 'a URI with a user name and password'],
    ['--db-password=hunter22', 'a password, secret or token value'],
    ['access_token=abc123def', 'a password, secret or token value'],
    ['s3://acme-ml-prod/risk/fraud-detector/4.1.0/', undefined],
    ['docker.io/kserve/xgbserver@sha256:32c7f16214d99be8057203b561a5d69e53da4a7c27b2504f1a6d4428a3584f58', undefined],
    ['response_code=~"5.."', undefined],
    ['git@github.com:acme/ml-platform.git', undefined],
    ['sum(rate(x{secret=~".+"}[5m]))', undefined],
    ['arn:aws:iam::123456789012:role/ml-risk-prod', undefined],
  ])('credentialIn(%j) is %j', (text, what) => {
    expect(credentialIn(text)).toBe(what);
  });
});
