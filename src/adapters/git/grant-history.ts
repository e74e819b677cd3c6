import { simpleGit, type SimpleGit } from 'simple-git';
import type { GrantHistory, GrantHistoryFacts } from '../../ports.js';
import { readBlobs } from './cat-file-batch.js';
import { GitDecisionNotes } from './notes.js';

const RECORD = '\x1e';

/**
 * The first-parent history of HEAD as level-triggered apply reads it, in a constant number of git
 * processes whatever its length: ONE `git log --raw` limited to the grant files and people.yaml (git
 * prunes every other tree, so ten thousand commits cost well under a second), one `rev-list` and one
 * `notes list` for the decision notes, and `cat-file --batch` for whatever blobs are then needed.
 */
export class GitGrantHistory implements GrantHistory {
  private readonly git: SimpleGit;

  constructor(private readonly root: string) {
    this.git = simpleGit({ baseDir: root });
  }

  async readGrantHistory(dir: string): Promise<GrantHistoryFacts | null> {
    let head: string;
    try {
      head = (await this.git.raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).trim();
    } catch {
      return null;
    }
    if (head === '') return null;
    const clean = dir.replace(/\/+$/, '');
    const [log, chain, shallow] = await Promise.all([
      // --relative: paths come back relative to the root, as the access directory's files are named.
      this.git.raw(['log', '--root', '--first-parent', '--diff-merges=first-parent', '--no-renames', '--raw', '-z', '--no-abbrev', '--relative', `--format=${RECORD}%H`, head, '--', `${clean}/grants`, `${clean}/people.yaml`]),
      this.git.raw(['rev-list', '--first-parent', head]),
      this.git.raw(['rev-parse', '--is-shallow-repository']),
    ]);
    const { grantPaths, peopleVersions } = parseGrantLog(log, `${clean}/people.yaml`);
    const commits = chain.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const notes = [...(await new GitDecisionNotes(this.root).readNotesOn(commits))].map(([commit, text]) => ({ commit, text }));
    return { grantPaths, peopleVersions, notes, shallow: shallow.trim() === 'true' };
  }

  async readBlobs(ids: readonly string[]): Promise<Map<string, Uint8Array | null>> {
    return readBlobs(this.root, ids);
  }
}

/**
 * Parses `git log --raw -z` (newest first): every path that was ever added (a grant's holder "held a
 * grant"), and the blob of every version of people.yaml, newest first.
 */
export function parseGrantLog(output: string, peoplePath: string): { grantPaths: string[]; peopleVersions: string[] } {
  const grantPaths = new Set<string>();
  const peopleVersions: string[] = [];
  for (const chunk of output.split(RECORD)) {
    const fields = chunk.split('\0');
    for (let i = 1; i + 1 < fields.length; i++) {
      const meta = fields[i]!.replace(/^\s+/, '');
      if (!meta.startsWith(':')) continue;
      const path = fields[++i]!;
      const parts = meta.slice(1).split(' ');
      const status = (parts[4] ?? '').charAt(0);
      if (path === peoplePath) {
        if (status !== 'D' && parts[3]) peopleVersions.push(parts[3]);
      } else if (status === 'A') {
        grantPaths.add(path);
      }
    }
  }
  return { grantPaths: [...grantPaths].sort(), peopleVersions };
}
