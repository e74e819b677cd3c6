import { classifyPath, isRulesFile } from '../parse-access-repo.js';
import type { AccessFileHistory, BranchSnapshot, FileVersion } from './branch-snapshot.js';
import type { RecordProblem } from '../decision-record.js';
import { findConfirmingRecord } from './find-confirming-record.js';
import { judgeCommitOrigin, shortSha, type RejectionReason, type VouchingCheck } from './judge-commit-origin.js';

export type { RejectionReason } from './judge-commit-origin.js';

/**
 * The provenance rule (docs/decisions/0004): an access file's content at the head may be applied only when
 * the first-parent commit that last changed it is confirmed — by a decision note an earlier apply run wrote
 * and sealed for a confirmed merge, or by GitHub now (a merged pull request whose grantops check, reported
 * by the grantops app itself, passed on its final head; docs/decisions/0023). The rule files of the access directory's first commit stand as the start. Every other file is
 * withheld, on every run, until its content is confirmed: it is planned as its last confirmed version (or
 * left out when it never had one), and the run fails naming the commit and the file.
 */

export interface ProvenanceRejection {
  /** The access file whose content is withheld. */
  path: string;
  /** What that file is to the organisation, e.g. `grant kramer/prod-data-read`. */
  subject: string;
  /** The commit that last changed it. */
  commit: string;
  reason: RejectionReason;
  /** Names the commit, the file and what was wrong. */
  message: string;
  pullRequest?: number;
}

/** A commit GitHub confirmed in this run, and the pull request it came through: the run records it. */
export interface Voucher {
  commit: string;
  pullRequest: number;
}

export type ConfirmedBy = 'bootstrap' | 'note' | 'pull-request';

export interface ConfirmedVersion {
  commit: string;
  by: ConfirmedBy;
  pullRequest?: number;
}

export interface FileProvenance {
  path: string;
  subject: string;
  /** The commit that last changed it on the branch's first-parent history; absent when none was found. */
  commit?: string;
  /** True when its content at the head may be applied. */
  confirmed: boolean;
  /** The newest confirmed version; for a confirmed file, one whose content equals the head's. */
  confirmedBy?: ConfirmedVersion;
  /** Commits GitHub confirmed in this run. */
  vouchers: Voucher[];
  rejections: ProvenanceRejection[];
  /** For a withheld file: the commit whose content is applied instead, or null to leave the file out. */
  restoreFrom?: string | null;
}

export interface ProvenanceReport {
  files: FileProvenance[];
  /** Paths of the files whose content at the head may not be applied. */
  withheld: string[];
  rejections: ProvenanceRejection[];
  /**
   * Decision notes that would have spared a GitHub lookup but could not be trusted (unsealed, sealed with
   * another key, edited, copied): each is reported, and its commit was judged by GitHub instead.
   */
  untrustedNotes: RecordProblem[];
  /**
   * Facts the rule lacked: commits whose decision note was not read, commits GitHub was not asked about.
   * A file waiting on one is withheld; read them, add them to the snapshot and judge again.
   */
  needed: { notes: string[]; origins: string[] };
}

export interface ProvenanceOptions {
  /** The access directory, repository-relative. */
  dir: string;
  /** The name of the check run the grantops app reports on pull requests. */
  checkName?: string;
  /** The grantops app's id: only its own check runs vouch for a pull request. */
  appId: number;
  /**
   * The apply workflow's notes key. Only records sealed with it confirm a commit; without it no note
   * confirms anything, and every commit is confirmed with GitHub.
   */
  noteKey?: string;
}

interface JudgeOptions {
  dir: string;
  check: VouchingCheck;
  noteKey?: string;
}

interface Needs {
  notes: Set<string>;
  origins: Set<string>;
  untrusted: Map<string, RecordProblem>;
}

export const DEFAULT_CHECK_NAME = 'grantops';

/** Judges every access file at the head; files outside the access layout are not judged. */
export function evaluateBranchProvenance(snapshot: BranchSnapshot, options: ProvenanceOptions): ProvenanceReport {
  const judge: JudgeOptions = {
    dir: options.dir,
    check: { name: options.checkName ?? DEFAULT_CHECK_NAME, appId: options.appId },
    ...(options.noteKey === undefined ? {} : { noteKey: options.noteKey }),
  };
  const needed: Needs = { notes: new Set(), origins: new Set(), untrusted: new Map() };
  const files: FileProvenance[] = [];
  for (const file of snapshot.files) {
    const subject = describeAccessFile(options.dir, file.path);
    if (subject === undefined) continue;
    files.push(judgeFile(file, subject, snapshot, judge, needed));
  }
  return {
    files,
    withheld: files.filter((f) => !f.confirmed).map((f) => f.path),
    rejections: files.flatMap((f) => f.rejections),
    untrustedNotes: [...needed.untrusted.values()],
    needed: { notes: [...needed.notes], origins: [...needed.origins] },
  };
}

