import { simpleGit, type SimpleGit } from 'simple-git';
import type { GrantLanding, GrantLandings } from '../../ports.js';

/** How far back a file's history is read: its break-glass merge is followed by a revocation at most. */
const LANDINGS_PER_FILE = 5;

/**
 * The first-parent commits of HEAD that last changed each file, newest first: for a grant merged through a
 * pull request, its merge (or squash) commit, whose committer date is when the merge happened; a later
 * revocation that only marked it expired comes before it. One `git log` per file: only break-glass grants
 * are asked about, and there are few.
 */
export class GitGrantLandings implements GrantLandings {
  private readonly git: SimpleGit;

  constructor(root: string, private readonly head = 'HEAD') {
    this.git = simpleGit({ baseDir: root });
  }

  async findLandings(files: readonly string[]): Promise<Map<string, GrantLanding[]>> {
    const found = new Map<string, GrantLanding[]>();
    for (const file of files) {
      const lines = (await this.git.raw(['log', `-${LANDINGS_PER_FILE}`, '--first-parent', '--format=%H%x00%cI%x00%s', this.head, '--', file])).split('\n');
      const landings = lines.flatMap((line) => {
        const [commit, committedAt, subject] = line.trim().split('\u0000');
        return commit && committedAt ? [{ commit, committedAt, subject: subject ?? '' }] : [];
      });
      if (landings.length > 0) found.set(file, landings);
    }
    return found;
  }
}
