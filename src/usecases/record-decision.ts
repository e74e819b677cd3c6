import type { ApprovalResult } from '../core/approval/approval-result.js';
import type { ChangedFile } from '../core/approval/approval-input.js';
import { evaluateApproval } from '../core/approval/evaluate-approval.js';
import type { Review } from '../core/approval/pull-request.js';
import {
  buildDecisionRecord,
  grantChangesFromApproval,
  rulesChangeFromApproval,
  serializeDecisionRecord,
  type DecisionInput,
  type DecisionRecord,
  type OperationOutcome,
} from '../core/decision-record.js';
import { sealRecord } from '../core/note-authentication.js';
import { classifyPath, isRulesFile } from '../core/parse-access-repo.js';
import type { DecisionNotes, GitRefReader } from '../ports.js';

export interface RecordDecisionOptions {
  /**
   * Share the record: fetch the remote's notes first (merging them in), append, push; when someone pushed
   * meanwhile, fetch, merge and push again. Without it the note stays local.
   */
  remote?: string;
  /** Push attempts before giving up (default 3). */
  attempts?: number;
  /** The notes key: the record is sealed with it, so a later run may trust it (docs/decisions/0023). */
  key?: string;
}

export interface RecordDecisionResult {
  record: DecisionRecord;
  /** True when the note reached `remote`. */
  pushed: boolean;
}

/**
 * Records a decision as a git note on its commit, under `refs/notes/grantops`. Append-only: a re-run adds
 * a record next to the earlier ones and never rewrites them, so the note's history shows every run.
 * Throws when the note cannot be written or pushed: a decision that was not recorded must fail the run.
 */
export async function recordDecision(notes: DecisionNotes, input: DecisionInput, options: RecordDecisionOptions = {}): Promise<RecordDecisionResult> {
  const built = buildDecisionRecord(input);
  const record = options.key === undefined ? built : sealRecord(built, options.key);
  const line = serializeDecisionRecord(record);
  if (options.remote === undefined) {
    await notes.appendNote(record.commit, line);
    return { record, pushed: false };
  }
  const attempts = Math.max(1, options.attempts ?? 3);
  await notes.fetchNotes(options.remote);
  await notes.appendNote(record.commit, line);
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await notes.pushNotes(options.remote);
      return { record, pushed: true };
    } catch (error) {
      lastError = error;
      // Another run pushed notes meanwhile: take theirs in (a union of lines keeps ours) and try again.
      await notes.fetchNotes(options.remote);
    }
  }
  throw new Error(`the decision record for ${record.commit.slice(0, 7)} could not be pushed to ${options.remote} after ${attempts} attempts: ${String(lastError)}`);
}

export interface MergedPullRequest {
  number: number;
  url?: string;
  author: string;
  /** The final head commit (its approvals are the ones that count). */
  headSha: string;
  reviews: readonly Review[];
  mergedBy?: string;
}

export interface MergeDecisionRequest {
  /** The commit the pull request landed as on the default branch (the merge or squash commit). */
  commit: string;
  dir: string;
  pullRequest: MergedPullRequest;
  /** The commit whose rules judge the merge; defaults to the commit's first parent (the base it landed on). */
  rulesSha?: string;
  /** When the decision is recorded; also the time limits are judged at. */
  at: Date;
  operations: readonly OperationOutcome[];
}

export interface MergeDecision {
  input: DecisionInput;
  /** The evaluator's verdict, for the caller's own report. */
  result: ApprovalResult;
}

/**
 * What the Action records after applying a merged pull request: the evaluator's verdict on the change the
 * merge brought to the branch (first parent -> commit), judged by the rules of `rulesSha` with the pull
 * request's reviews, so the note names every approver and the role each met.
 */
export async function buildMergeDecision(git: GitRefReader, request: MergeDecisionRequest): Promise<MergeDecision> {
  const { dir, commit, pullRequest: pr } = request;
  const parent = await git.resolveCommit(`${commit}^1`);
  const rulesSha = request.rulesSha === undefined ? parent : await git.resolveCommit(request.rulesSha);
  const inDir = (p: string) => p.startsWith(`${dir}/`);
  const [rulesAtBase, changed] = await Promise.all([
    git.readTree(rulesSha, dir, { include: (p) => isRulesFile(dir, p) }),
    git.listChangedPaths(parent, commit),
  ]);
  const paths = [...new Set(changed.flatMap((c) => (c.oldPath !== undefined && c.status === 'renamed' ? [c.oldPath, c.path] : [c.path])))];
  const wanted = paths.filter((p) => inDir(p) && (classifyPath(dir, p).kind !== 'other' || /\.ya?ml$/.test(p)));
  const [heads, bases] = await Promise.all([git.readFiles(commit, wanted), git.readFiles(parent, wanted)]);
  const changes: ChangedFile[] = wanted.map((path) => {
    const file: ChangedFile = { path };
    const head = heads.get(path);
    const base = bases.get(path);
    if (head) file.head = head;
    if (base && classifyPath(dir, path).kind === 'grant') file.base = base;
    return file;
  });
  const result = evaluateApproval({
    rulesAtBase,
    changes,
    pr: { author: pr.author, headSha: pr.headSha, baseSha: rulesSha, changedFiles: paths, reviews: [...pr.reviews] },
    now: request.at,
  });
  const rulesChange = rulesChangeFromApproval(result);
  const input: DecisionInput = {
    kind: 'apply',
    commit: await git.resolveCommit(commit),
    recordedAt: request.at,
    dir,
    rulesSha,
    pullRequest: { ...pr, baseSha: rulesSha },
    grants: grantChangesFromApproval(result),
    ...(rulesChange ? { rulesChange } : {}),
    operations: request.operations,
  };
  return { input, result };
}
