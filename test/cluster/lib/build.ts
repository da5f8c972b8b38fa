// Builds the pinned upstream components with `go build` into a cache outside the repository.
// The cache key of a component is the hash of its go.mod, go.sum and the Go version, so a
// second run (or another worktree with the same pins) skips the build.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const buildRoot = new URL('../build/', import.meta.url).pathname;

interface Component {
  readonly module: string;
  readonly binaries: Readonly<Record<string, string>>;
  /** -X flags that stamp the release version the way upstream's release build does. */
  readonly ldflags?: (moduleDir: string) => string[];
}

/** k8s.io/kubernetes' version (from go.mod) in component-base and client-go, so /version reports it. */
function kubernetesVersionFlags(dir: string): string[] {
  const version = /k8s\.io\/kubernetes (v\d+\.\d+\.\d+)/.exec(readFileSync(join(dir, 'go.mod'), 'utf8'))?.[1];
  if (!version) return [];
  const [major, minor] = version.slice(1).split('.');
  return ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) => [
    `-X ${pkg}.gitVersion=${version}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
  ]);
}

/** argo-cd's version (from go.mod) in its common package, as its Makefile stamps it. */
function argocdVersionFlags(dir: string): string[] {
  const version = /github\.com\/argoproj\/argo-cd\/v3 v(\d+\.\d+\.\d+)/.exec(readFileSync(join(dir, 'go.mod'), 'utf8'))?.[1];
  return version ? [`-X github.com/argoproj/argo-cd/v3/common.version=${version}`] : [];
}

/** Each entry is a Go module under test/cluster/build/ and the binaries built from it. */
export const components: Readonly<Record<string, Component>> = {
  kubernetes: {
    module: 'kubernetes',
    ldflags: kubernetesVersionFlags,
    binaries: {
      'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
      'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
      'kube-scheduler': 'k8s.io/kubernetes/cmd/kube-scheduler',
    },
  },
  kwok: { module: 'kwok', binaries: { kwok: 'sigs.k8s.io/kwok/cmd/kwok' } },
  kserve: { module: 'kserve', binaries: { 'kserve-manager': 'github.com/kserve/kserve/cmd/manager' } },
  keda: { module: 'keda', binaries: { 'keda-operator': 'github.com/kedacore/keda/v2/cmd/operator' } },
  rollouts: { module: 'rollouts', binaries: { 'rollouts-controller': 'github.com/argoproj/argo-rollouts/cmd/rollouts-controller' } },
  contour: { module: 'contour', binaries: { contour: 'github.com/projectcontour/contour/cmd/contour' } },
  argocd: { module: 'argocd', ldflags: argocdVersionFlags, binaries: { argocd: 'github.com/argoproj/argo-cd/v3/cmd' } },
};

export interface BuildResult {
  readonly bin: Record<string, string>;
  /** Seconds spent building per component; 0 when it came from the cache. */
  readonly seconds: Record<string, number>;
  readonly cacheDir: string;
}

export function cacheBase(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'modelplane-cluster');
}

export function goVersion(): string {
  return execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
}

export function componentDir(name: string, component: Component, version: string): string {
  const dir = join(buildRoot, component.module);
  const hash = createHash('sha256')
    .update(version)
    .update(readFileSync(join(dir, 'go.mod')))
    .update(readFileSync(join(dir, 'go.sum')))
    .digest('hex')
    .slice(0, 16);
  return join(cacheBase(), `${name}-${hash}`);
}

/** Components only some commands need (Argo CD: about 9 minutes on an empty Go cache). */
export const OPTIONAL_COMPONENTS: readonly string[] = ['argocd'];

/**
 * Builds every missing binary (one component at a time: the machines have 2 cores).
 * Optional components are built only when `include` names them.
 */
export async function buildAll(log: (line: string) => void, include: readonly string[] = []): Promise<BuildResult> {
  const version = goVersion();
  const bin: Record<string, string> = {};
  const seconds: Record<string, number> = {};
  for (const [name, component] of Object.entries(components)) {
    if (OPTIONAL_COMPONENTS.includes(name) && !include.includes(name)) continue;
    const dir = componentDir(name, component, version);
    const missing = Object.keys(component.binaries).filter((b) => !existsSync(join(dir, 'bin', b)));
    for (const b of Object.keys(component.binaries)) bin[b] = join(dir, 'bin', b);
    if (missing.length === 0) {
      seconds[name] = 0;
      continue;
    }
    log(`building ${name} (${missing.join(', ')}) into ${dir}`);
    const started = Date.now();
    const staging = join(dir, `bin.tmp-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const dirOfModule = join(buildRoot, component.module);
    await goBuild(dirOfModule, staging, missing.map((b) => component.binaries[b]), component.ldflags?.(dirOfModule) ?? []);
    mkdirSync(join(dir, 'bin'), { recursive: true });
    for (const b of missing) {
      const pkg = component.binaries[b];
      renameSync(join(staging, pkg.split('/').pop()!), join(dir, 'bin', b));
    }
    rmSync(staging, { recursive: true, force: true });
    seconds[name] = Math.round((Date.now() - started) / 100) / 10;
    log(`built ${name} in ${seconds[name]} s`);
  }
  return { bin, seconds, cacheDir: cacheBase() };
}

function goBuild(moduleDir: string, outDir: string, packages: readonly string[], ldflags: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const flags = ldflags.length ? ['-ldflags', ldflags.join(' ')] : [];
    const child = spawn('nice', ['-n', '10', 'go', 'build', '-trimpath', ...flags, '-o', `${outDir}/`, ...packages], {
      cwd: moduleDir,
      env: { ...process.env, GOFLAGS: '-mod=readonly -buildvcs=false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`go build ${packages.join(' ')} in ${moduleDir} failed (exit ${code}):\n${output.slice(-4000)}`));
    });
  });
}

/** The directory of a module in the Go module cache, at the version the given build module pins. */
export function moduleDir(buildModule: string, modulePath: string): string {
  const out = execFileSync('go', ['mod', 'download', '-json', modulePath], {
    cwd: join(buildRoot, buildModule),
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=readonly' },
  });
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${modulePath} (in ${buildModule}): ${info.Error ?? 'no Dir'}`);
  return info.Dir;
}
