import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import { isRulesFile } from '../parse-access-repo.js';
import type { RepoSnapshot } from '../repo-file.js';
import type { ChangedFile, FileContent } from './approval-input.js';

/**
 * What a pull request does to the access directory, as one value: the base's rule files it is judged by,
 * the contents of every changed access file before and after, and every changed path of the pull request
 * with its blob at the head. Two commits of a pull request with the same fingerprint ask for the same
 * thing under the same rules, so an approval of one is an approval of the other: a rebase, or an update
 * merge of the base branch, that leaves all of that alone keeps the approvals (docs/decisions/0024).
 * Anything that differs — a grant's content, a rule of the base, a file outside the access directory —
 * gives another fingerprint.
 */

export const FINGERPRINT_PREFIX = 'grantops-fingerprint:v1:';

export interface FingerprintInput {
  rulesAtBase: RepoSnapshot;
  changes: readonly ChangedFile[];
  /** Every changed path of the pull request, as listed, with its blob at the head (`oid`). */
  listed: readonly { status: string; path: string; oldPath?: string; oid?: string }[];
}

/** Undefined when a changed path's content cannot be pinned down (no blob id): then nothing carries over. */
export function fingerprintChange(input: FingerprintInput): string | undefined {
  const dir = input.rulesAtBase.dir;
  const changed = new Set(input.changes.map((c) => c.path));
  const paths: [string, string, string | null, string | null][] = [];
  for (const entry of input.listed) {
    // A path the evaluator read is pinned by its content below; any other needs its blob id, unless deleted.
    const pinned = changed.has(entry.path) || entry.status === 'deleted';
    if (!pinned && entry.oid === undefined) return undefined;
    paths.push([entry.status, entry.path, entry.oldPath ?? null, entry.oid ?? null]);
  }
  const body = {
    dir,
    rules: input.rulesAtBase.files.filter((f) => isRulesFile(dir, f.path)).map((f) => [f.path, digest(f.content)]).sort(compareFirst),
    unreadable: (input.rulesAtBase.unreadable ?? []).map((u) => u.path).sort(),
    changes: input.changes
      .map((c) => [c.path, c.base === undefined ? null : digest(c.base), c.head === undefined ? null : digest(c.head), c.headUnreadable ?? null])
      .sort(compareFirst),
    paths: paths.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)),
  };
  return `${FINGERPRINT_PREFIX}${createHash('sha256').update(canonicalJson(body)).digest('hex')}`;
}

function digest(content: FileContent): string {
  return createHash('sha256').update(content).digest('hex');
}

function compareFirst(a: readonly unknown[], b: readonly unknown[]): number {
  const x = String(a[0]);
  const y = String(b[0]);
  return x < y ? -1 : x > y ? 1 : 0;
}
