import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A git object as `git cat-file --batch` returns it. */
export interface GitObject {
  oid: string;
  type: 'blob' | 'tree' | 'commit' | 'tag';
  content: Buffer;
}

export interface GitTreeEntry {
  mode: string;
  name: string;
  oid: string;
  type: 'blob' | 'tree' | 'commit';
}

export interface GitCommit {
  oid: string;
  tree: string;
  parents: string[];
  message: string;
}

/** One line of `git diff --raw`: what a pull request's file listing is computed from. */
export interface GitDiffEntry {
  status: 'added' | 'removed' | 'modified' | 'renamed';
  path: string;
  previousPath?: string;
  /** The blob at the head (the base's for removed files). */
  oid: string;
}

/**
 * Reads a real git repository the way GitHub serves it: objects by SHA or `SHA:path`, trees, diffs.
 * Reads made in the same tick are sent to one `git cat-file --batch` process, so a GraphQL query
 * with hundreds of aliases costs one process, not hundreds.
 */
export class GitStore {
  private pending: { spec: string; resolve: (o: GitObject | undefined) => void; reject: (e: unknown) => void }[] = [];
  private readonly diffs = new Map<string, Promise<GitDiffEntry[]>>();

  constructor(readonly dir: string) {}

  /** `spec` is anything `git cat-file` accepts: an oid, `SHA:path`, `SHA^{tree}`. */
  readObject(spec: string): Promise<GitObject | undefined> {
    // A newline would split the batch protocol's request; such a spec names nothing.
    if (spec.includes('\n') || spec === '') return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.pending.push({ spec, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    readBatch(this.dir, batch.map((b) => b.spec)).then(
      (objects) => batch.forEach((b, i) => b.resolve(objects[i])),
      (error) => batch.forEach((b) => b.reject(error)),
    );
  }

  async readTree(spec: string): Promise<GitTreeEntry[] | undefined> {
    const object = await this.readObject(spec);
    if (object?.type !== 'tree') return undefined;
    return parseTree(object.content);
  }

  async readCommit(spec: string): Promise<GitCommit | undefined> {
    const object = await this.readObject(`${spec}^{commit}`);
    if (!object) return undefined;
    return parseCommit(object.oid, object.content.toString('utf8'));
  }

  async hasCommit(sha: string): Promise<boolean> {
    return (await this.readCommit(sha)) !== undefined;
  }

  /** Every file of a tree, recursively, with its full path. */
  async listFiles(treeish: string): Promise<{ path: string; oid: string; mode: string; type: string }[]> {
    const { stdout } = await run('git', ['ls-tree', '-r', '-z', treeish], { cwd: this.dir, maxBuffer: 1 << 28 });
    return stdout
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const [meta, path] = line.split('\t') as [string, string];
        const [mode, type, oid] = meta.split(' ') as [string, string, string];
        return { path, oid, mode, type };
      });
  }

  /** The changes a pull request shows: from the merge base of `base` and `head` to `head`, renames detected. */
  diff(base: string, head: string): Promise<GitDiffEntry[]> {
    const key = `${base}...${head}`;
    let result = this.diffs.get(key);
    if (!result) {
      result = this.computeDiff(base, head);
      this.diffs.set(key, result);
    }
    return result;
  }

  private async computeDiff(base: string, head: string): Promise<GitDiffEntry[]> {
    const { stdout: mergeBase } = await run('git', ['merge-base', base, head], { cwd: this.dir });
    const { stdout } = await run('git', ['diff', '--raw', '-z', '-M', '--no-abbrev', mergeBase.trim(), head], {
      cwd: this.dir,
      maxBuffer: 1 << 28,
    });
    const fields = stdout.split('\0');
    const entries: GitDiffEntry[] = [];
    for (let i = 0; i < fields.length - 1; ) {
      const meta = fields[i++]!;
      const [, , oldOid, newOid, statusCode] = meta.slice(1).split(' ') as [string, string, string, string, string];
      const letter = statusCode[0];
      if (letter === 'R' || letter === 'C') {
        const previousPath = fields[i++]!;
        const path = fields[i++]!;
        entries.push({ status: letter === 'R' ? 'renamed' : 'added', path, previousPath: letter === 'R' ? previousPath : undefined, oid: newOid });
        continue;
      }
      const path = fields[i++]!;
      if (letter === 'A') entries.push({ status: 'added', path, oid: newOid });
      else if (letter === 'D') entries.push({ status: 'removed', path, oid: oldOid });
      else entries.push({ status: 'modified', path, oid: newOid });
    }
    return entries;
  }
}

function readBatch(dir: string, specs: string[]): Promise<(GitObject | undefined)[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git cat-file failed (${code}): ${stderr}`));
      resolve(parseBatch(Buffer.concat(chunks), specs.length));
    });
    child.stdin.end(specs.map((s) => `${s}\n`).join(''));
  });
}

function parseBatch(out: Buffer, count: number): (GitObject | undefined)[] {
  const objects: (GitObject | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString('utf8');
    at = eol + 1;
    const parts = header.split(' ');
    if (parts.length !== 3 || parts[2] === 'missing' || parts[1] === 'missing' || parts[1] === 'ambiguous') {
      objects.push(undefined);
      continue;
    }
    const size = Number(parts[2]);
    objects.push({ oid: parts[0]!, type: parts[1] as GitObject['type'], content: out.subarray(at, at + size) });
    at += size + 1;
  }
  return objects;
}

/** The binary tree format: `<mode> <name>\0<20-byte oid>` repeated. */
function parseTree(content: Buffer): GitTreeEntry[] {
  const entries: GitTreeEntry[] = [];
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(0x20, at);
    const nul = content.indexOf(0, space);
    const mode = content.subarray(at, space).toString('utf8');
    const name = content.subarray(space + 1, nul).toString('utf8');
    const oid = content.subarray(nul + 1, nul + 21).toString('hex');
    at = nul + 21;
    const type = mode === '40000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    entries.push({ mode: mode.padStart(6, '0'), name, oid, type });
  }
  return entries;
}

function parseCommit(oid: string, text: string): GitCommit {
  const [head, ...rest] = text.split('\n\n');
  const parents: string[] = [];
  let tree = '';
  for (const line of (head ?? '').split('\n')) {
    if (line.startsWith('tree ')) tree = line.slice(5);
    if (line.startsWith('parent ')) parents.push(line.slice(7));
  }
  return { oid, tree, parents, message: rest.join('\n\n') };
}
