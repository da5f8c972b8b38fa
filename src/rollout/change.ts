import type { Diagnostic } from '../diagnostics/index.js';
import type { RolloutTrailers } from '../git/git.js';
import type { ResolvedPlatform } from '../resolve/index.js';
import type { DeploymentEdit } from '../source/index.js';

/** How a change edits the model file. */
export type ChangeEdit =
  /** One edit of `deploy.<env>`. */
  | { readonly kind: 'deployment'; readonly edit: DeploymentEdit }
  /**
   * `git revert` of a rollout's commits (newest first, the release last); when
   * they do not revert cleanly, each is reverted on `deploy.<env>` alone by a
   * field-level three-way merge that keeps later unrelated edits, or refused
   * naming the commits in the way.
   */
  | { readonly kind: 'revert'; readonly commits: readonly string[] };

/** A change to one model's deployment in one environment, as data. */
export interface Change {
  readonly model: string;
  readonly env: string;
  /** The model file the change edits: with generated/ and .github/CODEOWNERS, the only file it may commit. */
  readonly modelFile: string;
  readonly branch: string;
  readonly title: string;
  readonly body: string;
  readonly trailers: RolloutTrailers;
  readonly edit: ChangeEdit;
}

/** How a change leaves the machine. */
export interface Delivery {
  /** Commit on a local branch instead of opening a pull request. */
  readonly noPr: boolean;
  readonly autoMerge?: boolean;
  /** Base branch of the pull request. @default GITHUB_BASE_REF, else the repository's default branch */
  readonly base?: string;
  /** Branch a local commit starts from. @default - the checked-out branch */
  readonly from?: string;
  /**
   * Publish straight onto the base branch (branch protection must allow the
   * bot): with `noPr`, a fast-forward commit on the checked-out branch;
   * otherwise the base ref is moved to the new commit (never forced).
   */
  readonly direct?: boolean;
}

/** What a change became. */
export type ChangeResult =
  | { readonly kind: 'commit'; readonly change: Change; readonly sha: string; readonly branch: string; readonly how?: string; /** The branch already held this change. */ readonly existing?: boolean }
  | { readonly kind: 'pushed'; readonly change: Change; readonly sha: string; readonly branch: string; readonly how?: string }
  | { readonly kind: 'pull-request'; readonly change: Change; readonly created: boolean; readonly number: number; readonly url: string; readonly branch: string; readonly files: number };

/** Compiles a checkout: what the transaction needs of `compile`. */
export type Compiler = (root: string) => Promise<{ readonly diagnostics: readonly Diagnostic[]; readonly platform?: ResolvedPlatform }>;

/**
 * A change that was not made. `refused`: the user can fix it (exit 1);
 * `external`: git, GitHub or the cluster failed (exit 3). Nothing was committed.
 */
export class RolloutError extends Error {
  constructor(
    message: string,
    readonly reason: 'refused' | 'external',
    /** Diagnostics of the state the change would have made, when it does not validate. */
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
  }
}

/**
 * `modelplane/<env>/<model>/<action>-<version>`: the same change always gets
 * the same branch. Rollbacks and aborts (pre-approved reverts) go under
 * `modelplane/rollback/<env>/<model>/<action>-<version>`, which the fast
 * rollback workflow checks with `synth --check` alone.
 */
export function branchName(env: string, model: string, action: string, version: string): string {
  return isRevert(action) ? `modelplane/rollback/${env}/${model}/${action}-${version}` : `modelplane/${env}/${model}/${action}-${version}`;
}

/** Labels of a change's pull request: `modelplane`, `env:<env>` and `action:<action>`. */
export function pullRequestLabels(change: Change): string[] {
  return ['modelplane', `env:${change.env}`, `action:${change.trailers.action}`];
}

/** Rollback and abort: changes that only take traffic back to a state that was already reviewed. */
export function isRevert(action: string): boolean {
  return action === 'rollback' || action === 'abort';
}

/** Paths a change may commit: its model file, generated/ and .github/CODEOWNERS. */
export function ownsPath(change: Change, file: string): boolean {
  return file === change.modelFile || file.startsWith('generated/') || file === '.github/CODEOWNERS';
}

/** `2026-12-01T10:00:00Z`: `now` plus `seconds`, without milliseconds. */
export function isoAfter(now: Date, seconds: number): string {
  return new Date(now.getTime() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
