import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { git, GitError } from '../git/git.js';
import { diffPlatforms, planMarkdown, type Plan } from '../plan/index.js';
import { compile } from './compile.js';
import { ExitCode, printDiagnostics, UserFacingError, type Output } from './output.js';

export interface PlanOptions {
  readonly root: string;
  readonly base: string;
  readonly format: 'markdown' | 'json';
}

/**
 * Compiles REF in a temporary git worktree (the user's checkout is not
 * touched) and the working tree, and diffs the resolved platforms.
 */
export async function computePlan(root: string, base: string): Promise<{ plan: Plan; errors: boolean; output: string[] }> {
  const messages: string[] = [];
  const head = await compile(root, { render: false });
  if (!head.platform) {
    return { plan: { base, environments: [], newWarnings: [], clearedWarnings: [], empty: true }, errors: true, output: messages };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'modelplane-plan-'));
  const worktree = path.join(dir, 'base');
  try {
    try {
      await git(root, ['worktree', 'add', '--detach', '--quiet', worktree, base]);
    } catch (error) {
      if (error instanceof GitError) throw new UserFacingError(`cannot check out --base ${base}: ${error.stderr.trim().split('\n').at(-1)}`, ExitCode.failed);
      throw error;
    }
    const before = await compile(worktree, { render: false });
    if (!before.platform) messages.push(`note: ${base} does not compile (${before.diagnostics.filter((d) => d.severity === 'error').length} errors); everything is shown as added`);
    const warnings = (c: typeof head) => c.diagnostics.filter((d) => d.severity === 'warning');
    return { plan: diffPlatforms(base, before.platform, head.platform, { before: warnings(before), after: warnings(head) }), errors: false, output: messages };
  } finally {
    await git(root, ['worktree', 'remove', '--force', worktree]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** `modelplane plan [--base REF] [--format json]` */
export async function planCommand(o: PlanOptions, output: Output): Promise<{ code: number; plan?: Plan; markdown?: string }> {
  const { plan, errors, output: notes } = await computePlan(o.root, o.base);
  if (errors) {
    const head = await compile(o.root, { render: false });
    printDiagnostics(output, head.diagnostics);
    output.err('plan: the working tree has errors; fix them to see the plan');
    return { code: ExitCode.failed };
  }
  for (const n of notes) output.err(n);
  const markdown = planMarkdown(plan);
  output.out(o.format === 'json' ? JSON.stringify(plan, null, 2) : markdown.trimEnd());
  return { code: ExitCode.ok, plan, markdown };
}
