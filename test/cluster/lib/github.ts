// A local stand-in for GitHub in front of the drill's bare Git repository: the REST endpoints the
// promoter uses (refs, Git objects, pull requests), served on 127.0.0.1 and backed by the repository
// itself (`git hash-object`, a temporary index, `git commit-tree`, `git update-ref`), so what the bot
// pushes through the API is what Argo CD fetches. GitHub is the one part of the loop that cannot run
// here; its latency is the declared one (`plan`), not measured.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PullRequest {
  readonly number: number;
  readonly head: string;
  readonly base: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  merged: boolean;
  /** Auto-merge enabled (GraphQL enablePullRequestAutoMerge): GitHub merges it once its checks pass. */
  autoMerge: boolean;
  readonly createdAt: number;
}

/** Something the bot did through the API, with the instant it arrived. */
export interface ApiEvent {
  readonly time: number;
  readonly what: 'ref-updated' | 'ref-created' | 'pull-request-opened' | 'pull-request-updated';
  readonly ref?: string;
  readonly sha?: string;
  readonly pullRequest?: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class LocalGitHub {
  readonly owner = 'acme';
  readonly repo = 'ml-platform';
  readonly token = 'suite-token';
  readonly pulls: PullRequest[] = [];
  readonly events: ApiEvent[] = [];
  private server?: Server;
  url = '';

  constructor(
    /** The bare repository the API writes into. */
    readonly bare: string,
    readonly defaultBranch = 'main',
  ) {}

  /** The environment the CLI reads (GITHUB_API_URL, GITHUB_TOKEN, GITHUB_REPOSITORY). */
  env(): Record<string, string> {
    return { GITHUB_API_URL: this.url, GITHUB_TOKEN: this.token, GITHUB_REPOSITORY: `${this.owner}/${this.repo}` };
  }

  async listen(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** The commit a branch points at, or undefined. */
  head(branch: string): string | undefined {
    try {
      return this.git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** Merges an open pull request the way a fast-forward merge would (what a reviewer's click does). */
  merge(pr: PullRequest): string {
    const head = this.head(pr.head);
    const base = this.head(pr.base);
    if (!head || !base) throw new Error(`pull request #${pr.number}: branch ${pr.head} or ${pr.base} is missing`);
    if (!this.isAncestor(base, head)) throw new Error(`pull request #${pr.number}: ${pr.head} is not a fast-forward of ${pr.base}`);
    this.git(['update-ref', `refs/heads/${pr.base}`, head, base]);
    pr.state = 'closed';
    pr.merged = true;
    return head;
  }

  private git(args: readonly string[], input?: string, env: Record<string, string> = {}): string {
    return execFileSync('git', args, {
      cwd: this.bare,
      input,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  private isAncestor(a: string, b: string): boolean {
    try {
      this.git(['merge-base', '--is-ancestor', a, b]);
      return true;
    } catch {
      return false;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.headers.authorization !== `token ${this.token}` && req.headers.authorization !== `Bearer ${this.token}`) throw new HttpError(401, 'Bad credentials');
      const url = new URL(req.url ?? '/', this.url);
      const body = text ? JSON.parse(text) : undefined;
      send(...this.route(req.method ?? 'GET', decodeURIComponent(url.pathname), url.searchParams, body));
    } catch (error) {
      if (error instanceof HttpError) send(error.status, { message: error.message });
      else send(500, { message: (error as Error).message });
    }
  }

  private route(method: string, path: string, query: URLSearchParams, body: any): [number, unknown] {
    if (method === 'POST' && path === '/graphql') {
      const pr = this.pulls.find((x) => `PR_${x.number}` === body?.variables?.id);
      if (!pr || !/enablePullRequestAutoMerge/.test(String(body?.query))) throw new HttpError(422, `the suite's GitHub serves only enablePullRequestAutoMerge of a known pull request`);
      pr.autoMerge = true;
      return [200, { data: { enablePullRequestAutoMerge: { clientMutationId: null } } }];
    }
    const prefix = `/repos/${this.owner}/${this.repo}`;
    if (!path.startsWith(prefix)) throw new HttpError(404, 'Not Found');
    const p = path.slice(prefix.length);
    let m: RegExpExecArray | null;
    if (method === 'GET' && p === '') return [200, { default_branch: this.defaultBranch, full_name: `${this.owner}/${this.repo}` }];
    if (method === 'GET' && (m = /^\/git\/ref\/heads\/(.+)$/.exec(p))) {
      const sha = this.head(m[1]);
      if (!sha) throw new HttpError(404, 'Not Found');
      return [200, { ref: `refs/heads/${m[1]}`, object: { sha, type: 'commit' } }];
    }
    if (method === 'GET' && (m = /^\/git\/commits\/([0-9a-f]{40})$/.exec(p))) {
      const tree = this.git(['rev-parse', `${m[1]}^{tree}`]).trim();
      const parents = this.git(['rev-list', '--parents', '-n', '1', m[1]]).trim().split(' ').slice(1);
      return [200, { sha: m[1], tree: { sha: tree }, parents: parents.map((sha) => ({ sha })) }];
    }
    if (method === 'POST' && p === '/git/blobs') {
      const content = body.encoding === 'base64' ? Buffer.from(body.content, 'base64').toString('utf8') : body.content;
      return [201, { sha: this.git(['hash-object', '-w', '--stdin'], content).trim() }];
    }
    if (method === 'POST' && p === '/git/trees') return [201, { sha: this.tree(body.base_tree, body.tree) }];
    if (method === 'POST' && p === '/git/commits') {
      const args = ['commit-tree', body.tree, ...(body.parents as string[]).flatMap((x) => ['-p', x])];
      const who = { GIT_AUTHOR_NAME: 'modelplane[bot]', GIT_AUTHOR_EMAIL: 'bot@modelplane.invalid', GIT_COMMITTER_NAME: 'GitHub', GIT_COMMITTER_EMAIL: 'noreply@github.invalid' };
      return [201, { sha: this.git(args, body.message, who).trim() }];
    }
    if (method === 'POST' && p === '/git/refs') {
      const ref = String(body.ref);
      if (this.head(ref.replace(/^refs\/heads\//, ''))) throw new HttpError(422, 'Reference already exists');
      this.git(['update-ref', ref, body.sha, '']);
      this.events.push({ time: Date.now(), what: 'ref-created', ref, sha: body.sha });
      return [201, { ref, object: { sha: body.sha, type: 'commit' } }];
    }
    if ((method === 'PATCH' || method === 'DELETE') && (m = /^\/git\/refs\/heads\/(.+)$/.exec(p))) {
      const branch = m[1];
      const old = this.head(branch);
      if (!old) throw new HttpError(422, 'Reference does not exist');
      if (method === 'DELETE') {
        this.git(['update-ref', '-d', `refs/heads/${branch}`, old]);
        return [204, {}];
      }
      if (!body.force && !this.isAncestor(old, body.sha)) throw new HttpError(422, 'Update is not a fast forward');
      this.git(['update-ref', `refs/heads/${branch}`, body.sha, old]);
      this.events.push({ time: Date.now(), what: 'ref-updated', ref: `refs/heads/${branch}`, sha: body.sha });
      return [200, { ref: `refs/heads/${branch}`, object: { sha: body.sha, type: 'commit' } }];
    }
    if (method === 'GET' && p === '/pulls') {
      const head = query.get('head')?.split(':').pop();
      const state = query.get('state') ?? 'open';
      return [200, this.pulls.filter((x) => (!head || x.head === head) && (state === 'all' || x.state === state)).map((x) => this.pullJson(x))];
    }
    if (method === 'POST' && p === '/pulls') {
      if (this.pulls.some((x) => x.head === body.head && x.state === 'open')) throw new HttpError(422, 'A pull request already exists');
      const pr: PullRequest = { number: this.pulls.length + 1, head: body.head, base: body.base, title: body.title, body: body.body ?? '', state: 'open', merged: false, autoMerge: false, createdAt: Date.now() };
      this.pulls.push(pr);
      this.events.push({ time: Date.now(), what: 'pull-request-opened', pullRequest: pr.number, ref: `refs/heads/${pr.head}` });
      return [201, this.pullJson(pr)];
    }
    if (method === 'PATCH' && (m = /^\/pulls\/(\d+)$/.exec(p))) {
      const pr = this.pulls.find((x) => x.number === Number(m![1]));
      if (!pr) throw new HttpError(404, 'Not Found');
      if (body.title !== undefined) pr.title = body.title;
      if (body.body !== undefined) pr.body = body.body;
      this.events.push({ time: Date.now(), what: 'pull-request-updated', pullRequest: pr.number });
      return [200, this.pullJson(pr)];
    }
    if (method === 'POST' && /^\/issues\/\d+\/labels$/.test(p)) return [200, (body.labels ?? []).map((name: string) => ({ name }))];
    throw new HttpError(404, `Not Found (${method} ${p} is not served by the suite's GitHub)`);
  }

  private pullJson(pr: PullRequest) {
    return {
      number: pr.number,
      state: pr.state,
      title: pr.title,
      body: pr.body,
      html_url: `${this.url}/${this.owner}/${this.repo}/pull/${pr.number}`,
      node_id: `PR_${pr.number}`,
      head: { ref: pr.head, sha: this.head(pr.head) },
      base: { ref: pr.base },
      merged: pr.merged,
    };
  }

  /** A tree: `base` with the entries written (sha) or removed (sha null), through a temporary index. */
  private tree(base: string | undefined, entries: readonly { path: string; mode: string; sha: string | null }[]): string {
    const dir = mkdtempSync(join(tmpdir(), 'modelplane-suite-index-'));
    const env = { GIT_INDEX_FILE: join(dir, 'index') };
    try {
      if (base) this.git(['read-tree', base], undefined, env);
      else this.git(['read-tree', '--empty'], undefined, env);
      // --index-info needs no work tree (a bare repository has none); mode 0 removes the path.
      const lines = entries.map((e) => (e.sha === null ? `0 ${'0'.repeat(40)}\t${e.path}` : `${e.mode} ${e.sha}\t${e.path}`));
      if (lines.length) this.git(['update-index', '--index-info'], `${lines.join('\n')}\n`, env);
      return this.git(['write-tree'], undefined, env).trim();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
