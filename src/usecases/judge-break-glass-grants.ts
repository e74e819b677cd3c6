import type { ChangedFile } from '../core/approval/approval-input.js';
import type { Review } from '../core/approval/pull-request.js';
import { judgeRatification, type BreakGlassRatification } from '../core/approval/ratify-break-glass.js';
import { grantChangesFromRatification, parseDecisionNote, type DecisionRecord } from '../core/decision-record.js';
import { loadAccessRepo } from '../core/load-access-repo.js';
import type { AccessRepo } from '../core/model.js';
import { classifyPath, isRulesFile } from '../core/parse-access-repo.js';
import type { RepoSnapshot } from '../core/repo-file.js';
import { findPullRequestNumber } from '../core/audit/pull-request-number.js';
import type { DecisionNoteReader, DecisionNotes, GitRefReader, GrantLanding, GrantLandings, MergedPullRequests } from '../ports.js';
import { recordDecision } from './record-decision.js';

/** Where a break-glass grant on the branch stands, and what the judgement rests on. */
export interface BreakGlassStanding extends BreakGlassRatification {
  /** The commit that merged it. */
  commit: string;
  mergedAt: string;
  pullRequest?: number;
  /**
   * `record`: a `ratify` decision record on the merge commit, judged again; `github`: the merged pull
   * request's reviews as GitHub holds them now; `merge`: only the reviews the merge's own record holds
   * (or none): nothing after the merge could be seen.
   */
  source: 'record' | 'github' | 'merge';
  /** Set when this run appended the `ratify` record. */
  recorded?: boolean;
}

export interface BreakGlassEvidence {
  refs: GitRefReader;
  landings: GrantLandings;
  notes: DecisionNoteReader;
  /** GitHub: the merged pull request's reviews now. Absent offline: only recorded ratifications count. */
  pulls?: MergedPullRequests;
  /** Where a ratification GitHub shows is recorded, so audits and offline runs see it (the Action's notes, pushed to `remote`). */
  record?: { notes: DecisionNotes; remote?: string };
}

export interface BreakGlassJudgement {
  standings: BreakGlassStanding[];
  notes: string[];
}

/**
 * Judges every break-glass grant of the branch: when it was merged (the commit that last changed
 * it), what rules it was merged under (that commit's first parent), and whether the approvers ratified it
 * in time, from a `ratify` record or from GitHub. Reviews come only from GitHub or from records the Action
 * wrote, never from the repository's files: nothing a requester can push counts as a ratification.
 */
export async function judgeBreakGlassGrants(repo: AccessRepo, evidence: BreakGlassEvidence, options: { now: Date }): Promise<BreakGlassJudgement> {
  const out: BreakGlassJudgement = { standings: [], notes: [] };
  // Expired ones too: a file whose access lapsed stays until its ratification window closes.
  const files = [...repo.grants].filter(([, g]) => g.value.breakGlass === true).map(([file]) => file);
  if (files.length === 0) return out;
  const landings = await evidence.landings.findLandings(files);
  const notes = await evidence.notes.readNotesOn([...new Set([...landings.values()].flat().map((l) => l.commit))]);
  for (const file of files) {
    // The newest commit whose change passed as break-glass merged it (a later one may only have marked it expired).
    let standing: BreakGlassStanding | undefined;
    for (const landing of landings.get(file) ?? []) {
      const records = notes.has(landing.commit) ? parseDecisionNote(notes.get(landing.commit)!, landing.commit).records : [];
      standing = await judgeOne(file, landing, records, evidence, options.now, repo.dir);
      if (standing) break;
    }
    if (standing) out.standings.push(standing);
    else out.notes.push(`${file} is marked break-glass but no recent commit of the branch merged it as break-glass by the rules of its base: its ratification cannot be judged`);
  }
  return out;
}

