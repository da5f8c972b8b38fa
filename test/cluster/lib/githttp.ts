// The drill's Git server: Git's own smart HTTP server (`git http-backend`, as CGI) behind a Node HTTPS
// server with a self-signed certificate on 127.0.0.1, so the platform's repoURL is an https:// URL as
// `validate` requires and Argo CD fetches over HTTPS. Read-only: pushes go through the GitHub API
// stand-in (lib/github.ts) or straight to the bare repository's path.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { selfSigned } from './controllers.js';

export interface GitServer {
  /** https://127.0.0.1:<port>/<name>.git */
  readonly url: string;
  close(): Promise<void>;
}

export async function serveGit(bare: string, certDir: string): Promise<GitServer> {
  const certs = selfSigned(certDir, 'git.modelplane.invalid');
  const server: Server = createServer({ key: readFileSync(join(certs.dir, 'tls.key')), cert: readFileSync(join(certs.dir, 'tls.crt')) }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    if (url.searchParams.get('service') === 'git-receive-pack' || url.pathname.endsWith('/git-receive-pack')) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('read-only: the suite pushes through the GitHub API\n');
      return;
    }
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_PROJECT_ROOT: dirname(bare),
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
        HTTP_GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let sentHead = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (sentHead) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const i = line.indexOf(':');
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      sentHead = true;
      res.write(head.subarray(end + 4));
    });
    cgi.on('close', () => {
      if (!sentHead) res.writeHead(502).end('git http-backend gave no answer\n');
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/${basename(bare)}`;
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
