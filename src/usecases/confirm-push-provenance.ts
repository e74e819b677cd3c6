import { describeAccessFile, evaluatePushProvenance, type ProvenanceReport } from '../core/provenance/evaluate-push-provenance.js';
import type { PushSnapshot } from '../core/provenance/push-snapshot.js';
import { withholdUnconfirmed } from '../core/provenance/withhold-unconfirmed.js';
import type { RepoFile, RepoSnapshot } from '../core/repo-file.js';
import type { CommitOrigins, PushHistory } from '../ports.js';

export interface PushFacts {
  /** `owner/name`. */
  repository: string;
  branch: string;
  /** Absent when the push created the branch. */
  before?: string;
  after: string;
}

export interface ConfirmPushOptions {
  /** The access directory, repository-relative. */
  dir: string;
  checkName?: string;
}

export interface ConfirmedPush {
  push: PushSnapshot;
  report: ProvenanceReport;
  /** The access directory as it may be applied: withheld files back at their content before the push. */
  snapshot: RepoSnapshot;
}

/**
 * Reads what the push changed (git) and where each commit came from (GitHub), judges it with the
 * provenance rule, and returns the access directory with every unconfirmed change withheld.
 */
export async function confirmPushProvenance(
  facts: PushFacts,
  current: RepoSnapshot,
  ports: { history: PushHistory; origins: CommitOrigins },
  options: ConfirmPushOptions,
): Promise<ConfirmedPush> {
  const changed = await ports.history.listChangedFiles({ before: facts.before, after: facts.after }, options.dir);
  // Only files of the access layout are judged, so only their commits are worth asking GitHub about.
  const changedFiles = changed.filter((file) => describeAccessFile(options.dir, file.path) !== undefined);
  const shas = [...new Set(changedFiles.flatMap((file) => file.commits))];
  const commits = shas.length === 0 ? {} : await ports.origins.findCommitOrigins(shas);
  const push: PushSnapshot = { ...facts, changedFiles, commits };
  const report = evaluatePushProvenance(push, options);

  const previous = new Map<string, RepoFile['content'] | null>();
  for (const path of report.withheld) {
    previous.set(path, facts.before === undefined ? null : await ports.history.readFileAt(facts.before, path));
  }
  return { push, report, snapshot: withholdUnconfirmed(current, report.withheld, previous) };
}
