import type { CommitOrigin } from './push-snapshot.js';

/**
 * An eager, plain snapshot of what decides whether the branch's access files may be applied: for each
 * access file at the head, the first-parent commits that gave it its content; the decision notes read on
 * those commits; and GitHub's answer for the commits no note confirms. The provenance rule is a pure
 * function of it, and says which facts it still lacks (`evaluateBranchProvenance(...).needed`).
 */
export interface BranchSnapshot {
  /** `owner/name`. */
  repository: string;
  /** The branch applied, without `refs/heads/`. */
  branch: string;
  /** The commit applied (the checkout's HEAD). */
  head: string;
  /**
   * The oldest first-parent commit that changed the access directory: where the rules start. Its rule
   * files (grantops.yaml, people.yaml, resources/) had nothing to be judged by; its grants did.
   */
  bootstrap?: string;
  files: AccessFileHistory[];
  /** The decision note on each commit read so far; null when the commit has none. A commit not listed was not read. */
  notes: Record<string, string | null>;
  /** GitHub's answer for each commit asked about. A commit not listed was not asked. */
  origins: Record<string, CommitOrigin>;
}

/** One file present at the head, with the versions the branch's first-parent history gave it. */
export interface AccessFileHistory {
  /** Repository-relative path with forward slashes. */
  path: string;
  /**
   * Newest first: `versions[0]` is the commit that last changed the file. The list stops at the commit that
   * last deleted it (a deletion gives access up), or runs to the commit that first added it.
   */
  versions: FileVersion[];
}

export interface FileVersion {
  commit: string;
  /** The commit's parents, the first parent first: a merge's second parent is the head it merged. */
  parents: string[];
  /** The file's blob id after the commit; null when the commit deleted it. */
  blob: string | null;
}
