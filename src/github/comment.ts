import type { Octokit } from '@octokit/rest';
import type { GitHubConfig } from './client.js';

/**
 * Creates or updates the one comment on a pull request that starts with
 * `marker` (a hidden HTML comment), so the plan is never posted twice.
 */
export async function upsertStickyComment(octokit: Octokit, { owner, repo }: GitHubConfig, issueNumber: number, marker: string, body: string): Promise<{ id: number; created: boolean }> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
  const mine = comments.find((c) => c.body?.includes(marker));
  if (mine) {
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
    return { id: mine.id, created: false };
  }
  const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body, request: { retries: 0 } });
  return { id: data.id, created: true };
}