async function judgeOne(file: string, landing: GrantLanding, records: DecisionRecord[], evidence: BreakGlassEvidence, now: Date, dir: string): Promise<BreakGlassStanding | undefined> {
  const { refs } = evidence;
  const { commit } = landing;
  const mergedAt = new Date(landing.committedAt);
  const parent = await refs.resolveCommit(`${commit}^1`);
  const [rulesAtBase, heads, bases] = await Promise.all([
    refs.readTree(parent, dir, { include: (p) => isRulesFile(dir, p) }),
    refs.readFiles(commit, [file]),
    refs.readFiles(parent, [file]),
  ]);
  const change: ChangedFile = { path: file };
  if (heads.get(file)) change.head = heads.get(file)!;
  if (bases.get(file)) change.base = bases.get(file)!;
  const grantee = file.split('/').at(-2)!;
  const judge = (pr: { author: string; headSha: string; reviews: readonly Review[] }) =>
    judgeRatification({ rulesAtBase, changes: [change], pr: { author: pr.author, headSha: pr.headSha, baseSha: parent, changedFiles: [file], reviews: [...pr.reviews] }, mergedAt, now }).find((r) => r.file === file);
  const base = { commit, mergedAt: mergedAt.toISOString() };

  for (const record of records.filter((r) => r.kind === 'ratify' && r.pullRequest)) {
    const verdict = judge(record.pullRequest!);
    if (verdict?.status === 'ratified') return { ...verdict, ...base, pullRequest: record.pullRequest!.number, source: 'record' };
  }
  const merged = records.find((r) => r.kind === 'apply' && r.pullRequest)?.pullRequest;
  // The pull request: as the merge's decision record names it, else as GitHub's merge subject does.
  const number = merged?.number ?? findPullRequestNumber(landing.subject);
  if (number !== undefined && evidence.pulls) {
    // A subject can name a pull request that is not there: then GitHub has nothing to add.
    const current = await evidence.pulls.readMergedPullRequest(number).catch(() => undefined);
    // GitHub must say this pull request landed as this very commit: a subject or a record proves nothing alone.
    if (current?.mergeCommitSha === commit) {
      const verdict = judge(current);
      if (verdict) {
        const standing: BreakGlassStanding = { ...verdict, ...base, pullRequest: number, source: 'github' };
        if (verdict.status === 'ratified' && evidence.record) {
          await recordDecision(
            evidence.record.notes,
            { kind: 'ratify', commit, recordedAt: now, dir, rulesSha: parent, pullRequest: { ...current, baseSha: parent }, grants: grantChangesFromRatification([verdict]), operations: [] },
            evidence.record.remote === undefined ? {} : { remote: evidence.record.remote },
          );
          standing.recorded = true;
        }
        return standing;
      }
    }
  }
  const verdict = judge(merged ?? { author: grantee, headSha: commit, reviews: [] });
  return verdict ? { ...verdict, ...base, ...(merged ? { pullRequest: merged.number } : {}), source: 'merge' } : undefined;
}

/**
 * What apply does with break-glass grants: one found unratified past its window is no longer desired, so
 * its file is left out of the snapshot apply plans from (and a level-triggered apply removes its access),
 * even before the revocation pull request is merged. A judgement that fails leaves the snapshot as it is
 * (the next expire run revokes what is due) and says why. Only snapshots holding a break-glass mark are parsed.
 */
export async function dropUnratifiedGrants(
  snapshot: RepoSnapshot,
  now: Date,
  judge: (repo: AccessRepo) => Promise<BreakGlassJudgement>,
): Promise<{ snapshot: RepoSnapshot; dropped: BreakGlassStanding[]; notes: string[] }> {
  const marked = snapshot.files.some((f) => classifyPath(snapshot.dir, f.path).kind === 'grant' && textOf(f.content).includes('breakGlass'));
  if (!marked) return { snapshot, dropped: [], notes: [] };
  try {
    const judged = await judge(loadAccessRepo(snapshot, now).repo);
    const dropped = judged.standings.filter((s) => s.status === 'unratified');
    const gone = new Set(dropped.map((s) => s.file));
    return {
      snapshot: gone.size === 0 ? snapshot : { ...snapshot, files: snapshot.files.filter((f) => !gone.has(f.path)) },
      dropped,
      notes: [...judged.notes, ...dropped.map((s) => `${s.file} is left out: break-glass ${s.why}`)],
    };
  } catch (error) {
    return { snapshot, dropped: [], notes: [`break-glass ratifications could not be judged; the next expire run revokes what is due: ${error instanceof Error ? error.message : String(error)}`] };
  }
}

function textOf(content: string | Uint8Array): string {
  return typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
}
