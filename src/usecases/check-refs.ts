import type { ChangedFile, EscalateSensitivity } from '../core/approval/approval-input.js';
import type { ApprovalResult } from '../core/approval/approval-result.js';
import { evaluateApproval } from '../core/approval/evaluate-approval.js';
import { findAuthorByEmail } from '../core/approval/find-author-by-email.js';
import type { PullRequestSnapshot, Review } from '../core/approval/pull-request.js';
import { classifyPath, isRulesFile, parseAccessRepo } from '../core/parse-access-repo.js';
import { selectRuleFiles } from '../core/approval/rules-from-base.js';
import type { GitChangedPath, GitRefReader } from '../ports.js';

export interface CheckRefsRequest {
  base: string;
  head: string;
  /** The access directory, repository-relative. */
  dir: string;
  /** The requester's login; when absent, derived from the head commit's author email through people.yaml. */
  author?: string;
  /** Logins whose approval of the head commit is assumed (a reviewer list from another CI system). */
  approvals: readonly string[];
  now: Date;
  escalate?: EscalateSensitivity;
}

export interface CheckRefsReport {
  baseSha: string;
  headSha: string;
  /** Where the head branched off the base: the grants' "before" versions are read there. */
  mergeBaseSha: string;
  author: string;
  /** How the author was found: given, or derived from the head commit's email. */
  authorFrom: 'option' | 'commit-email';
  result: ApprovalResult;
}

/** A usage problem the caller can fix (exit 2 with the message, no stack). */
export class CheckRefsError extends Error {}

/**
 * `grantops check`: the approval evaluator between two refs of a local repository, read with git and no
 * checkout. Reads only what the evaluator needs: the base's rule files, and the changed files at both ends.
 */
export async function checkRefs(git: GitRefReader, request: CheckRefsRequest): Promise<CheckRefsReport> {
  const [baseSha, headSha] = await Promise.all([git.resolveCommit(request.base), git.resolveCommit(request.head)]);
  const mergeBaseSha = await git.mergeBase(baseSha, headSha);
  const dir = request.dir;

  const [rulesAtBase, changed] = await Promise.all([
    git.readTree(baseSha, dir, { include: (p) => isRulesFile(dir, p) }),
    git.listChangedPaths(mergeBaseSha, headSha),
  ]);
  const inDir = (p: string) => p.startsWith(`${dir}/`);
  const wanted = (p: string) => inDir(p) && (classifyPath(dir, p).kind !== 'other' || /\.ya?ml$/.test(p));
  const changes = await readChangedFiles(git, changed.filter((c) => wanted(c.path) || (c.oldPath !== undefined && wanted(c.oldPath))), mergeBaseSha, headSha, dir, wanted);

  const { author, authorFrom } = await findAuthor(git, request, rulesAtBase, headSha);
  const at = request.now.toISOString();
  const reviews: Review[] = request.approvals.map((reviewer) => ({ reviewer, state: 'APPROVED', commitSha: headSha, submittedAt: at }));
  const pr: PullRequestSnapshot = {
    author,
    headSha,
    baseSha,
    changedFiles: [...new Set(changed.flatMap((c) => (c.oldPath !== undefined && c.status === 'renamed' ? [c.oldPath, c.path] : [c.path])))],
    reviews,
  };
  const result = evaluateApproval({ rulesAtBase, changes, pr, now: request.now, ...(request.escalate && { escalate: request.escalate }) });
  return { baseSha, headSha, mergeBaseSha, author, authorFrom, result };
}

/** Base versions of grant files come from the merge base (what the branch changed); rule files need only the head. */
async function readChangedFiles(
  git: GitRefReader,
  changed: readonly GitChangedPath[],
  mergeBaseSha: string,
  headSha: string,
  dir: string,
  wanted: (p: string) => boolean,
): Promise<ChangedFile[]> {
  const headPaths: string[] = [];
  const basePaths: string[] = [];
  for (const c of changed) {
    if (c.status !== 'deleted' && wanted(c.path)) headPaths.push(c.path);
    if (c.status === 'modified' || c.status === 'type-changed' || c.status === 'deleted') {
      if (classifyPath(dir, c.path).kind === 'grant') basePaths.push(c.path);
    }
    // A renamed grant is its old path given up and its new path asked for.
    if (c.status === 'renamed' && c.oldPath !== undefined && wanted(c.oldPath) && classifyPath(dir, c.oldPath).kind === 'grant') basePaths.push(c.oldPath);
  }
  const [heads, bases] = await Promise.all([git.readFiles(headSha, headPaths), git.readFiles(mergeBaseSha, basePaths)]);
  const files = new Map<string, ChangedFile>();
  const entry = (path: string) => files.get(path) ?? files.set(path, { path }).get(path)!;
  for (const path of headPaths) {
    const content = heads.get(path);
    if (content) entry(path).head = content;
  }
  for (const path of basePaths) {
    const content = bases.get(path);
    if (content) entry(path).base = content;
  }
  // A rule file the pull request deletes: present, with no head.
  for (const c of changed) {
    if (c.status === 'deleted' && wanted(c.path)) entry(c.path);
    if (c.status === 'renamed' && c.oldPath !== undefined && wanted(c.oldPath)) entry(c.oldPath);
  }
  return [...files.values()];
}

async function findAuthor(
  git: GitRefReader,
  request: CheckRefsRequest,
  rulesAtBase: Parameters<typeof selectRuleFiles>[0],
  headSha: string,
): Promise<{ author: string; authorFrom: CheckRefsReport['authorFrom'] }> {
  if (request.author !== undefined && request.author.trim() !== '') return { author: request.author.trim(), authorFrom: 'option' };
  const { email } = await git.commitAuthor(headSha);
  const login = findAuthorByEmail(parseAccessRepo(selectRuleFiles(rulesAtBase)).repo, email);
  if (login === undefined) {
    throw new CheckRefsError(`cannot tell who requests this: the head commit's author email "${email}" matches nobody (or several people) in people.yaml at the base; pass --author LOGIN`);
  }
  return { author: login, authorFrom: 'commit-email' };
}
