import { simpleGit, type SimpleGit } from 'simple-git';
import type { AccessFileHistory, FileVersion } from '../../core/provenance/branch-snapshot.js';
import type { AccessHistory, BranchHistory } from '../../ports.js';

const RECORD = '\x1e';

/**
 * Reads the applied branch from the local clone: for every file under the access directory, the
 * first-parent commits that gave it its content — one `git log` over the directory, whatever the number
 * of files — and a file's content at a commit.
 */
export class GitBranchHistory implements BranchHistory {
  private readonly git: SimpleGit;

  constructor(root: string) {
    this.git = simpleGit({ baseDir: root });
  }

  async readAccessHistory(head: string, dir: string): Promise<AccessHistory> {
    await this.requireCommit(head);
    // A shallow clone's oldest commit would pass for the access directory's first one, and a file's last
    // change could lie beyond it: judge nothing from a history that stops early.
    if ((await this.git.raw(['rev-parse', '--is-shallow-repository'])).trim() === 'true') {
      throw new Error('this checkout is shallow: check out with full history (actions/checkout with fetch-depth: 0) so the commit that last changed each access file can be read');
    }
    const [listing, log] = await Promise.all([
      this.git.raw(['ls-tree', '-r', '-z', '--name-only', head, '--', dir]),
      this.git.raw(['log', '--first-parent', '--diff-merges=first-parent', '--no-renames', '--raw', '-z', '--no-abbrev', `--format=${RECORD}%H%x00%P`, head, '--', dir]),
    ]);
    return parseAccessLog(log, new Set(splitZ(listing)));
  }

  /** The file's bytes at `commit`, or null when it did not exist there. */
  async readFileAt(commit: string, path: string): Promise<Uint8Array | null> {
    try {
      await this.git.raw(['cat-file', '-e', `${commit}:${path}`]);
    } catch {
      return null;
    }
    return new Uint8Array(await this.git.binaryCatFile(['blob', `${commit}:${path}`]));
  }

  async readHeadCommit(): Promise<string> {
    return (await this.git.revparse(['HEAD'])).trim();
  }

  async hasRemote(name: string): Promise<boolean> {
    return (await this.git.raw(['remote'])).split('\n').some((line) => line.trim() === name);
  }

  private async requireCommit(sha: string): Promise<void> {
    try {
      await this.git.raw(['cat-file', '-e', `${sha}^{commit}`]);
    } catch {
      throw new Error(`commit ${sha} is not in this checkout: check out with full history (actions/checkout with fetch-depth: 0) so its history can be read`);
    }
  }
}

/**
 * Parses `git log --first-parent --raw -z` (newest first) into each present file's versions, stopping at
 * the commit that added it or last deleted it. The oldest commit listed is the directory's first.
 */
export function parseAccessLog(output: string, present: ReadonlySet<string>): AccessHistory {
  const versions = new Map<string, FileVersion[]>();
  const done = new Set<string>();
  let oldest: string | undefined;
  for (const chunk of output.split(RECORD)) {
    if (chunk === '') continue;
    const fields = chunk.split('\0');
    const commit = fields[0]!.trim();
    const parents = (fields[1] ?? '').trim().split(' ').filter((p) => p !== '');
    oldest = commit;
    for (let i = 2; i + 1 < fields.length; i++) {
      const meta = fields[i]!.replace(/^\s+/, '');
      if (!meta.startsWith(':')) continue;
      const path = fields[++i]!;
      if (!present.has(path) || done.has(path)) continue;
      const parts = meta.slice(1).split(' ');
      const status = (parts[4] ?? '').charAt(0);
      const blob = status === 'D' ? null : (parts[3] ?? null);
      const list = versions.get(path) ?? [];
      list.push({ commit, parents, blob });
      versions.set(path, list);
      if (status === 'D' || status === 'A') done.add(path);
    }
  }
  const files: AccessFileHistory[] = [...present].sort().map((path) => ({ path, versions: versions.get(path) ?? [] }));
  return { ...(oldest === undefined ? {} : { bootstrap: oldest }), files };
}

function splitZ(output: string): string[] {
  return output.split('\0').filter((field) => field !== '');
}
