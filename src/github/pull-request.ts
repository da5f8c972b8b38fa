import type { Octokit } from '@octokit/rest';
import { GitHubError, type GitHubConfig } from './client.js';

/** A file of the change: new content, or null to delete it. */
export interface ChangedFile {
  readonly path: string;
  readonly content: string | null;
}

export interface PullRequestSpec {
  readonly base: string;
  readonly branch: string;
  readonly title: string;
  readonly labels: readonly string[];
  readonly autoMerge?: boolean;
  /** Commit message (title, body and trailers). */
  readonly message: string;
}

export interface PullRequestResult {
  readonly number: number;
  readonly url: string;
  readonly created: boolean;
  readonly commit: string;
  /** The files of the change as committed. */
  readonly files: readonly ChangedFile[];
}

/** A change computed on a base commit: its files, and the pull request's body (which may describe the diff). */
export interface ComputedChange {
  readonly files: readonly ChangedFile[];
  readonly body: string;
  /** Commit message, when computing the change adds to it. @default - the spec's message */
  readonly message?: string;
}

/** Computes the change on top of a base commit; called again when the base moves. */
export type ComputeChange = (baseSha: string) => Promise<ComputedChange>;

/** The branch moved under us (422 "not a fast forward" or "reference already exists"). */
class BaseMoved extends Error {}

/** The caller's `compute` failed: its error is passed on as it is, not as a GitHub failure. */
class ComputeFailed extends Error {
  constructor(readonly original: unknown) {
    super(message(original));
  }
}

/** Creating the branch failed and it does not point at our commit. */
class BranchCreateFailed extends Error {
  constructor(readonly original: unknown) {
    super(message(original));
  }
}

const status = (error: unknown) => (error as { status?: number }).status;
const message = (error: unknown) => (error as Error).message;

/**
 * Opens the pull request of a change, or updates the one already open for its
 * branch: one commit (Git data API) on the base, the branch pointed at it, the
 * pull request, labels and optional auto-merge. Idempotent: a second run
 * updates the branch and the pull request. When the branch was created by this
 * run and no pull request could be opened, the branch is deleted again.
 */
export async function publishPullRequest(octokit: Octokit, config: GitHubConfig, spec: PullRequestSpec, compute: ComputeChange, attempts = 3): Promise<PullRequestResult> {
  const { owner, repo } = config;
  let createdBranch = false;
  try {
    for (let attempt = 1; ; attempt++) {
      const baseSha = (await octokit.rest.git.getRef({ owner, repo, ref: `heads/${spec.base}` })).data.object.sha;
      const { files, body, message: computedMessage } = await compute(baseSha).catch((error: unknown) => {
        throw new ComputeFailed(error);
      });
      const commit = await createCommit(octokit, config, baseSha, files, computedMessage ?? spec.message);
      try {
        createdBranch = (await pointBranch(octokit, config, spec.branch, commit)) || createdBranch;
      } catch (error) {
        if (error instanceof BaseMoved && attempt < attempts) continue;
        if (error instanceof BaseMoved) throw new GitHubError(`branch ${spec.branch} kept moving (${attempts} attempts): ${error.message}`);
        throw error;
      }
      const pr = await openOrUpdate(octokit, config, spec, body);
      if (spec.labels.length) await octokit.rest.issues.addLabels({ owner, repo, issue_number: pr.number, labels: [...spec.labels] });
      if (spec.autoMerge) await enableAutoMerge(octokit, pr.nodeId);
      return { number: pr.number, url: pr.url, created: pr.created, commit, files };
    }
  } catch (caught) {
    const error = caught instanceof BranchCreateFailed || caught instanceof ComputeFailed ? caught.original : caught;
    if (createdBranch && !(await hasOpenPullRequest(octokit, config, spec.branch).catch(() => true))) {
      await octokit.rest.git.deleteRef({ owner, repo, ref: `heads/${spec.branch}` }).catch(() => {
        throw new GitHubError(`${describe(error)}; and branch ${spec.branch} could not be deleted: delete it by hand`);
      });
    }
    if (caught instanceof ComputeFailed) throw error;
    throw new GitHubError(describe(error));
  }
}

function describe(error: unknown): string {
  if (error instanceof GitHubError) return error.message;
  const s = status(error);
  // Octokit reports a dropped connection as status 500 without a response.
  const answered = s !== undefined && (error as { response?: unknown }).response !== undefined;
  return answered ? `GitHub answered ${s}: ${message(error)}` : `GitHub could not be reached: ${message(error)}`;
}

