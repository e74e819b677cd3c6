import { simpleGit, type SimpleGit } from 'simple-git';
import { DECISION_NOTES_REF } from '../../core/decision-record.js';
import type { NoteFact, NoteFacts, NoteRevision } from '../../core/audit/note-facts.js';
import type { DecisionNoteReader, DecisionNotes, GitIdentity } from '../../ports.js';
import { readBlobs } from './cat-file-batch.js';

const RECORD = '\x1e';
const INCOMING = 'refs/notes/grantops-incoming';

export interface GitDecisionNotesOptions {
  ref?: string;
  /** Who the notes commits are by, for runners without a git identity (CI). */
  identity?: GitIdentity;
}

/**
 * Decision notes under `refs/notes/grantops`. Writing only ever appends (`git notes append`); reading
 * returns the notes and the ref's history so the audit can tell an appended note from a rewritten one.
 * A constant number of git processes either way.
 */
export class GitDecisionNotes implements DecisionNotes, DecisionNoteReader {
  private readonly git: SimpleGit;
  readonly ref: string;

  constructor(
    private readonly root: string,
    options: GitDecisionNotesOptions = {},
  ) {
    this.ref = options.ref ?? DECISION_NOTES_REF;
    // `-c user.*` rather than environment variables: simple-git refuses to pass on some of a runner's.
    const config = options.identity ? [`user.name=${options.identity.name}`, `user.email=${options.identity.email}`] : [];
    this.git = simpleGit({ baseDir: root, config });
  }

  async readNotes(): Promise<NoteFacts> {
    if (!(await this.refExists(this.ref))) return { ref: this.ref, present: false, notes: [], revisions: [] };
    const [list, log] = await Promise.all([
      this.git.raw(['notes', `--ref=${this.ref}`, 'list']),
      this.git.raw(['log', '--raw', '-z', '--no-abbrev', '--no-renames', '--diff-merges=separate', `--format=${RECORD}%H%x00%cI`, this.ref]),
    ]);
    const current = list
      .split('\n')
      .map((line) => line.trim().split(' '))
      .filter((parts): parts is [string, string] => parts.length === 2 && parts[0] !== '');
    const changes = parseNotesLog(log);
    const blobs = await readBlobs(this.root, unique([
      ...current.map(([blob]) => blob),
      ...changes.flatMap((c) => [c.before, c.after].filter((b): b is string => b !== null)),
    ]));
    const textOf = (blob: string | null): string | null => {
      if (blob === null) return null;
      const bytes = blobs.get(blob);
      return bytes ? Buffer.from(bytes).toString('utf8') : null;
    };
    const notes: NoteFact[] = current.map(([blob, commit]) => ({ commit, text: textOf(blob) ?? '' }));
    const revisions: NoteRevision[] = changes
      .filter((c) => c.before !== null)
      .map((c) => ({ notesCommit: c.notesCommit, committedAt: c.committedAt, commit: c.commit, before: textOf(c.before), after: textOf(c.after) }));
    return { ref: this.ref, present: true, notes, revisions };
  }

  async readNotesOn(commits: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (commits.length === 0 || !(await this.refExists(this.ref))) return found;
    const wanted = new Set(commits);
    const blobByCommit = new Map<string, string>();
    for (const line of (await this.git.raw(['notes', `--ref=${this.ref}`, 'list'])).split('\n')) {
      const [blob, commit] = line.trim().split(' ');
      if (blob && commit && wanted.has(commit)) blobByCommit.set(commit, blob);
    }
    const blobs = await readBlobs(this.root, unique([...blobByCommit.values()]));
    for (const [commit, blob] of blobByCommit) {
      const bytes = blobs.get(blob);
      if (bytes) found.set(commit, Buffer.from(bytes).toString('utf8'));
    }
    return found;
  }

  async appendNote(commit: string, text: string): Promise<void> {
    // git would attach a note to any 40-hex name, even one of no commit here.
    if (!(await this.refExists(`${commit}^{commit}`))) throw new Error(`cannot record a decision on ${commit}: no such commit in this clone`);
    await this.git.raw(['notes', `--ref=${this.ref}`, 'append', '-m', text, commit]);
  }

  /**
   * Brings the remote's notes in and merges them with the local ones; records are lines, so a
   * line-wise union (`cat_sort_uniq`) loses nothing. Returns false when the remote has no notes yet.
   */
  async fetchNotes(remote: string): Promise<boolean> {
    try {
      await this.git.raw(['fetch', '--quiet', remote, `+${this.ref}:${INCOMING}`]);
    } catch (error) {
      if (/couldn't find remote ref|could not find remote ref/i.test(String(error))) return false;
      throw error;
    }
    if (!(await this.refExists(this.ref))) {
      await this.git.raw(['update-ref', this.ref, INCOMING]);
    } else {
      await this.git.raw(['notes', `--ref=${this.ref}`, 'merge', '--quiet', '--strategy=cat_sort_uniq', INCOMING]);
    }
    await this.git.raw(['update-ref', '-d', INCOMING]);
    return true;
  }

  /** Pushes the notes; a rejection (someone pushed meanwhile) throws and the caller fetches and retries. */
  async pushNotes(remote: string): Promise<void> {
    await this.git.raw(['push', '--quiet', remote, `${this.ref}:${this.ref}`]);
  }

  private async refExists(ref: string): Promise<boolean> {
    // With --quiet git says nothing on a miss, and simple-git only throws on stderr: read the answer.
    try {
      return (await this.git.raw(['rev-parse', '--verify', '--quiet', ref])).trim() !== '';
    } catch {
      return false;
    }
  }
}

interface NotesLogChange {
  notesCommit: string;
  committedAt: string;
  commit: string;
  before: string | null;
  after: string | null;
}

/**
 * Parses the notes ref's `git log --raw`: a note's path is the annotated commit's id, split into fan-out
 * folders (`ab/cdef…`). When git re-fans a tree, one note shows as a deletion and an addition in the same
 * commit; those are joined back into one modification.
 */
export function parseNotesLog(output: string): NotesLogChange[] {
  const changes: NotesLogChange[] = [];
  for (const chunk of output.split(RECORD)) {
    if (chunk === '') continue;
    const fields = chunk.split('\0');
    const [notesCommit, committedAt] = fields as [string, string];
    const byCommit = new Map<string, NotesLogChange>();
    for (let i = 2; i + 1 < fields.length; i++) {
      const meta = fields[i]!.replace(/^\s+/, '');
      if (!meta.startsWith(':')) continue;
      const parts = meta.slice(1).split(' ');
      const commit = fields[i + 1]!.replace(/\//g, '');
      i++;
      const status = (parts[4] ?? '').charAt(0);
      const before = status === 'A' ? null : (parts[2] ?? null);
      const after = status === 'D' ? null : (parts[3] ?? null);
      const seen = byCommit.get(commit);
      if (seen) {
        seen.before = seen.before ?? before;
        seen.after = seen.after ?? after;
      } else {
        byCommit.set(commit, { notesCommit, committedAt, commit, before, after });
      }
    }
    changes.push(...byCommit.values());
  }
  return changes;
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
