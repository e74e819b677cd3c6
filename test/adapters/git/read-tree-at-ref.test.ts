import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { readBlobs } from '../../../src/adapters/git/cat-file-batch.js';
import { LocalGitRefReader } from '../../../src/adapters/git/git-ref-reader.js';
import { listChangedPaths, touchedPaths } from '../../../src/adapters/git/list-changed-paths.js';
import { normalizeDir, readTreeAtRef } from '../../../src/adapters/git/read-tree-at-ref.js';

let root: string;
let git: SimpleGit;

function write(files: Record<string, string | Uint8Array>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

async function commit(message: string): Promise<string> {
  await git.add(['-A']);
  await git.commit(message);
  return (await git.revparse(['HEAD'])).trim();
}

const OID = /^[0-9a-f]{40}$/;
const text = (content: string | Uint8Array | undefined) => (content === undefined ? undefined : Buffer.from(content).toString('utf8'));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'grantops-git-'));
  git = simpleGit({ baseDir: root });
  await git.init(['-q', '-b', 'main']);
  await git.addConfig('user.name', 'Test');
  await git.addConfig('user.email', 'test@test.example');
  await git.addConfig('commit.gpgsign', 'false');
  write({
    'access/grantops.yaml': 'org: A\n',
    'access/people.yaml': '- { login: a, name: A }\n',
    'access/resources/aws/r1.yaml': 'id: r1\n',
    'access/grants/a/r1.yaml': 'user: a\n',
    'access/grants/a/same.yaml': 'user: a\n', // the same blob as r1.yaml: read once, returned for both
    'access/grants/a/latin1.yaml': new Uint8Array([0x75, 0xff, 0x0a]),
    'access/README.md': 'not yaml\n',
    'access/grants/dir.yaml/x.txt': 'a directory named like a file\n',
    'other/outside.yaml': 'x: 1\n',
  });
  symlinkSync('r1.yaml', join(root, 'access/grants/a/link.yaml'));
  await commit('base');
  await git.checkoutLocalBranch('feature');
  await git.mv('access/grants/a/r1.yaml', 'access/grants/a/r2.yaml');
  write({ 'access/people.yaml': '- { login: a, name: A }\n- { login: b, name: B }\n', 'access/grants/b/new.yaml': 'user: b\n' });
  await git.rm(['access/grants/a/latin1.yaml']);
  await commit('feature');
  await git.checkout('main');
  write({ 'access/grantops.yaml': 'org: A2\n' });
  await commit('main moves on');
  // The work tree is left dirty: reading refs must never look at it.
  write({ 'access/grants/a/r1.yaml': 'dirty\n' });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('readTreeAtRef', () => {
  it('reads every file of the access directory at a ref (the core reports those outside the layout), without a checkout', async () => {
    const snapshot = await readTreeAtRef(root, 'feature', './access/');
    expect(snapshot.dir).toBe('access');
    expect(snapshot.files.map((f) => f.path)).toEqual([
      'access/README.md',
      'access/grantops.yaml',
      'access/grants/a/r2.yaml',
      'access/grants/a/same.yaml',
      'access/grants/b/new.yaml',
      'access/grants/dir.yaml/x.txt',
      'access/people.yaml',
      'access/resources/aws/r1.yaml',
    ]);
    expect(text(snapshot.files.find((f) => f.path === 'access/grantops.yaml')?.content)).toBe('org: A\n');
    expect(text(snapshot.files.find((f) => f.path === 'access/grants/a/same.yaml')?.content)).toBe('user: a\n');
    expect(snapshot.unreadable).toEqual([
      { path: 'access/grants/a/link.yaml', reason: expect.stringMatching(/symlink/) },
      { path: 'access/grants/dir.yaml', reason: expect.stringMatching(/directory/) },
    ]);
  });

  it('keeps bytes as they are (encoding problems are the parser\'s to report)', async () => {
    const snapshot = await readTreeAtRef(root, 'main~1', 'access');
    expect(snapshot.files.find((f) => f.path === 'access/grants/a/latin1.yaml')?.content).toEqual(new Uint8Array([0x75, 0xff, 0x0a]));
  });

  it('reads only what `include` accepts', async () => {
    const snapshot = await readTreeAtRef(root, 'main', 'access', { include: (p) => !p.includes('/grants/') });
    expect(snapshot.files.map((f) => f.path)).toEqual(['access/README.md', 'access/grantops.yaml', 'access/people.yaml', 'access/resources/aws/r1.yaml']);
    expect(text(snapshot.files.find((f) => f.path === 'access/grantops.yaml')!.content)).toBe('org: A2\n');
  });

  it('reports a missing access directory', async () => {
    const snapshot = await readTreeAtRef(root, 'main', 'nowhere');
    expect(snapshot).toEqual({ dir: 'nowhere', files: [], unreadable: [{ path: 'nowhere', reason: expect.stringMatching(/does not exist at main/) }] });
  });

  it('refuses a directory outside the repository', () => {
    expect(() => normalizeDir('../x')).toThrow(/inside the repository/);
    expect(() => normalizeDir('.')).toThrow(/inside the repository/);
    expect(normalizeDir('./a//b/')).toBe('a/b');
  });
});

