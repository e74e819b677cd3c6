/** One file of the access directory as read from disk or from a git ref: the core never reads files itself. */
export interface RepoFile {
  /** Repository-relative path with forward slashes, e.g. `access/grants/kramer/prod-data-read.yaml`. */
  path: string;
  content: Uint8Array | string;
}

/** What sits where a file should be but is not one (a directory, a symlink, something unreadable). */
export interface UnreadableEntry {
  path: string;
  reason: string;
}

export interface RepoSnapshot {
  /** The access directory, repository-relative (usually `access`). */
  dir: string;
  files: RepoFile[];
  unreadable?: UnreadableEntry[];
}
