import { GitPushHistory } from '../../../src/adapters/git/push-history.js';
import { TestRepo } from '../../github-server/test-repo.js';

const X = 'access/grants/a/x.yaml';
const Y = 'access/grants/b/y.yaml';
const Z = 'access/grants/c/z.yaml';

describe('GitPushHistory', () => {
  let repo: TestRepo;
  let history: GitPushHistory;
  beforeEach(async () => {
    repo = await TestRepo.create();
    history = new GitPushHistory(repo.dir);
  });
  afterEach(async () => {
    await repo.remove();
  });

  it('lists the access files a push added or modified with the commits that brought them, newest first', async () => {
    const c0 = await repo.commit({ [X]: 'v1\n', [Y]: 'y\n', 'README.md': 'hi\n' }, 'start');
    const c1 = await repo.commit({ [X]: 'v2\n' }, 'change x');
    const c2 = await repo.commit({ [Z]: 'z\n' }, 'add z');
    await repo.commit({ [Y]: null }, 'delete y');
    await repo.commit({ 'README.md': 'hello\n' }, 'outside the access directory');
    const c5 = await repo.commit({ [X]: 'v3\n' }, 'change x again');

    const files = await history.listChangedFiles({ before: c0, after: c5 }, 'access');
    expect(files).toEqual([
      { path: X, status: 'modified', commits: [c5, c1] },
      { path: Z, status: 'added', commits: [c2] },
    ]);
    expect(await history.listDeletedFiles(c5, 'access')).toEqual([Y]);
    expect(await history.readHeadCommit()).toBe(c5);
  });

  it('treats every file as added, with its whole history, when the push created the branch', async () => {
    const c0 = await repo.commit({ [X]: 'v1\n' }, 'start');
    const c1 = await repo.commit({ [X]: 'v2\n', [Z]: 'z\n' }, 'more');
    expect(await history.listChangedFiles({ after: c1 }, 'access')).toEqual([
      { path: X, status: 'added', commits: [c1, c0] },
      { path: Z, status: 'added', commits: [c1] },
    ]);
  });

  it('credits a merged branch with its own commits, and lists a merge that changed a file beyond both parents', async () => {
    const c0 = await repo.commit({ [X]: 'v1\n', [Y]: 'y1\n' }, 'start');
    await repo.branch('feature');
    const f1 = await repo.commit({ [X]: 'from the branch\n' }, 'feature change');
    await repo.checkout('main');
    await repo.commit({ 'README.md': 'main moves on\n' }, 'main change');
    await repo.git.merge(['--no-ff', '--no-commit', 'feature']);
    // An "evil merge": the merge commit itself edits a grant neither parent had in that shape.
    await repo.commit({ [Y]: 'slipped into the merge\n' }, 'merge feature');
    const merge = await history.readHeadCommit();

    const files = await history.listChangedFiles({ before: c0, after: merge }, 'access');
    expect(files).toEqual([
      { path: X, status: 'modified', commits: [f1] },
      { path: Y, status: 'modified', commits: [merge] },
    ]);
  });

  it('reads a file as it was at a commit, and null where it did not exist', async () => {
    const c0 = await repo.commit({ [X]: 'v1\n' }, 'start');
    await repo.commit({ [X]: 'v2\n', [Z]: 'z\n' }, 'more');
    expect(Buffer.from((await history.readFileAt(c0, X))!).toString()).toBe('v1\n');
    expect(await history.readFileAt(c0, Z)).toBeNull();
  });

  it('says to fetch full history when the push base is not in the checkout', async () => {
    const c0 = await repo.commit({ [X]: 'v1\n' }, 'start');
    await expect(history.listChangedFiles({ before: 'f'.repeat(40), after: c0 }, 'access')).rejects.toThrow(
      /the push's "before" commit f{40} is not in this checkout: .*fetch-depth: 0/,
    );
  });
});
