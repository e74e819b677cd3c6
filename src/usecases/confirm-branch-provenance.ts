import type { BranchSnapshot } from '../core/provenance/branch-snapshot.js';
import { describeAccessFile, evaluateBranchProvenance, type ProvenanceOptions, type ProvenanceReport } from '../core/provenance/evaluate-branch-provenance.js';
import { withholdUnconfirmed } from '../core/provenance/withhold-unconfirmed.js';
import type { RepoFile, RepoSnapshot } from '../core/repo-file.js';
import type { BranchHistory, CommitOrigins, DecisionNoteReader } from '../ports.js';

export interface BranchFacts {
  /** `owner/name`. */
  repository: string;
  /** The branch applied, without `refs/heads/`. */
  branch: string;
  /** The commit applied: the checkout's HEAD. */
  head: string;
}

export type ConfirmBranchOptions = ProvenanceOptions;

export interface ConfirmedBranch {
  facts: BranchSnapshot;
  report: ProvenanceReport;
  /** The access directory as it may be applied: withheld files back at their last confirmed content. */
  snapshot: RepoSnapshot;
  /** GitHub lookups this run needed (0 when every file's last change carries a decision note). */
  lookups: number;
}

/**
 * Reads the branch's access history (git), the decision notes on the commits it needs, and GitHub's word
 * only for the commits no note confirms; judges it with the provenance rule, and returns the access
 * directory with every unconfirmed file put back to its last confirmed content. Facts are read in rounds,
 * as the rule asks for them, so a file that is confirmed costs nothing further.
 */
export async function confirmBranchProvenance(
  facts: BranchFacts,
  current: RepoSnapshot,
  ports: { history: BranchHistory; notes: Pick<DecisionNoteReader, 'readNotesOn'>; origins: () => CommitOrigins },
  options: ConfirmBranchOptions,
): Promise<ConfirmedBranch> {
  const history = await ports.history.readAccessHistory(facts.head, options.dir);
  const snapshot: BranchSnapshot = {
    ...facts,
    ...(history.bootstrap === undefined ? {} : { bootstrap: history.bootstrap }),
    // Only files of the access layout are judged, so only their commits are worth reading about.
    files: history.files.filter((file) => describeAccessFile(options.dir, file.path) !== undefined),
    notes: {},
    origins: {},
  };
  let origins: CommitOrigins | undefined;
  let lookups = 0;
  let report = evaluateBranchProvenance(snapshot, options);
  while (report.needed.notes.length > 0 || report.needed.origins.length > 0) {
    if (report.needed.notes.length > 0) {
      const found = await ports.notes.readNotesOn(report.needed.notes);
      for (const commit of report.needed.notes) snapshot.notes[commit] = found.get(commit) ?? null;
    }
    if (report.needed.origins.length > 0) {
      origins ??= ports.origins();
      const answers = await origins.findCommitOrigins(report.needed.origins);
      lookups += report.needed.origins.length;
      for (const commit of report.needed.origins) {
        const answer = answers[commit];
        // Asking again would get the same silence: stop rather than guess.
        if (answer === undefined) throw new Error(`GitHub gave no answer about commit ${commit}: cannot confirm where it came from`);
        snapshot.origins[commit] = answer;
      }
    }
    report = evaluateBranchProvenance(snapshot, options);
  }

  const previous = new Map<string, RepoFile['content'] | null>();
  for (const file of report.files) {
    if (file.confirmed) continue;
    previous.set(file.path, file.restoreFrom ? await ports.history.readFileAt(file.restoreFrom, file.path) : null);
  }
  return { facts: snapshot, report, snapshot: withholdUnconfirmed(current, report.withheld, previous), lookups };
}
