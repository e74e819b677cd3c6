import { readFile } from 'node:fs/promises';
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
 * (docs/decisions/0002):
 * - ONE `git log --raw -z` over every commit reachable from HEAD that touches the directory. `--full-history`
 *   keeps the pull-request branches (their commits are the requests) and `--parents` rewrites parents to
 *   listed commits, so which branch a commit came in on can be worked out without the rest of the graph.
 *   Merges are diffed against their first parent only: that diff is what the merge brought to the branch.
 *   Renames are off: a grant is its path.
 * - ONE `git rev-list --first-parent --parents HEAD`: which commits reached the default branch, with their
 *   real parents (a merge's second parent is the head it merged).
 * - ONE `git rev-parse` for HEAD and whether the clone is shallow.
 */
export class GitAuditHistory implements AuditHistory {
  private readonly git: SimpleGit;

  constructor(private readonly root: string) {
    this.git = simpleGit({ baseDir: root, maxConcurrentProcesses: 4 });
  }

  async readHistory(dir: string): Promise<HistoryFacts> {
    const [head, shallowFile] = await this.readHead();
    if (head === null) return { dir, head: null, commits: [], chain: [] };
    const [log, chain, boundary] = await Promise.all([
      this.git.raw(['log', '--raw', '-z', '--no-abbrev', '--no-renames', '--full-history', '--parents', '--diff-merges=first-parent', `--format=${FORMAT}`, head, '--', dir]),
      this.git.raw(['rev-list', '--first-parent', '--parents', head]),
      shallowFile === null ? Promise.resolve(null) : readShallowFile(shallowFile),
    ]);
    const facts: HistoryFacts = { dir, head, commits: parseLog(log), chain: parseChain(chain) };
    if (boundary !== null) facts.shallow = { boundary };
    return facts;
  }

  async readBlobs(ids: readonly string[]): Promise<Map<string, Uint8Array | null>> {
    return readBlobs(this.root, [...new Set(ids)]);
  }

  private async readHead(): Promise<[string | null, string | null]> {
    const out = await this.git.raw(['rev-parse', '--is-shallow-repository', '--git-path', 'shallow']);
    const [isShallow, shallowPath] = out.split('\n');
    let head: string | null = null;
    try {
      head = (await this.git.raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).trim() || null;
    } catch {
      head = null;
    }
    const file = isShallow === 'true' && shallowPath ? (isAbsolute(shallowPath) ? shallowPath : join(this.root, shallowPath)) : null;
    return [head, file];
  }
}

async function readShallowFile(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

/** Parses `git log --raw -z --format=<FORMAT>` output. Exported for tests. */
export function parseLog(output: string): CommitFact[] {
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
      const path = fields[i + 1]!;
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
