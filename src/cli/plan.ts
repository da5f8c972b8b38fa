import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { git, GitError } from '../git/git.js';
import { configFromEnv, GitHubError, makeClient, upsertStickyComment } from '../github/index.js';
import { diffPlatforms, PLAN_MARKER, planMarkdown, type Plan } from '../plan/index.js';
import { compile } from './compile.js';
import { ExitCode, printDiagnostics, UserFacingError, type Output } from './output.js';

export interface PlanOptions {
  readonly root: string;
  readonly base: string;
  readonly format: 'markdown' | 'json';
  /** Post the plan as the pull request's sticky comment. */
  readonly comment?: boolean;
  /** Pull request number. @default - from GITHUB_EVENT_PATH */
  readonly pr?: number;
}

/**
 * Compiles REF in a temporary git worktree (the user's checkout is not
 * touched) and the working tree, and diffs the resolved platforms.
 */
export async function computePlan(root: string, base: string): Promise<{ plan: Plan; errors: boolean; output: string[] }> {
  const messages: string[] = [];
  const head = await compile(root, { render: false });
  if (!head.platform) {
    return { plan: { base, environments: [], newWarnings: [], clearedWarnings: [], empty: true, rollbackBudgets: [] }, errors: true, output: messages };
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
  if (o.comment) await postComment(o.pr, markdown, output);
  return { code: ExitCode.ok, plan, markdown };
}

/** Creates or updates the pull request's one plan comment (found by its hidden marker). */
async function postComment(pr: number | undefined, markdown: string, output: Output): Promise<void> {
  const number = pr ?? (await pullRequestFromEvent());
  if (!number) throw new UserFacingError('--comment needs the pull request: pass --pr N or run in a pull_request workflow (GITHUB_EVENT_PATH)', ExitCode.usage);
  try {
    const config = configFromEnv();
    const { created } = await upsertStickyComment(makeClient(config, { log: (l) => output.err(l) }), config, number, PLAN_MARKER, markdown);
    output.err(`plan: ${created ? 'posted' : 'updated'} the plan comment on pull request #${number}`);
  } catch (error) {
    const s = (error as { status?: number }).status;
    if (error instanceof GitHubError || s !== undefined || error instanceof TypeError)
      throw new UserFacingError(`cannot post the plan comment: ${(error as Error).message}`, ExitCode.external);
    throw error;
  }
}

async function pullRequestFromEvent(): Promise<number | undefined> {
  const file = process.env.GITHUB_EVENT_PATH;
  if (!file) return undefined;
  try {
    const event = JSON.parse(await readFile(file, 'utf8')) as { pull_request?: { number?: number }; number?: number };
    return event.pull_request?.number ?? event.number;
  } catch {
    return undefined;
  }
}
