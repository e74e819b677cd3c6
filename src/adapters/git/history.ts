import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { ChainCommit, CommitFact, FileChange, HistoryFacts } from '../../core/audit/commit-facts.js';
import type { AuditHistory } from '../../ports.js';
import { readBlobs } from './cat-file-batch.js';

const RECORD = '\x1e';
/** Hash, parents, author name, author email, author date, committer date, subject. */
const FORMAT = `${RECORD}%H%x00%P%x00%an%x00%ae%x00%aI%x00%cI%x00%s`;
const HEADER_FIELDS = 7;

/**
 * Walks the history of the access directory in a constant number of git processes, whatever its length
 * (docs/decisions/0018):
 * - ONE `git log --raw -z --relative=<dir>/` over every commit reachable from HEAD. `--relative` limits
 *   the diffs to the access directory without limiting which commits are listed: a pathspec would make
 *   git test every commit against the path (twice as slow here) and rewrite parents, while this way every
 *   commit comes with its real parents, so which pull request branch a commit came in on is plain graph
 *   walking. Merges are diffed against their first parent only: that diff is what the merge brought to the
 *   branch. Renames are off: a grant is its path.
 * - ONE `git rev-list --first-parent --parents HEAD`: which commits reached the default branch.
 * - ONE `git rev-parse` for whether the clone is shallow, and one for HEAD.
 * The log is written to a temporary file so git runs at full speed while this process does other work.
 */
export class GitAuditHistory implements AuditHistory {
  private readonly git: SimpleGit;

  constructor(private readonly root: string) {
    this.git = simpleGit({ baseDir: root, maxConcurrentProcesses: 4 });
  }

  /** The commit HEAD names, or null in a repository without commits. */
  async readHead(): Promise<string | null> {
    try {
      return (await this.git.raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).trim() || null;
    } catch {
      return null;
    }
  }

  async readHistory(dir: string, head?: string | null): Promise<HistoryFacts> {
    const [at, shallowFile] = await Promise.all([head === undefined ? this.readHead() : Promise.resolve(head), this.findShallowFile()]);
    if (at === null) return { dir, head: null, commits: [], chain: [] };
    // The log goes to a file, not a pipe: git then never waits for this process, which meanwhile parses
    // the decision notes and people.yaml.
    const scratch = await mkdtemp(join(tmpdir(), 'grantops-audit-'));
    try {
      const logFile = join(scratch, 'log');
      const [, chain, boundary] = await Promise.all([
        this.git.raw(['log', '--raw', '-z', '--no-abbrev', '--no-renames', '--diff-merges=first-parent', `--relative=${dir}/`, `--format=${FORMAT}`, `--output=${logFile}`, at]),
        this.git.raw(['rev-list', '--first-parent', '--parents', at]),
        shallowFile === null ? Promise.resolve(null) : readShallowFile(shallowFile),
      ]);
      const facts: HistoryFacts = { dir, head: at, commits: parseLog(await readFile(logFile, 'utf8'), `${dir}/`), chain: parseChain(chain) };
      if (boundary !== null) facts.shallow = { boundary };
      return facts;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  async readBlobs(ids: readonly string[]): Promise<Map<string, Uint8Array | null>> {
    return readBlobs(this.root, [...new Set(ids)]);
  }

  private async findShallowFile(): Promise<string | null> {
    const out = await this.git.raw(['rev-parse', '--is-shallow-repository', '--git-path', 'shallow']);
    const [isShallow, shallowPath] = out.split('\n');
    return isShallow === 'true' && shallowPath ? (isAbsolute(shallowPath) ? shallowPath : join(this.root, shallowPath)) : null;
  }
}

async function readShallowFile(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

/** Parses `git log --raw -z --format=<FORMAT>` output; `prefix` restores what `--relative` took off paths. */
export function parseLog(output: string, prefix = ''): CommitFact[] {
  const commits: CommitFact[] = [];
  for (const chunk of output.split(RECORD)) {
    if (chunk === '') continue;
    const fields = chunk.split('\0');
    if (fields.length < HEADER_FIELDS) continue;
    const [sha, parents, name, email, authoredAt, committedAt, subject] = fields as [string, string, string, string, string, string, string];
    const changes: FileChange[] = [];
    // After the header: ":<modes> <before> <after> <status>" then the path, each NUL-terminated.
    for (let i = HEADER_FIELDS; i + 1 < fields.length; i++) {
      const meta = fields[i]!.replace(/^\s+/, '');
      if (!meta.startsWith(':')) continue;
      const parts = meta.slice(1).split(' ');
      const path = prefix + fields[i + 1]!;
      i++;
      const before = parts[2] ?? '';
      const after = parts[3] ?? '';
      const status = (parts[4] ?? '').charAt(0);
      const change = toChange(status, before, after, path);
      if (change) changes.push(change);
    }
    commits.push({
      sha,
      parents: parents === '' ? [] : parents.split(' '),
      author: { name, email },
      authoredAt: utc(authoredAt),
      committedAt: utc(committedAt),
      subject,
      changes,
    });
  }
  return commits;
}

/** Git's strict ISO dates keep the committer's offset; the report speaks UTC throughout. */
function utc(date: string): string {
  // The common case, already UTC, without a Date round trip (twenty thousand dates per ten thousand commits).
  if (date.length === 25 && date.endsWith('+00:00')) return `${date.slice(0, 19)}.000Z`;
  const time = Date.parse(date);
  return Number.isNaN(time) ? date : new Date(time).toISOString();
}

function toChange(status: string, before: string, after: string, path: string): FileChange | undefined {
  const none = (id: string) => id === '' || /^0+$/.test(id);
  switch (status) {
    case 'A':
      return { path, status: 'A', before: null, after };
    case 'D':
      return { path, status: 'D', before, after: null };
    case 'M':
    case 'T':
      return { path, status: 'M', before: none(before) ? null : before, after };
    default:
      return undefined;
  }
}

/** Parses `git rev-list --first-parent --parents` output (newest first). Exported for tests. */
export function parseChain(output: string): ChainCommit[] {
  const chain: ChainCommit[] = [];
  for (const line of output.split('\n')) {
    const [sha, ...parents] = line.trim().split(' ');
    if (sha) chain.push({ sha, parents });
  }
  return chain;
}
