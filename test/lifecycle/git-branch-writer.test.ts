import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GitBranchWriter } from '../../src/adapters/git/git-branch-writer.js';
import { createGitFixture, type GitFixture } from './git-fixture.js';

describe('GitBranchWriter on a real clone with a bare remote', () => {
  let fx: GitFixture;
  beforeEach(async () => {
    fx = await createGitFixture({ 'access/grants/a.yaml': 'a: 1\n', 'access/grants/b.yaml': 'b: 1\n', 'README.md': 'hi\n' });
  });
  afterEach(() => fx.cleanup());

  it('commits edits and deletions on a branch without touching the working tree or index', async () => {
    await writeFile(join(fx.clone, 'README.md'), 'work in progress\n');
    const writer = new GitBranchWriter(fx.clone);
    const base = await writer.headCommit();
    const commit = await writer.commitOnBranch({
      branch: 'grantops/revoke',
      base,
      changes: [
        { path: 'access/grants/a.yaml', content: 'a: 2\n' },
        { path: 'access/grants/b.yaml', content: null },
      ],
      message: 'Revoke\n\nbody',
    });
    expect(commit).toEqual({ sha: expect.stringMatching(/^[0-9a-f]{40}$/), created: true });
    expect(await fx.git.raw(['show', 'grantops/revoke:access/grants/a.yaml'])).toBe('a: 2\n');
    expect(await fx.git.raw(['ls-tree', '--name-only', '-r', 'grantops/revoke'])).not.toContain('b.yaml');
    expect((await fx.git.raw(['log', '-1', '--format=%P%n%B', 'grantops/revoke'])).trim()).toBe(`${base}\nRevoke\n\nbody`);
    expect(await readFile(join(fx.clone, 'README.md'), 'utf8')).toBe('work in progress\n');
    expect((await fx.git.status()).files.map((f) => f.path)).toEqual(['README.md']);
    expect((await fx.git.revparse(['--abbrev-ref', 'HEAD'])).trim()).toBe('main');
  });

  it('reuses a commit holding the same change, and reports no commit when nothing changes', async () => {
    const writer = new GitBranchWriter(fx.clone);
    const base = await writer.headCommit();
    const request = { branch: 'x', base, changes: [{ path: 'access/grants/a.yaml', content: 'a: 2\n' }], message: 'm' };
    const first = await writer.commitOnBranch(request);
    const again = await writer.commitOnBranch(request);
    expect(again).toEqual({ sha: first!.sha, created: false });
    await fx.git.raw(['branch', '-D', 'x']);
    expect(await writer.commitOnBranch({ ...request, reuse: [first!.sha] })).toEqual({ sha: first!.sha, created: false });
    const different = await writer.commitOnBranch({ ...request, changes: [{ path: 'access/grants/a.yaml', content: 'a: 3\n' }], reuse: [first!.sha] });
    expect(different!.created).toBe(true);
    expect(await writer.commitOnBranch({ ...request, changes: [{ path: 'access/grants/a.yaml', content: 'a: 1\n' }] })).toBeUndefined();
  });

  it('pushes with a lease and fetches the remote tip back', async () => {
    const writer = new GitBranchWriter(fx.clone);
    const base = await writer.headCommit();
    const commit = await writer.commitOnBranch({ branch: 'grant/dev/x-2026-12-07', base, changes: [{ path: 'access/grants/a.yaml', content: 'a: 2\n' }], message: 'm' });
    expect(await writer.fetchBranch('origin', 'grant/dev/x-2026-12-07')).toBeUndefined();
    await writer.pushBranch('origin', 'grant/dev/x-2026-12-07', commit!.sha, undefined);
    expect(await fx.showRemote('grant/dev/x-2026-12-07', 'access/grants/a.yaml')).toBe('a: 2\n');
    expect(await writer.fetchBranch('origin', 'grant/dev/x-2026-12-07')).toBe(commit!.sha);
    // A second writer that read no tip must not overwrite the branch unseen.
    const other = await writer.commitOnBranch({ branch: 'grant/dev/x-2026-12-07', base, changes: [{ path: 'access/grants/a.yaml', content: 'a: 9\n' }], message: 'm' });
    await expect(writer.pushBranch('origin', 'grant/dev/x-2026-12-07', other!.sha, undefined)).rejects.toThrow();
    await writer.pushBranch('origin', 'grant/dev/x-2026-12-07', other!.sha, commit!.sha);
    expect(await fx.showRemote('grant/dev/x-2026-12-07', 'access/grants/a.yaml')).toBe('a: 9\n');
  });

  it('fetches a remote branch made elsewhere into a shallow clone', async () => {
    const writer = new GitBranchWriter(fx.clone);
    const base = await writer.headCommit();
    const commit = await writer.commitOnBranch({ branch: 'grantops/revoke', base, changes: [{ path: 'access/grants/a.yaml', content: 'a: 2\n' }], message: 'm' });
    await writer.pushBranch('origin', 'grantops/revoke', commit!.sha, undefined);
    const { simpleGit } = await import('simple-git');
    const shallow = join(fx.root, 'shallow');
    await simpleGit().clone(`file://${fx.bare}`, shallow, ['--depth=1']);
    const fetched = await new GitBranchWriter(shallow).fetchBranch('origin', 'grantops/revoke');
    expect(fetched).toBe(commit!.sha);
    expect(await simpleGit({ baseDir: shallow }).raw(['cat-file', '-t', fetched!])).toBe('commit\n');
  });

  it('names the branch checked out, and none when HEAD is detached', async () => {
    const writer = new GitBranchWriter(fx.clone);
    expect(await writer.currentBranch()).toBe('main');
    await fx.git.raw(['checkout', '--detach']);
    expect(await writer.currentBranch()).toBeUndefined();
  });

  it('refuses to rebuild the branch that is checked out', async () => {
    await fx.git.checkoutLocalBranch('grantops/revoke');
    const writer = new GitBranchWriter(fx.clone);
    await expect(writer.commitOnBranch({ branch: 'grantops/revoke', base: await writer.headCommit(), changes: [{ path: 'a', content: 'x' }], message: 'm' })).rejects.toThrow(/checked out/);
  });
});
