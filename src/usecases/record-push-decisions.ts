import type { DecisionRecord, OperationOutcome } from '../core/decision-record.js';
import type { DecisionNotes, GitRefReader, MergedPullRequests } from '../ports.js';
import { buildMergeDecision, recordDecision } from './record-decision.js';

export interface PushDecisionPorts {
  refs: GitRefReader;
  notes: DecisionNotes;
  pulls: MergedPullRequests;
}

export interface PushDecisionRequest {
  dir: string;
  /** The commit the run applied (the pushed branch's new head). */
  after: string;
  /** The merged pull requests the push's access changes came through (provenance vouched for them). */
  pullRequests: readonly number[];
  /** What the run did in IAM. */
  results: readonly OperationOutcome[];
  at: Date;
  /** Where to push the notes (the checkout's `origin`); without it they stay local. */
  remote?: string;
  /** Seals each record (docs/decisions/0023). */
  key?: string;
}

/**
 * After an apply run on a push: one decision record per merged pull request, on the commit it landed as,
 * holding the evaluator's verdict with that pull request's reviews and the IAM operations for the grants
 * it changed. Operations no pull request explains (drift, a re-run after a failure) go on the pushed head,
 * in its pull request's record or, with none, in a record that names no pull request.
 */
export async function recordPushDecisions(ports: PushDecisionPorts, request: PushDecisionRequest): Promise<DecisionRecord[]> {
  const after = await ports.refs.resolveCommit(request.after);
  const pulls = await Promise.all([...new Set(request.pullRequests)].sort((a, b) => a - b).map((n) => ports.pulls.readMergedPullRequest(n)));

  const landed: { pr: (typeof pulls)[number]; commit: string; files: Set<string> }[] = [];
  for (const pr of pulls) {
    const commit = pr.mergeCommitSha ? await ports.refs.resolveCommit(pr.mergeCommitSha).catch(() => after) : after;
    const parent = await ports.refs.resolveCommit(`${commit}^1`).catch(() => undefined);
    const changed = parent === undefined ? [] : await ports.refs.listChangedPaths(parent, commit, { dir: request.dir });
    landed.push({ pr, commit, files: new Set(changed.flatMap((c) => (c.oldPath ? [c.oldPath, c.path] : [c.path]))) });
  }

  const assigned = new Map<(typeof landed)[number], OperationOutcome[]>(landed.map((l) => [l, []]));
  const leftover: OperationOutcome[] = [];
  for (const result of request.results) {
    const grant = result.operation.grant;
    const owner = grant === null ? undefined : landed.find((l) => l.files.has(grant));
    if (owner) assigned.get(owner)!.push(result);
    else leftover.push(result);
  }
  const onHead = landed.find((l) => l.commit === after);
  if (onHead) assigned.get(onHead)!.push(...leftover.splice(0));

  const records: DecisionRecord[] = [];
  const options = { ...(request.remote === undefined ? {} : { remote: request.remote }), ...(request.key === undefined ? {} : { key: request.key }) };
  for (const entry of landed) {
    const { input } = await buildMergeDecision(ports.refs, {
      commit: entry.commit,
      dir: request.dir,
      at: request.at,
      operations: assigned.get(entry)!,
      pullRequest: {
        number: entry.pr.number,
        author: entry.pr.author,
        headSha: entry.pr.headSha,
        reviews: entry.pr.reviews,
        ...(entry.pr.url === undefined ? {} : { url: entry.pr.url }),
        ...(entry.pr.mergedBy === undefined ? {} : { mergedBy: entry.pr.mergedBy }),
      },
    });
    records.push((await recordDecision(ports.notes, input, options)).record);
  }
  if (leftover.length > 0) {
    const input = { kind: 'apply' as const, commit: after, recordedAt: request.at, dir: request.dir, rulesSha: after, grants: [], operations: leftover };
    records.push((await recordDecision(ports.notes, input, options)).record);
  }
  return records;
}
