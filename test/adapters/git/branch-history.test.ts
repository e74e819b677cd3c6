import { GitBranchHistory } from '../../../src/adapters/git/branch-history.js';
import { TestRepo } from '../../github-server/test-repo.js';

const X = 'access/grants/a/x.yaml';
const Y = 'access/grants/b/y.yaml';
const Z = 'access/grants/c/z.yaml';

describe('GitBranchHistory', () => {
  let repo: TestRepo;
  let history: GitBranchHistory;
  beforeEach(async () => {
    repo = await TestRepo.create();
    history = new GitBranchHistory(repo.dir);
  });
  afterEach(async () => {
    await repo.remove();
  });

  const blob = async (commit: string, path: string) => (await repo.git.raw(['rev-parse', `${commit}:${path}`])).trim();

  it('lists each access file at the head with its first-parent versions, newest first, back to its addition or last deletion', async () => {
    await repo.commit({ 'README.md': 'hi\n' }, 'before the access directory');
    const c0 = await repo.commit({ [X]: 'v1\n', [Y]: 'y\n' }, 'start');
    const c1 = await repo.commit({ [X]: 'v2\n' }, 'change x');
    const c2 = await repo.commit({ [Y]: null }, 'delete y');
    const c3 = await repo.commit({ [Y]: 'y again\n' }, 'y again');
    await repo.commit({ 'README.md': 'hello\n' }, 'outside the access directory');

    const read = await history.readAccessHistory(c3, 'access');
    expect(read.bootstrap).toBe(c0);
    expect(read.files).toEqual([
      { path: X, versions: [{ commit: c1, parents: [c0], blob: await blob(c1, X) }, { commit: c0, parents: [expect.any(String)], blob: await blob(c0, X) }] },
      // Stops at the addition after the deletion: nothing older comes back through it.
      { path: Y, versions: [{ commit: c3, parents: [c2], blob: await blob(c3, Y) }] },
    ]);
  });

  it('credits a merge with what it brought to the first parent, with both parents', async () => {
    const c0 = await repo.commit({ [X]: 'v1\n' }, 'start');
    await repo.branch('feature');
    const f1 = await repo.commit({ [Z]: 'from the branch\n' }, 'feature change');
    await repo.checkout('main');
    const m1 = await repo.commit({ 'README.md': 'main moves on\n' }, 'main change');
    await repo.git.merge(['--no-ff', '--no-commit', 'feature']);
    // An "evil merge": the merge commit itself edits a grant neither parent had in that shape.
    const merge = await repo.commit({ [X]: 'slipped into the merge\n' }, 'merge feature');

    const read = await history.readAccessHistory(merge, 'access');
    expect(read.files.map((f) => [f.path, f.versions.map((v) => [v.commit, v.parents])])).toEqual([
      [X, [[merge, [m1, f1]], [c0, []]]],
      [Z, [[merge, [m1, f1]]]],
    ]);
  });

  it('reads a file as it was at a commit, and null where it did not exist', async () => {
    const c0 = await repo.commit({ [X]: 'v1\n' }, 'start');
    await repo.commit({ [X]: 'v2\n', [Z]: 'z\n' }, 'more');
    expect(Buffer.from((await history.readFileAt(c0, X))!).toString()).toBe('v1\n');
    expect(await history.readFileAt(c0, Z)).toBeNull();
  });

  it('says to fetch full history when the head is not in the checkout, or the checkout is shallow', async () => {
    await repo.commit({ [X]: 'v1\n' }, 'start');
    await expect(history.readAccessHistory('f'.repeat(40), 'access')).rejects.toThrow(/commit f{40} is not in this checkout: .*fetch-depth: 0/);
    const c1 = await repo.commit({ [X]: 'v2\n' }, 'more');
    const shallow = await TestRepo.create();
    try {
      await shallow.git.raw(['fetch', '-q', '--depth=1', `file://${repo.dir}`, 'main']);
      await expect(new GitBranchHistory(shallow.dir).readAccessHistory(c1, 'access')).rejects.toThrow(/shallow: .*fetch-depth: 0/);
    } finally {
      await shallow.remove();
    }
  });
});
