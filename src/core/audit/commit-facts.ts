/**
 * What the history walk hands the audit: plain facts about commits, read from git in one pass. The audit
 * core never runs git; the adapter (`src/adapters/git/history.ts`) fills these.
 */

/** One file under the access directory that a commit changed, compared with the commit's first parent. */
export interface FileChange {
  path: string;
  /** Added, modified, deleted (renames are read as a deletion and an addition: a grant is its path). */
  status: 'A' | 'M' | 'D';
  /** Blob id before the commit; null when the file was added. */
  before: string | null;
  /** Blob id after the commit; null when the file was deleted. */
  after: string | null;
}

export interface CommitAuthor {
  name: string;
  email: string;
}

export interface CommitFact {
  sha: string;
  /** Its parents, the first parent first. */
  parents: string[];
  author: CommitAuthor;
  /** ISO 8601 author date: when the change was written (a request's time). */
  authoredAt: string;
  /** ISO 8601 committer date: when it landed where it is (a merge's time). */
  committedAt: string;
  subject: string;
  changes: FileChange[];
}

/** A commit of the default branch's first-parent chain, with its real parents. */
export interface ChainCommit {
  sha: string;
  parents: string[];
}

export interface HistoryFacts {
  /** The access directory, repository-relative. */
  dir: string;
  /** The commit audited (the checkout's HEAD); null in a repository without commits. */
  head: string | null;
  /** Every commit reachable from `head`, in any order; `changes` are limited to the access directory. */
  commits: CommitFact[];
  /** The first-parent chain of `head`, newest first: the commits that reached the default branch. */
  chain: ChainCommit[];
  /** Present in a shallow clone: the commits whose parents the clone does not have. */
  shallow?: ShallowBoundary;
}

export interface ShallowBoundary {
  /** Commits at the edge of the clone: history before them is missing. */
  boundary: string[];
}
