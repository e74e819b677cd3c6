import { simpleGit, type SimpleGit } from 'simple-git';
import type { DeliveryLedger, GitIdentity } from '../../ports.js';
import { readBlobs } from '../git/cat-file-batch.js';
import { GitDecisionNotes } from '../git/notes.js';

/** Where the Action's and the CLI's runs record the deliveries they made: apart from the decision records, which the audit verifies. */
export const NOTIFICATION_NOTES_REF = 'refs/notes/grantops-notifications';

export interface GitNotesLedgerOptions {
  /** Fetched before reading and pushed after recording, when the clone has it, so a rerun on another runner sees it (the Action: `origin`). */
  remote?: string;
  identity?: GitIdentity;
  ref?: string;
}

/**
 * Deliveries recorded as git notes: one note per run on the commit it ran at, one delivery key per line.
 * A job rerun runs at the same commit with a fresh clone; it fetches the notes and sees every key any
 * run recorded, so it sends nothing twice. Notes of concurrent runs merge line-wise (cat_sort_uniq).
 */
export class GitNotesDeliveryLedger implements DeliveryLedger {
  private readonly git: SimpleGit;
  private readonly notes: GitDecisionNotes;
  private readonly ref: string;
  private fetched = false;

  constructor(
    private readonly root: string,
    private readonly options: GitNotesLedgerOptions = {},
  ) {
    this.ref = options.ref ?? NOTIFICATION_NOTES_REF;
    this.git = simpleGit({ baseDir: root });
    this.notes = new GitDecisionNotes(root, { ref: this.ref, ...(options.identity ? { identity: options.identity } : {}) });
  }

  async findDelivered(keys: readonly string[]): Promise<Set<string>> {
    await this.fetchOnce();
    const recorded = new Set<string>();
    const list = await this.git.raw(['notes', `--ref=${this.ref}`, 'list']).catch(() => '');
    const blobs = await readBlobs(this.root, list.split('\n').map((line) => line.trim().split(' ')[0]!).filter((b) => b !== ''));
    for (const bytes of blobs.values()) {
      if (bytes) for (const line of Buffer.from(bytes).toString('utf8').split('\n')) recorded.add(line.trim());
    }
    return new Set(keys.filter((k) => recorded.has(k)));
  }

  async recordDelivered(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const head = (await this.git.revparse(['HEAD'])).trim();
    await this.notes.appendNote(head, keys.join('\n'));
    if (!(await this.hasRemote())) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.notes.pushNotes(this.options.remote!);
        return;
      } catch (error) {
        // Another run pushed meanwhile: take its notes in (a line-wise union) and push again.
        if (attempt === 3) throw error;
        await this.notes.fetchNotes(this.options.remote!);
      }
    }
  }

  private async hasRemote(): Promise<boolean> {
    return this.options.remote !== undefined && (await this.git.getRemotes()).some((r) => r.name === this.options.remote);
  }

  private async fetchOnce(): Promise<void> {
    if (this.fetched || !(await this.hasRemote())) return;
    this.fetched = true;
    await this.notes.fetchNotes(this.options.remote!);
  }
}
