/**
 * An in-memory fake of the GitHub REST endpoints modelplane uses, served by a
 * real HTTP server on 127.0.0.1 (a random port): the CLI under test talks to it
 * through GITHUB_API_URL exactly as it talks to api.github.com. It keeps refs,
 * Git objects, pull requests, labels and comments, records every request, and
 * injects failures (a status with headers and body, or a connection dropped
 * mid-request) from a queue of rules.
 *
 * Responses follow GitHub where the client depends on them: 404 for a missing
 * ref, 422 "Reference already exists" / "Update is not a fast forward" /
 * "A pull request already exists", 401 without a token.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Decoded path without the query (`/repos/acme/platform/git/ref/heads/modelplane/prod/...`). */
  readonly path: string;
  readonly query: URLSearchParams;
  /** `Date.now()` when the request's headers arrived. */
  readonly time: number;
  /** Parsed JSON body, or undefined. */
  readonly body: any;
  readonly headers: IncomingMessage['headers'];
  /** What the fake did: the status it sent, or 'reset' when it dropped the connection. */
  outcome?: number | 'reset';
  /** True when a fault rule answered instead of (or after) the normal handler. */
  faulted?: boolean;
}

export interface FaultResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface FaultRule {
  /** Which requests the rule answers. */
  readonly match: (req: RecordedRequest) => boolean;
  /** How many matching requests it answers before it is used up. @default 1 */
  readonly times?: number;
  /** Answer every matching request, forever (overrides `times`). @default false */
  readonly always?: boolean;
  /** The answer, or 'reset' to destroy the socket without answering. */
  readonly respond: FaultResponse | 'reset';
  /**
   * Handle the request normally first (state changes: the pull request is
   * created, the ref moves), then send the fault instead of the real answer:
   * "the server did it, but the client never heard".
   * @default false
   */
  readonly afterHandling?: boolean;
}

export interface PullRequest {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string;
  head: { ref: string; label: string; sha: string };
  base: { ref: string };
  labels: string[];
  html_url: string;
  node_id: string;
  autoMerge: boolean;
}

export interface Comment {
  id: number;
  issue_number: number;
  body: string;
  user: { login: string };
}

export interface GitCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
}

export interface FakeGitHubOptions {
  readonly owner?: string;
  readonly repo?: string;
  /** The commit `main` points at (the temporary repository's HEAD). */
  readonly baseSha: string;
  readonly defaultBranch?: string;
  /** Comments already on issues and pull requests. */
  readonly comments?: readonly { issue_number: number; body: string; user?: string }[];
}

export interface FakeGitHub {
  /** Base URL for GITHUB_API_URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly owner: string;
  readonly repo: string;
  /** Environment for the CLI: GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL; GITHUB_BASE_REF unset. */
  readonly env: Record<string, string | undefined>;
  readonly requests: RecordedRequest[];
  /** Branch name → commit sha. */
  readonly refs: Map<string, string>;
  readonly commits: Map<string, GitCommit>;
  readonly blobs: Map<string, string>;
  readonly trees: Map<string, { base_tree?: string; tree: { path: string; mode: string; type: string; sha: string | null }[] }>;
  readonly pulls: PullRequest[];
  readonly comments: Comment[];
  readonly graphql: { query: string; variables: Record<string, unknown> }[];
  /** Adds fault rules at the end of the queue; the first rule that matches a request answers it. */
  fault(...rules: FaultRule[]): void;
  /** Requests matching a method and a path (a string is matched exactly, a RegExp anywhere). */
  find(method: string, path: string | RegExp): RecordedRequest[];
  /** Moves a branch, as another push would. */
  setRef(branch: string, sha: string): void;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
/** The sha git gives a blob with this content. */
export const gitBlobSha = (content: Buffer) => createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');

/** Shorthands for fault rules. */
export const on =
  (method: string, path: string | RegExp) =>
  (req: RecordedRequest): boolean =>
    req.method === method && (typeof path === 'string' ? req.path === path : path.test(req.path));

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const owner = options.owner ?? 'acme';
  const repo = options.repo ?? 'ml-platform';
  const defaultBranch = options.defaultBranch ?? 'main';
  const prefix = `/repos/${owner}/${repo}`;
  const requests: RecordedRequest[] = [];
  const refs = new Map<string, string>([[defaultBranch, options.baseSha]]);
  const commits = new Map<string, GitCommit>();
  const blobs = new Map<string, string>();
  const trees: FakeGitHub['trees'] = new Map();
  const pulls: PullRequest[] = [];
  const comments: Comment[] = [];
  const graphql: FakeGitHub['graphql'] = [];
  const rules: { rule: FaultRule; left: number }[] = [];
  let nextIssue = 1;
  let nextComment = 1000;

