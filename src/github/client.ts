import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';

/** Repository and credentials, from the GitHub Actions environment variables. */
export interface GitHubConfig {
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  readonly apiUrl: string;
}

/** GitHub is not configured or not reachable; commands exit 3. */
export class GitHubError extends Error {}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): GitHubConfig {
  const token = env.GITHUB_TOKEN;
  const repository = env.GITHUB_REPOSITORY;
  if (!token) throw new GitHubError('GITHUB_TOKEN is not set: pull requests need a token (or run with --no-pr)');
  if (!repository || !/^[^/\s]+\/[^/\s]+$/.test(repository)) throw new GitHubError(`GITHUB_REPOSITORY is ${repository ? `'${repository}'` : 'not set'}: expected owner/name`);
  const [owner, repo] = repository.split('/');
  return { token, owner, repo, apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, '') };
}

export interface ClientOptions {
  /** Retries of idempotent requests and of rate-limited ones. @default 3 */
  readonly maxRetries?: number;
  readonly log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds a rate-limited response asks to wait: `retry-after`, else until `x-ratelimit-reset`. */
export function waitSeconds(headers: Record<string, string | number | undefined> | undefined, now = Date.now()): number {
  const retryAfter = Number(headers?.['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter;
  const reset = Number(headers?.['x-ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) return Math.max(1, Math.ceil(reset - now / 1000) + 1);
  return 60;
}

/**
 * Octokit with retries and throttling. Rate limits (403/429 with
 * `x-ratelimit-remaining: 0`, secondary limits) wait as the response says;
 * a 429 with only `retry-after` waits that long. A 429 was not processed, so
 * any request may be repeated after it. Server errors are retried only for
 * requests that say so (`request.retries`); callers of non-idempotent
 * requests pass `retries: 0` and check what happened before trying again.
 */
export function makeClient(config: GitHubConfig, options: ClientOptions = {}): Octokit {
  const maxRetries = options.maxRetries ?? 3;
  const log = options.log ?? (() => undefined);
  const onLimit = (kind: string) => (retryAfter: number, o: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    log(`GitHub ${kind} on ${o.method} ${o.url}: waiting ${retryAfter} s (retry ${retryCount + 1} of ${maxRetries})`);
    return retryCount < maxRetries;
  };
  const WithPlugins = Octokit.plugin(retry, throttling, (octokit) => {
    octokit.hook.wrap('request', async (request, o) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await request(o);
        } catch (error) {
          const e = error as { status?: number; response?: { headers?: Record<string, string> } };
          if (e.status !== 429 || attempt >= maxRetries) throw error;
          const seconds = waitSeconds(e.response?.headers);
          log(`GitHub rate limit (429) on ${o.method} ${o.url}: waiting ${seconds} s (retry ${attempt + 1} of ${maxRetries})`);
          await sleep(seconds * 1000);
        }
      }
    });
  });
  return new WithPlugins({
    auth: config.token,
    baseUrl: config.apiUrl,
    userAgent: 'modelplane',
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451], retries: maxRetries },
    throttle: { onRateLimit: onLimit('rate limit'), onSecondaryRateLimit: onLimit('secondary rate limit') },
  });
}