type Step =
  | { kind: 'confirmed'; version: ConfirmedVersion }
  | { kind: 'rejected'; reason: RejectionReason; message: string; pullRequest?: number }
  | { kind: 'needs-note' }
  | { kind: 'needs-origin' };

function judgeFile(
  file: AccessFileHistory,
  subject: string,
  snapshot: BranchSnapshot,
  options: JudgeOptions,
  needed: Needs,
): FileProvenance {
  const { path } = file;
  const last = file.versions[0];
  if (last === undefined || last.blob === null) {
    // The file is at the head yet no first-parent commit explains it: refuse rather than guess.
    const message = `${subject} (${path}) is not applied: no commit of ${snapshot.branch}'s first-parent history up to ${shortSha(snapshot.head)} was found adding it`;
    return { path, subject, confirmed: false, vouchers: [], rejections: [{ path, subject, commit: snapshot.head, reason: 'unknown-commit', message }], restoreFrom: null };
  }

  const vouchers: Voucher[] = [];
  let rejection: ProvenanceRejection | undefined;
  /** Undefined: no confirmed version (never had one, or the walk reached a deletion). */
  let confirmedAt: { version: FileVersion; by: ConfirmedVersion } | undefined;
  let undecided = false;
  for (const [i, version] of file.versions.entries()) {
    // A deletion gave the access up and needs nobody: nothing older can come back through it.
    if (version.blob === null) break;
    const step = judgeVersion(version, path, snapshot, options, needed);
    if (step.kind === 'needs-note' || step.kind === 'needs-origin') {
      (step.kind === 'needs-note' ? needed.notes : needed.origins).add(version.commit);
      undecided = true;
      if (i === 0) {
        rejection = { path, subject, commit: version.commit, reason: 'unknown-commit', message: `${subject} (${path}) is not applied: commit ${shortSha(version.commit)} was not looked up` };
      }
      break;
    }
    if (step.kind === 'confirmed') {
      if (step.version.by === 'pull-request') vouchers.push({ commit: version.commit, pullRequest: step.version.pullRequest! });
      confirmedAt = { version, by: step.version };
      break;
    }
    if (i === 0) {
      rejection = {
        path,
        subject,
        commit: version.commit,
        reason: step.reason,
        message: `${subject} (${path}) is not applied: ${step.message}`,
        ...(step.pullRequest === undefined ? {} : { pullRequest: step.pullRequest }),
      };
    }
  }

  // Confirmed when the newest confirmed version holds the head's content: the last change itself, or
  // unconfirmed changes since undone (a revert) — then nothing unconfirmed is applied.
  if (!undecided && confirmedAt !== undefined && confirmedAt.version.blob === last.blob) {
    return { path, subject, commit: last.commit, confirmed: true, confirmedBy: confirmedAt.by, vouchers, rejections: [] };
  }
  return {
    path,
    subject,
    commit: last.commit,
    confirmed: false,
    ...(confirmedAt === undefined ? {} : { confirmedBy: confirmedAt.by }),
    vouchers,
    rejections: rejection ? [rejection] : [],
    restoreFrom: undecided ? null : (confirmedAt?.version.commit ?? null),
  };
}

function judgeVersion(version: FileVersion, path: string, snapshot: BranchSnapshot, options: JudgeOptions, needed: Needs): Step {
  const { commit } = version;
  // The first commit's rules had nothing to be judged by (docs/decisions/0017, 0018); its grants did.
  if (commit === snapshot.bootstrap && isRulesFile(options.dir, path)) return { kind: 'confirmed', version: { commit, by: 'bootstrap' } };
  // Without the key a note proves nothing, so it is not even read.
  if (options.noteKey !== undefined) {
    if (!(commit in snapshot.notes)) return { kind: 'needs-note' };
    const note = snapshot.notes[commit];
    const found = note ? findConfirmingRecord(note, commit, version.parents, path, options.noteKey) : undefined;
    if (found?.record) return { kind: 'confirmed', version: { commit, by: 'note', pullRequest: found.record.pullRequest!.number } };
    for (const problem of found?.problems ?? []) needed.untrusted.set(`${problem.commit}\u0000${problem.message}`, problem);
  }
  if (!(commit in snapshot.origins)) return { kind: 'needs-origin' };
  const verdict = judgeCommitOrigin(snapshot.origins[commit], commit, snapshot.branch, options.check);
  if (verdict.ok) return { kind: 'confirmed', version: { commit, by: 'pull-request', pullRequest: verdict.pullRequest } };
  return { kind: 'rejected', reason: verdict.reason, message: verdict.message, ...(verdict.pullRequest === undefined ? {} : { pullRequest: verdict.pullRequest }) };
}

/** What an access file is to the organisation; undefined for files outside the layout. */
export function describeAccessFile(dir: string, path: string): string | undefined {
  const layout = classifyPath(dir, path);
  switch (layout.kind) {
    case 'grant':
      return `grant ${layout.login}/${layout.resource}`;
    case 'resource':
      return `resource ${layout.id} (system ${layout.system})`;
    case 'people':
      return 'the people list';
    case 'org':
      return 'the organisation settings';
    default:
      return undefined;
  }
}