  const baseTree = sha1(`tree of ${options.baseSha}`);
  commits.set(options.baseSha, { sha: options.baseSha, tree: baseTree, parents: [], message: 'base' });
  trees.set(baseTree, { tree: [] });
  for (const c of options.comments ?? []) comments.push({ id: nextComment++, issue_number: c.issue_number, body: c.body, user: { login: c.user ?? 'someone' } });

  let url = '';
  const pullJson = (p: PullRequest) => ({
    url: `${url}${prefix}/pulls/${p.number}`,
    html_url: p.html_url,
    node_id: p.node_id,
    number: p.number,
    state: p.state,
    title: p.title,
    body: p.body,
    head: { ...p.head, repo: { full_name: `${owner}/${repo}` } },
    base: { ...p.base, repo: { full_name: `${owner}/${repo}` } },
    labels: p.labels.map((name) => ({ name })),
  });
  const commentJson = (c: Comment) => ({ id: c.id, body: c.body, user: c.user, html_url: `https://github.com/${owner}/${repo}/issues/${c.issue_number}#issuecomment-${c.id}` });
  const refJson = (branch: string) => ({ ref: `refs/heads/${branch}`, node_id: `REF_${sha1(branch).slice(0, 8)}`, url: `${url}${prefix}/git/refs/heads/${branch}`, object: { type: 'commit', sha: refs.get(branch)!, url: `${url}${prefix}/git/commits/${refs.get(branch)}` } });
  const commitJson = (c: GitCommit) => ({ sha: c.sha, node_id: `C_${c.sha.slice(0, 8)}`, message: c.message, tree: { sha: c.tree }, parents: c.parents.map((sha) => ({ sha })) });
  const isAncestor = (ancestor: string, sha: string): boolean => {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length) {
      const s = stack.pop()!;
      if (s === ancestor) return true;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...(commits.get(s)?.parents ?? []));
    }
    return false;
  };

  /** The normal behaviour of an endpoint: [status, body]. */
  function handle(req: RecordedRequest): [number, unknown] {
    const { method, path } = req;
    const body = req.body ?? {};
    if (!req.headers.authorization) throw new HttpError(401, 'Requires authentication');
    if (method === 'POST' && path === '/graphql') {
      graphql.push({ query: String(body.query), variables: body.variables ?? {} });
      const id = body.variables?.id;
      const pr = pulls.find((p) => p.node_id === id);
      if (!pr) return [200, { data: null, errors: [{ type: 'NOT_FOUND', message: `Could not resolve to a node with the global id of '${id}'` }] }];
      pr.autoMerge = true;
      return [200, { data: { enablePullRequestAutoMerge: { clientMutationId: null } } }];
    }
    if (!path.startsWith(`${prefix}`)) throw new HttpError(404, 'Not Found');
    const rest = path.slice(prefix.length);
    let m: RegExpMatchArray | null;

    if (method === 'GET' && rest === '') return [200, { id: 1, name: repo, full_name: `${owner}/${repo}`, default_branch: defaultBranch, private: true }];

    if (method === 'GET' && (m = rest.match(/^\/git\/ref\/heads\/(.+)$/))) {
      if (!refs.has(m[1])) throw new HttpError(404, 'Not Found');
      return [200, refJson(m[1])];
    }
    if (method === 'POST' && rest === '/git/refs') {
      const ref = String(body.ref ?? '');
      if (!ref.startsWith('refs/heads/')) throw new HttpError(422, 'Reference name must start with refs/heads/');
      const branch = ref.slice('refs/heads/'.length);
      if (refs.has(branch)) throw new HttpError(422, 'Reference already exists');
      if (!commits.has(body.sha)) throw new HttpError(422, 'Object does not exist');
      refs.set(branch, body.sha);
      return [201, refJson(branch)];
    }
    if (method === 'PATCH' && (m = rest.match(/^\/git\/refs\/heads\/(.+)$/))) {
      const branch = m[1];
      if (!refs.has(branch)) throw new HttpError(422, 'Reference does not exist');
      if (!commits.has(body.sha)) throw new HttpError(422, 'Object does not exist');
      if (!body.force && !isAncestor(refs.get(branch)!, body.sha)) throw new HttpError(422, 'Update is not a fast forward');
      refs.set(branch, body.sha);
      return [200, refJson(branch)];
    }
    if (method === 'DELETE' && (m = rest.match(/^\/git\/refs\/heads\/(.+)$/))) {
      if (!refs.delete(m[1])) throw new HttpError(422, 'Reference does not exist');
      for (const p of pulls) if (p.head.ref === m[1] && p.state === 'open') p.state = 'closed';
      return [204, undefined];
    }
    if (method === 'GET' && (m = rest.match(/^\/git\/commits\/([0-9a-f]{40})$/))) {
      const c = commits.get(m[1]);
      if (!c) throw new HttpError(404, 'Not Found');
      return [200, commitJson(c)];
    }
    if (method === 'POST' && rest === '/git/blobs') {
      if (typeof body.content !== 'string') throw new HttpError(422, 'Invalid request: content is missing');
      const content = body.encoding === 'base64' ? Buffer.from(body.content, 'base64') : Buffer.from(body.content, 'utf8');
      const sha = gitBlobSha(content);
      blobs.set(sha, content.toString('utf8'));
      return [201, { sha, url: `${url}${prefix}/git/blobs/${sha}` }];
    }
    if (method === 'POST' && rest === '/git/trees') {
      if (body.base_tree && !trees.has(body.base_tree)) throw new HttpError(422, 'base_tree is not a valid tree oid');
      for (const entry of body.tree ?? []) if (entry.sha !== null && !blobs.has(entry.sha)) throw new HttpError(422, `tree.sha ${entry.sha} is not a valid blob`);
      const sha = sha1(JSON.stringify(['tree', body.base_tree ?? null, body.tree ?? []]));
      trees.set(sha, { base_tree: body.base_tree, tree: body.tree ?? [] });
      return [201, { sha, tree: body.tree ?? [] }];
    }
    if (method === 'POST' && rest === '/git/commits') {
      if (!trees.has(body.tree)) throw new HttpError(422, 'Tree SHA does not exist');
      for (const p of body.parents ?? []) if (!commits.has(p)) throw new HttpError(422, 'Parent SHA does not exist or is not a commit object');
      const sha = sha1(JSON.stringify(['commit', body.tree, body.parents ?? [], body.message]));
      const c = { sha, tree: body.tree, parents: body.parents ?? [], message: String(body.message) };
      commits.set(sha, c);
      return [201, commitJson(c)];
    }
    if (method === 'GET' && rest === '/pulls') {
      const state = req.query.get('state') ?? 'open';
      const head = req.query.get('head');
      const list = pulls.filter((p) => (state === 'all' || p.state === state) && (!head || head === p.head.label));
      const perPage = Number(req.query.get('per_page') ?? 30);
      return [200, list.slice(0, perPage).map(pullJson)];
    }
    if (method === 'POST' && rest === '/pulls') {
      const head = String(body.head ?? '');
      const branch = head.includes(':') ? head.slice(head.indexOf(':') + 1) : head;
      const errors = (message: string) => new HttpError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', code: 'custom', message }] });
      if (!refs.has(branch)) throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }] });
      if (!refs.has(String(body.base))) throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', field: 'base', code: 'invalid' }] });
      if (pulls.some((p) => p.state === 'open' && p.head.ref === branch)) throw errors(`A pull request already exists for ${owner}:${branch}.`);
      const number = nextIssue++;
      const pr: PullRequest = {
        number,
        state: 'open',
        title: String(body.title),
        body: String(body.body ?? ''),
        head: { ref: branch, label: `${owner}:${branch}`, sha: refs.get(branch)! },
        base: { ref: String(body.base) },
        labels: [],
        html_url: `https://github.com/${owner}/${repo}/pull/${number}`,
        node_id: `PR_kwDO${number.toString().padStart(6, '0')}`,
        autoMerge: false,
      };
      pulls.push(pr);
      return [201, pullJson(pr)];
    }
    if (method === 'PATCH' && (m = rest.match(/^\/pulls\/(\d+)$/))) {
      const pr = pulls.find((p) => p.number === Number(m![1]));
      if (!pr) throw new HttpError(404, 'Not Found');
      if (body.title !== undefined) pr.title = String(body.title);
      if (body.body !== undefined) pr.body = String(body.body);
      if (body.state === 'open' || body.state === 'closed') pr.state = body.state;
      return [200, pullJson(pr)];
    }
    if (method === 'POST' && (m = rest.match(/^\/issues\/(\d+)\/labels$/))) {
      const pr = pulls.find((p) => p.number === Number(m![1]));
      if (!pr) throw new HttpError(404, 'Not Found');
      for (const label of body.labels ?? []) if (!pr.labels.includes(label)) pr.labels.push(label);
      return [200, pr.labels.map((name) => ({ name }))];
    }
    if (method === 'GET' && (m = rest.match(/^\/issues\/(\d+)\/comments$/))) {
      const list = comments.filter((c) => c.issue_number === Number(m![1]));
      const perPage = Number(req.query.get('per_page') ?? 30);
      const page = Number(req.query.get('page') ?? 1);
      return [200, list.slice((page - 1) * perPage, page * perPage).map(commentJson)];
    }
    if (method === 'POST' && (m = rest.match(/^\/issues\/(\d+)\/comments$/))) {
      if (typeof body.body !== 'string' || body.body === '') throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'IssueComment', field: 'body', code: 'missing_field' }] });
      const c: Comment = { id: nextComment++, issue_number: Number(m[1]), body: body.body, user: { login: 'github-actions[bot]' } };
      comments.push(c);
      return [201, commentJson(c)];
    }
    if (method === 'PATCH' && (m = rest.match(/^\/issues\/comments\/(\d+)$/))) {
      const c = comments.find((x) => x.id === Number(m![1]));
      if (!c) throw new HttpError(404, 'Not Found');
      c.body = String(body.body);
      return [200, commentJson(c)];
    }
    throw new HttpError(404, `the fake GitHub does not know ${method} ${path}`);
  }

  const sockets = new Set<Socket>();
  const send = (res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}) => {
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  const server: Server = createServer((incoming, res) => {
    const time = Date.now();
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', () => {
      const parsed = new URL(incoming.url ?? '/', 'http://fake');
      let body: unknown;
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const req: RecordedRequest = { method: incoming.method ?? 'GET', path: decodeURIComponent(parsed.pathname), query: parsed.searchParams, time, body, headers: incoming.headers };
      requests.push(req);

      const at = rules.findIndex((r) => r.left > 0 && r.rule.match(req));
      const rule = at >= 0 ? rules[at] : undefined;
      if (rule && !rule.rule.always) rule.left--;

      let status: number;
      let answer: unknown;
      try {
        [status, answer] = rule && !rule.rule.afterHandling ? [0, undefined] : handle(req);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        [status, answer] = [error.status, { message: error.message, documentation_url: 'https://docs.github.com/rest', ...error.extra }];
      }
      if (rule) {
        req.faulted = true;
        if (rule.rule.respond === 'reset') {
          req.outcome = 'reset';
          incoming.socket.destroy();
          return;
        }
        req.outcome = rule.rule.respond.status;
        send(res, rule.rule.respond.status, rule.rule.respond.body ?? { message: `injected ${rule.rule.respond.status}` }, rule.rule.respond.headers);
        return;
      }
      req.outcome = status;
      send(res, status, answer);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    owner,
    repo,
    env: { GITHUB_TOKEN: 'ghs_faketoken', GITHUB_REPOSITORY: `${owner}/${repo}`, GITHUB_API_URL: url, GITHUB_BASE_REF: undefined, GITHUB_EVENT_PATH: undefined },
    requests,
    refs,
    commits,
    blobs,
    trees,
    pulls,
    comments,
    graphql,
    fault(...added) {
      for (const rule of added) rules.push({ rule, left: rule.always ? Infinity : (rule.times ?? 1) });
    },
    find(method, path) {
      return requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
    },
    setRef(branch, sha) {
      if (!commits.has(sha)) commits.set(sha, { sha, tree: baseTree, parents: [], message: 'pushed elsewhere' });
      refs.set(branch, sha);
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