describe('readBlobs', () => {
  it('reads many `<rev>:<path>` names in one process; missing ones and trees are null', async () => {
    const blobs = await readBlobs(root, ['main:access/grantops.yaml', 'feature:access/grants/b/new.yaml', 'main:access/grants/b/new.yaml', 'main:access']);
    expect(text(blobs.get('main:access/grantops.yaml') ?? undefined)).toBe('org: A2\n');
    expect(text(blobs.get('feature:access/grants/b/new.yaml') ?? undefined)).toBe('user: b\n');
    expect(blobs.get('main:access/grants/b/new.yaml')).toBeNull();
    expect(blobs.get('main:access')).toBeNull();
  });
});

describe('listChangedPaths', () => {
  it('lists additions, modifications, deletions and renames from where the branch forked', async () => {
    const changed = await listChangedPaths(root, 'main', 'feature', { since: 'merge-base' });
    expect(changed).toEqual(
      expect.arrayContaining([
        { status: 'renamed', oldPath: 'access/grants/a/r1.yaml', path: 'access/grants/a/r2.yaml', oldOid: expect.stringMatching(OID), oid: expect.stringMatching(OID) },
        { status: 'modified', path: 'access/people.yaml', oldOid: expect.stringMatching(OID), oid: expect.stringMatching(OID) },
        { status: 'added', path: 'access/grants/b/new.yaml', oid: expect.stringMatching(OID) },
        { status: 'deleted', path: 'access/grants/a/latin1.yaml', oldOid: expect.stringMatching(OID) },
      ]),
    );
    expect(changed).toHaveLength(4); // main's own change to grantops.yaml is not the branch's
    expect(touchedPaths(changed)).toContain('access/grants/a/r1.yaml');
    // The blob ids read the contents of both sides without walking a tree again.
    const added = changed.find((c) => c.status === 'added')!;
    const deleted = changed.find((c) => c.status === 'deleted')!;
    const blobs = await readBlobs(root, [added.oid!, deleted.oldOid!]);
    expect(text(blobs.get(added.oid!) ?? undefined)).toBe('user: b\n');
    expect(blobs.get(deleted.oldOid!)).toEqual(new Uint8Array([0x75, 0xff, 0x0a]));
  });

  it('compares the two commits directly by default, and can be limited to a directory', async () => {
    const changed = await listChangedPaths(root, 'main', 'feature', { dir: 'access/grants' });
    expect(changed.map((c) => c.path).sort()).toEqual(['access/grants/a/latin1.yaml', 'access/grants/a/r2.yaml', 'access/grants/b/new.yaml']);
  });
});

describe('LocalGitRefReader', () => {
  it('resolves refs, finds the merge base, reads files by path and the commit author', async () => {
    const reader = new LocalGitRefReader(root);
    const main = await reader.resolveCommit('main');
    expect(main).toMatch(/^[0-9a-f]{40}$/);
    await expect(reader.resolveCommit('no-such-branch')).rejects.toThrow(/does not name a commit/);
    await expect(reader.resolveCommit('--all')).rejects.toThrow(/not a git ref/);
    const base = await reader.mergeBase('main', 'feature');
    expect(base).toBe(await reader.resolveCommit('main~1'));
    const files = await reader.readFiles('feature', ['access/people.yaml', 'access/grants/a/r1.yaml', 'access/grants/a/link.yaml', 'access/grants', 'access/grants/*.yaml']);
    expect(text(files.get('access/people.yaml') ?? undefined)).toMatch(/login: b/);
    expect(files.get('access/grants/a/r1.yaml')).toBeNull(); // renamed away on feature
    expect(files.get('access/grants/a/link.yaml')).toBeNull(); // a symlink is not a file
    expect(files.get('access/grants')).toBeNull(); // nor is a directory
    expect(files.get('access/grants/*.yaml')).toBeNull(); // paths are literal, never globs
  });
});
