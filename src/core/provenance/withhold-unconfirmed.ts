import type { RepoFile, RepoSnapshot } from '../repo-file.js';

/**
 * The access directory as it may be applied: every withheld file put back to its last confirmed content
 * (or left out when it never had one). Planning from this snapshot applies the confirmed content and
 * exactly none of the rest, whatever the withheld file was — a grant, a resource that would change what
 * its grants hand out, or the people list that maps logins to IAM users.
 */
export function withholdUnconfirmed(
  snapshot: RepoSnapshot,
  withheld: readonly string[],
  /** Each withheld path's last confirmed content; null when it never had one. */
  previous: ReadonlyMap<string, RepoFile['content'] | null>,
): RepoSnapshot {
  if (withheld.length === 0) return snapshot;
  for (const path of withheld) {
    if (!previous.has(path)) throw new Error(`no confirmed content was read for ${path}: cannot withhold its change`);
  }
  const reverted = new Set(withheld);
  const files: RepoFile[] = [];
  for (const file of snapshot.files) {
    if (!reverted.has(file.path)) {
      files.push(file);
      continue;
    }
    const content = previous.get(file.path);
    if (content !== null && content !== undefined) files.push({ path: file.path, content });
  }
  return { ...snapshot, files };
}
