import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertOwnedPath, recoverInterruptedSwap, writeGenerated } from '../../src/synth/write.js';
import { REPO_ROOT } from '../support/repo.js';

/** Two trees that differ in content, in files present, and in folders present. */
function tree(version: 'old' | 'new', count: number): { path: string; content: string }[] {
  const files = [];
  for (let i = 0; i < count; i++) {
    if (version === 'old' && i % 10 === 9) continue; // new files
    if (version === 'new' && i % 10 === 4) continue; // stale files
    files.push({ path: `generated/prod/model-${i % 97}/thing-${i}.yaml`, content: `${version}: ${i}\n${'x'.repeat(2000)}\n` });
  }
  if (version === 'old') files.push({ path: 'generated/staging/only-old/a.yaml', content: 'old\n' });
  files.push({ path: '.github/CODEOWNERS', content: `# ${version}\n` });
  return files;
}

async function readTree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string) => {
    for (const e of await readdir(path.join(root, dir), { withFileTypes: true }).catch(() => [])) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) await walk(rel);
      else out.set(rel, await readFile(path.join(root, rel), 'utf8'));
    }
  };
  await walk('generated');
  if (existsSync(path.join(root, '.github/CODEOWNERS'))) out.set('.github/CODEOWNERS', await readFile(path.join(root, '.github/CODEOWNERS'), 'utf8'));
  return out;
}

const asMap = (files: { path: string; content: string }[]) => new Map(files.map((f) => [f.path, f.content]));

describe('writeGenerated', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'modelplane-write-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('replaces the tree with exactly the new files and keeps the generated folder itself', async () => {
    await writeGenerated(root, tree('old', 200));
    const before = await stat(path.join(root, 'generated'));
    await writeGenerated(root, tree('new', 200));
    expect(await readTree(root)).toEqual(asMap(tree('new', 200)));
    expect((await stat(path.join(root, 'generated'))).ino).toBe(before.ino);
    expect(existsSync(path.join(root, 'generated/staging'))).toBe(false);
    expect((await readdir(root)).filter((n) => n.startsWith('.modelplane-'))).toEqual([]);
  });

  it('removes the folders that stale files leave empty, deepest first, and keeps a folder that still holds something', async () => {
    await writeGenerated(root, [
      { path: 'generated/prod/a/b/c/x.yaml', content: 'x\n' },
      { path: 'generated/prod/a/y.yaml', content: 'y\n' },
      { path: 'generated/prod/keep/z.yaml', content: 'z\n' },
    ]);
    await symlink('z.yaml', path.join(root, 'generated/prod/keep/link'));
    await writeGenerated(root, [{ path: 'generated/staging/new.yaml', content: 'n\n' }]);
    expect(existsSync(path.join(root, 'generated/prod/a'))).toBe(false);
    expect(await readdir(path.join(root, 'generated/prod'))).toEqual(['keep']);
    expect(await readdir(path.join(root, 'generated/prod/keep'))).toEqual(['link']);
    expect(await readFile(path.join(root, 'generated/staging/new.yaml'), 'utf8')).toBe('n\n');
  });

  it('refuses paths outside generated/ and the owned files', () => {
    for (const bad of ['generated/../policies/platform.ts', '../x', '/etc/passwd', 'models/a.ts', 'generated/./a', '.github/workflows/ci.yml']) {
      expect(() => assertOwnedPath(bad), bad).toThrow(/outside generated/);
    }
    expect(() => assertOwnedPath('generated/prod/a/b.yaml')).not.toThrow();
    expect(() => assertOwnedPath('.github/CODEOWNERS')).not.toThrow();
  });

  it('sweeps staging folders that a killed run left before its commit point', async () => {
    await writeGenerated(root, tree('old', 20));
    await mkdir(path.join(root, '.modelplane-stage-123-abcd/generated'), { recursive: true });
    await writeFile(path.join(root, '.modelplane-stage-123-abcd/generated/x.yaml'), 'partial');
    await recoverInterruptedSwap(root);
    expect(existsSync(path.join(root, '.modelplane-stage-123-abcd'))).toBe(false);
    expect(await readTree(root)).toEqual(asMap(tree('old', 20)));
  });

  it('leaves the old or the new tree, never a missing or half-written one, when killed at any moment', async () => {
    const count = 2000;
    const oldTree = asMap(tree('old', count));
    const newTree = asMap(tree('new', count));
    const script = [
      `import { writeGenerated } from ${JSON.stringify(path.join(REPO_ROOT, 'src/synth/write.ts'))};`,
      `const [root, version, count] = process.argv.slice(-3);`,
      `const files = [];`,
      `for (let i = 0; i < Number(count); i++) {`,
      `  if (version === 'old' && i % 10 === 9) continue;`,
      `  if (version === 'new' && i % 10 === 4) continue;`,
      `  files.push({ path: 'generated/prod/model-' + (i % 97) + '/thing-' + i + '.yaml', content: version + ': ' + i + '\\n' + 'x'.repeat(2000) + '\\n' });`,
      `}`,
      `if (version === 'old') files.push({ path: 'generated/staging/only-old/a.yaml', content: 'old\\n' });`,
      `files.push({ path: '.github/CODEOWNERS', content: '# ' + version + '\\n' });`,
      `process.stdout.write('start\\n');`,
      `await writeGenerated(root, files);`,
    ].join('\n');
    const scriptFile = path.join(root, '..', `${path.basename(root)}-writer.mts`);
    await writeFile(scriptFile, script);
    const run = (version: string, killAfterMs?: number) =>
      new Promise<void>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', scriptFile, root, version, String(count)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
        child.stdout.once('data', () => {
          if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        });
        child.on('exit', () => resolve());
      });
    try {
      for (let attempt = 0; attempt < 6; attempt++) {
        await rm(path.join(root, 'generated'), { recursive: true, force: true });
        await run('old');
        expect(await readTree(root)).toEqual(oldTree);
        await run('new', Math.floor(Math.random() * 400));
        // At any instant: generated/ exists and every file is a complete old or new file.
        const seen = await readTree(root);
        expect(seen.size).toBeGreaterThan(0);
        for (const [file, content] of seen) expect([oldTree.get(file), newTree.get(file)], file).toContain(content);
        // The next run finishes what the killed one committed to, or drops what it had not.
        await recoverInterruptedSwap(root);
        const after = await readTree(root);
        const which = after.get('.github/CODEOWNERS') === '# new\n' ? 'new' : 'old';
        expect(after).toEqual(which === 'new' ? newTree : oldTree);
        expect((await readdir(root)).filter((n) => n.startsWith('.modelplane-'))).toEqual([]);
      }
    } finally {
      await rm(scriptFile, { force: true });
    }
  }, 240_000);
});
