/** What the notes reader hands the audit: the decision notes as they are now, and how they came to be. */

/** The current note on one commit. */
export interface NoteFact {
  /** The commit the note is attached to. */
  commit: string;
  text: string;
}

/**
 * One change a commit of the notes ref made to one note. Appending keeps every earlier record in the
 * note; a revision whose `after` lacks a record of its `before` rewrote history.
 */
export interface NoteRevision {
  /** The commit of `refs/notes/grantops` that made the change. */
  notesCommit: string;
  committedAt: string;
  /** The commit the note is attached to. */
  commit: string;
  /** The note before the change; null when the change created it. */
  before: string | null;
  /** The note after the change; null when the change removed it. */
  after: string | null;
}

export interface NoteFacts {
  ref: string;
  /** False when the clone has no notes ref at all (never fetched, or no decision was ever recorded). */
  present: boolean;
  notes: NoteFact[];
  revisions: NoteRevision[];
}