/** Blobs, tree and commit are content-addressed: repeating them is harmless, so they may be retried. */
async function createCommit(octokit: Octokit, { owner, repo }: GitHubConfig, baseSha: string, files: readonly ChangedFile[], messageText: string): Promise<string> {
  const base = (await octokit.rest.git.getCommit({ owner, repo, commit_sha: baseSha })).data;
  const tree = [];
  for (const f of files) {
    if (f.content === null) {
      tree.push({ path: f.path, mode: '100644' as const, type: 'blob' as const, sha: null });
      continue;
    }
    const blob = await octokit.rest.git.createBlob({ owner, repo, content: Buffer.from(f.content).toString('base64'), encoding: 'base64' });
    tree.push({ path: f.path, mode: '100644' as const, type: 'blob' as const, sha: blob.data.sha });
  }
  const newTree = await octokit.rest.git.createTree({ owner, repo, base_tree: base.tree.sha, tree });
  const commit = await octokit.rest.git.createCommit({ owner, repo, message: messageText, tree: newTree.data.sha, parents: [baseSha] });
  return commit.data.sha;
}

/** Points the branch at the commit; true when the branch was created now. */
async function pointBranch(octokit: Octokit, { owner, repo }: GitHubConfig, branch: string, sha: string): Promise<boolean> {
  let exists = true;
  try {
    await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
  } catch (error) {
    if (status(error) !== 404) throw error;
    exists = false;
  }
  try {
    if (!exists) {
      try {
        await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha, request: { retries: 0 } });
      } catch (error) {
        // The create may have happened although the answer was lost: then the branch is ours to clean up.
        if (status(error) === 422) throw error;
        const now = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` }).catch(() => undefined);
        if (now?.data.object.sha === sha) return true;
        throw new BranchCreateFailed(error);
      }
      return true;
    }
    // The branch is modelplane's own: it always holds one commit on the current base.
    await octokit.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha, force: true, request: { retries: 0 } });
    return false;
  } catch (error) {
    if (status(error) === 422) throw new BaseMoved(message(error));
    throw error;
  }
}

async function findOpen(octokit: Octokit, { owner, repo }: GitHubConfig, branch: string) {
  const { data } = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: 'open', per_page: 10 });
  return data[0];
}

async function hasOpenPullRequest(octokit: Octokit, config: GitHubConfig, branch: string): Promise<boolean> {
  return (await findOpen(octokit, config, branch)) !== undefined;
}

/**
 * Creating a pull request is not idempotent: it is never retried blindly.
 * After a failure we look for it first, and only create it again if it is not there.
 */
async function openOrUpdate(octokit: Octokit, config: GitHubConfig, spec: PullRequestSpec, body: string, attempts = 3) {
  const { owner, repo } = config;
  for (let attempt = 1; ; attempt++) {
    const existing = await findOpen(octokit, config, spec.branch);
    if (existing) {
      await octokit.rest.pulls.update({ owner, repo, pull_number: existing.number, title: spec.title, body });
      return { number: existing.number, url: existing.html_url, nodeId: existing.node_id, created: false };
    }
    try {
      const { data } = await octokit.rest.pulls.create({ owner, repo, head: spec.branch, base: spec.base, title: spec.title, body, request: { retries: 0 } });
      return { number: data.number, url: data.html_url, nodeId: data.node_id, created: true };
    } catch (error) {
      const s = status(error);
      if (attempt >= attempts || (s !== undefined && s < 500 && s !== 422)) throw error;
    }
  }
}

async function enableAutoMerge(octokit: Octokit, pullRequestId: string): Promise<void> {
  await octokit.graphql(
    `mutation($id: ID!) { enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: SQUASH }) { clientMutationId } }`,
    { id: pullRequestId },
  );
}

/**
 * Publishes a pre-approved change (a rollback or an abort) straight onto the
 * base branch: one commit on its current tip, then the ref moved to it without
 * force, so a base that moved meanwhile is recomputed (up to `attempts` times).
 * Branch protection must allow the bot to push.
 */
export async function pushToBase(octokit: Octokit, config: GitHubConfig, spec: { readonly base: string; readonly message: string }, compute: ComputeChange, attempts = 3): Promise<{ readonly commit: string }> {
  const { owner, repo } = config;
  try {
    for (let attempt = 1; ; attempt++) {
      const baseSha = (await octokit.rest.git.getRef({ owner, repo, ref: `heads/${spec.base}` })).data.object.sha;
      const { files, message: computedMessage } = await compute(baseSha).catch((error: unknown) => {
        throw new ComputeFailed(error);
      });
      const commit = await createCommit(octokit, config, baseSha, files, computedMessage ?? spec.message);
      try {
        await octokit.rest.git.updateRef({ owner, repo, ref: `heads/${spec.base}`, sha: commit, force: false, request: { retries: 0 } });
        return { commit };
      } catch (error) {
        if (status(error) === 422 && attempt < attempts) continue;
        if (status(error) === 422) throw new GitHubError(`${spec.base} kept moving or does not allow the bot to push (${attempts} attempts): ${message(error)}`);
        throw error;
      }
    }
  } catch (caught) {
    if (caught instanceof ComputeFailed) throw caught.original;
    throw new GitHubError(describe(caught));
  }
}
