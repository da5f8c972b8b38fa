/**
 * mergeDeploymentSource on the fixture's models/card-fraud.ts: `theirs` is the
 * file before a rollout step, `base` after it, `ours` the current file. Each
 * case states the exact text the merge must produce.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffDeploymentSource, MergeConflict, mergeDeploymentSource } from '../../src/source/index.js';
import { FIXTURE_ROOT } from '../support/repo.js';

const BEFORE = readFileSync(path.join(FIXTURE_ROOT, 'models/card-fraud.ts'), 'utf8');
const CANARY_LINE = "      canary: { version: '4.2.0', policy: 'progressive', step: 1 },\n";

function replaced(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`test setup: ${JSON.stringify(from)} must occur exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

// The rollout step under test: the prod canary goes from step 1 to step 2.
const AFTER = replaced(BEFORE, CANARY_LINE, CANARY_LINE.replace('step: 1', 'step: 2'));
const PROD = "    prod: {\n      version: '4.1.0',\n";

describe('mergeDeploymentSource', () => {
  it('undoes the step when nothing else changed: the result is the file before the rollout', () => {
    const merged = mergeDeploymentSource({ base: AFTER, ours: AFTER, theirs: BEFORE, env: 'prod' });
    expect(merged.text).toBe(BEFORE);
    expect(merged.changes).toEqual([{ path: 'deploy.prod.canary', from: "{ version: '4.2.0', policy: 'progressive', step: 2 }", to: "{ version: '4.2.0', policy: 'progressive', step: 1 }" }]);
    expect(merged.kept).toEqual([]);
  });

  it('keeps a later edit of another field of deploy.prod and of the rest of the file', () => {
    const ours = replaced(replaced(AFTER, PROD, `${PROD}      replicas: { min: 4, max: 12 },\n`), '// Owned by @acme/risk-ml.', '// Owned by @acme/risk-ml (edited later).');
    const merged = mergeDeploymentSource({ base: AFTER, ours, theirs: BEFORE, env: 'prod' });
    expect(merged.text).toBe(replaced(replaced(BEFORE, PROD, `${PROD}      replicas: { min: 4, max: 12 },\n`), '// Owned by @acme/risk-ml.', '// Owned by @acme/risk-ml (edited later).'));
    expect(merged.kept).toEqual(['deploy.prod.replicas']);
  });

  it('restores a removed field on its own line, and a comment-only later edit is not a conflict', () => {
    const aborted = replaced(BEFORE, CANARY_LINE, '');
    const withComment = replaced(BEFORE, CANARY_LINE, CANARY_LINE.replace('},\n', '}, // agreed with SRE\n'));
    // Rollout step: the canary was added (theirs = without it); later someone commented on it.
    const merged = mergeDeploymentSource({ base: BEFORE, ours: withComment, theirs: aborted, env: 'prod' });
    expect(merged.text).toBe(aborted);
    // And the other way round: an abort is undone by putting the canary back after `version`.
    expect(mergeDeploymentSource({ base: aborted, ours: aborted, theirs: BEFORE, env: 'prod' }).text).toBe(BEFORE);
  });

  it('merges nested literals field by field', () => {
    const base = replaced(AFTER, PROD, `${PROD}      replicas: { min: 4, max: 12 },\n`);
    const theirs = replaced(BEFORE, PROD, `${PROD}      replicas: { min: 2, max: 12 },\n`);
    const ours = replaced(AFTER, PROD, `${PROD}      replicas: { min: 4, max: 20 },\n`);
    const merged = mergeDeploymentSource({ base, ours, theirs, env: 'prod' });
    expect(merged.text).toBe(replaced(BEFORE, PROD, `${PROD}      replicas: { min: 2, max: 20 },\n`));
    expect(merged.kept).toEqual(['deploy.prod.replicas.max']);
  });

  it('refuses a field the rollout changed and someone changed differently afterwards, naming its path', () => {
    const ours = replaced(AFTER, "step: 2 }", "step: 3 }");
    let error: unknown;
    try {
      mergeDeploymentSource({ base: AFTER, ours, theirs: BEFORE, env: 'prod' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MergeConflict);
    expect((error as MergeConflict).paths).toEqual(['deploy.prod.canary.step']);
  });
});

describe('diffDeploymentSource', () => {
  it('lists the leaf-most fields that differ, ignoring layout and comments', () => {
    const reformatted = replaced(BEFORE, CANARY_LINE, "      canary: { version: '4.2.0', policy: 'progressive', step: 1 }, // note\n");
    expect(diffDeploymentSource(BEFORE, reformatted, 'prod')).toEqual([]);
    expect(diffDeploymentSource(BEFORE, AFTER, 'prod')).toEqual([{ path: 'deploy.prod.canary.step', from: '1', to: '2' }]);
  });
});
