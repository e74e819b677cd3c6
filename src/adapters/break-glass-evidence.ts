import type { AccessRepo } from '../core/model.js';
import type { DecisionNotes, MergedPullRequests } from '../ports.js';
import { judgeBreakGlassGrants, type BreakGlassJudgement } from '../usecases/judge-break-glass-grants.js';
import { GitGrantLandings } from './git/grant-landings.js';
import { LocalGitRefReader } from './git/git-ref-reader.js';
import { GitDecisionNotes } from './git/notes.js';

export interface BreakGlassEvidenceOptions {
  now: Date;
  /** GitHub: the merged pull requests' reviews now (the Action); absent: only recorded ratifications count. */
  pulls?: MergedPullRequests;
  /** Where a ratification GitHub shows is recorded (the Action's notes, pushed to `remote`). */
  record?: { notes: DecisionNotes; remote?: string };
}

/** The break-glass judgement of `grantops expire` in a clone: its history, its decision notes and, when given, GitHub. */
export function breakGlassFromCheckout(root: string, options: BreakGlassEvidenceOptions): (repo: AccessRepo) => Promise<BreakGlassJudgement> {
  return (repo) =>
    judgeBreakGlassGrants(
      repo,
      {
        refs: new LocalGitRefReader(root),
        landings: new GitGrantLandings(root),
        notes: new GitDecisionNotes(root),
        ...(options.pulls ? { pulls: options.pulls } : {}),
        ...(options.record ? { record: options.record } : {}),
      },
      { now: options.now },
    );
}
