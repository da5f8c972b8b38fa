import { rename, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, type Repo } from '../support/repo.js';

describe('definitions that resolve outside the repository', () => {
  let repo: Repo;
  beforeAll(async () => {
    repo = await makeRepo({ platform: 'fixture' });
    // models/ becomes a symbolic link to a folder beside the repository.
    const outside = `${repo.root}-models`;
    await rename(path.join(repo.root, 'models'), outside);
    await symlink(outside, path.join(repo.root, 'models'), 'dir');
  });
  afterAll(async () => repo.cleanup());

  it('refuses each model by name instead of loading none and passing', async () => {
    const result = await repo.run(['validate']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/card-fraud\.ts(:\d+:\d+)? - error MP1001: /);
    expect(result.stdout + result.stderr).not.toMatch(/0 models .* valid/);
  });
});
