import type { DecisionRecord, RecordedGrantChange, RecordedOperation } from '../decision-record.js';
import { classifyPath } from '../parse-access-repo.js';
import type {
  ActiveGrant,
  AuditEvent,
  AuditEventType,
  AuditReport,
  GrantTimeline,
  HistoryCoverage,
  ProvisionedAfterExpiry,
  RecordStatus,
  UnrecordedChange,
} from './audit-report.js';
import type { CommitFact, FileChange } from './commit-facts.js';
import { readGrantVersion, type GrantVersion } from './grant-version.js';
import type { AuditIndex, Landing } from './index-audit-facts.js';
import { findPullRequestNumber } from './pull-request-number.js';
import { createAuthorResolver } from './resolve-commit-author.js';
import type { PeopleEmails } from './read-people-emails.js';

export type BlobContents = ReadonlyMap<string, Uint8Array | string | null>;

export interface AuditBuildInput {
  index: AuditIndex;
  /** Contents of the blobs `listAuditBlobs` named. */
  contents: BlobContents;
  /** The emails of people.yaml at the audited commit, to turn commit authors into logins. */
  people: PeopleEmails;
  now: Date;
}

/** The blobs the report reads: every version of an access file the default branch held. */
export function listAuditBlobs(index: AuditIndex): string[] {
  const ids = new Set<string>();
  for (const landing of index.landings) {
    for (const change of [...landing.grantChanges, ...landing.ruleChanges]) {
      if (change.before) ids.add(change.before);
      if (change.after) ids.add(change.after);
    }
  }
  return [...ids];
}

/** The order of events that share a time: a request comes before its approval, which comes before the merge. */
const PHASE: Record<AuditEventType, number> = {
  present: 0,
  requested: 1,
  approved: 2,
  'break-glass': 2,
  merged: 3,
  pushed: 3,
  renewed: 3,
  revoked: 3,
  deleted: 3,
  provisioned: 4,
  deprovisioned: 4,
  expired: 4,
  ratified: 5,
};

interface Draft {
  timeline: GrantTimeline;
  events: { event: AuditEvent; seq: number }[];
  /** Where the grant's access was last added and not yet removed, by the records. */
  provisionedSince?: string;
}

/**
 * Builds the per-grant lifecycle timelines and the summary from the indexed facts (DESIGN §3, lifecycle):
 * commits give requested / merged / renewed / revoked / deleted, decision records give approved and the
 * IAM events (provisioned, deprovisioned, expired). Pure: no git, no clock.
 */
export function buildAuditReport(input: AuditBuildInput): AuditReport {
  const { index, contents, people, now } = input;
  const drafts = new Map<string, Draft>();
  let seq = 0;
  const draftOf = (file: string): Draft => {
    let draft = drafts.get(file);
    if (!draft) {
      const layout = classifyPath(index.dir, file);
      const [user, resource] = layout.kind === 'grant' ? [layout.login, layout.resource] : ['', file];
      draft = { timeline: { file, user, resource, current: null, provisioned: false, events: [] }, events: [] };
      drafts.set(file, draft);
    }
    return draft;
  };
  const add = (file: string, event: AuditEvent) => draftOf(file).events.push({ event, seq: seq++ });
  const resolveAuthor = createAuthorResolver(people);
  const who = (commit: CommitFact) => resolveAuthor(commit.author);
  const versions = new Map<string, GrantVersion | undefined>();
  const version = (path: string, blob: string | null): GrantVersion | undefined => {
    if (blob === null) return undefined;
    if (!versions.has(blob)) versions.set(blob, readGrantVersion(path, contents.get(blob)));
    return versions.get(blob);
  };

  const problemCommits = new Set(index.problems.map((p) => p.commit));
  const current = new Map<string, string | null>();
  /** The last `expires` the branch held for each grant, kept after the file is deleted. */
  const lastExpires = new Map<string, string>();
  const unrecorded: UnrecordedChange[] = [];

  for (const landing of index.landings) {
    const { commit } = landing;
    const records = (index.records.get(commit.sha) ?? []).filter((r) => r.kind === 'apply');
    const hasProblems = problemCommits.has(commit.sha);
    const pr = records.find((r) => r.pullRequest)?.pullRequest;
    const prNumber = pr?.number ?? findPullRequestNumber(commit.subject);
    const via: 'pull-request' | 'direct-push' = landing.parents.length > 1 || pr !== undefined || prNumber !== undefined ? 'pull-request' : 'direct-push';

    for (const change of landing.grantChanges) {
      current.set(change.path, change.after);
      if (landing.boundary) {
        const after = version(change.path, change.after);
        if (after?.expires) lastExpires.set(change.path, after.expires);
        add(change.path, {
          type: 'present',
          at: commit.committedAt,
          commit: commit.sha,
          details: `already on the branch where this clone's history begins${after?.expires ? ` (expires ${after.expires})` : ''}`,
        });
        continue;
      }
      const before = version(change.path, change.before);
      const after = version(change.path, change.after);
      const expires = after?.expires ?? before?.expires;
      if (expires) lastExpires.set(change.path, expires);
      const entry = findEntry(records, change.path);
      const record = recordStatusOf(records, entry, hasProblems);

      const proposal = landing.proposals.find((p) => p.changes.some((c) => c.path === change.path));
      if (proposal) {
        add(change.path, { type: 'requested', at: proposal.authoredAt, commit: proposal.sha, ...optional('pr', prNumber), by: who(proposal), details: requestDetails(change, before, after) });
      } else if (via === 'pull-request' && landing.parents.length < 2) {
        // A squash merge: the pull request's own commits are not on the branch; its author asked.
        add(change.path, { type: 'requested', at: commit.authoredAt, commit: commit.sha, ...optional('pr', prNumber), by: pr?.author ?? who(commit), details: requestDetails(change, before, after) });
      }
      if (entry) addApprovals(change.path, entry.record, entry.grant, commit.committedAt, add);

      if (after?.breakGlass === true && before?.breakGlass !== true) {
        add(change.path, { type: 'break-glass', at: commit.committedAt, commit: commit.sha, ...optional('pr', prNumber), by: pr?.author ?? who(commit), details: `break-glass: passed at once, to be ratified after the merge (${after.reason ?? 'no reason'})` });
      }
      const type = landingType(change, before, after, via);
      add(change.path, {
        type,
        at: commit.committedAt,
        commit: commit.sha,
        ...optional('pr', prNumber),
        by: pr?.mergedBy ?? who(commit),
        via,
        record,
        details: landingDetails(type, before, after) + (record === 'valid' ? '' : ` [${RECORD_WORDS[record]}]`),
      });
      if (record !== 'valid') {
        const layout = classifyPath(index.dir, change.path);
        unrecorded.push({
          commit: commit.sha,
          at: commit.committedAt,
          file: change.path,
          ...(layout.kind === 'grant' ? { user: layout.login, resource: layout.resource } : {}),
          via,
          record,
          message: `${type} ${via === 'direct-push' ? 'directly, without a pull request' : `through pull request${prNumber ? ` #${prNumber}` : ''}`}: ${RECORD_WORDS[record]}`,
        });
      }
    }

    // A change to the rules needs a decision as much as a grant does; the first commit had nothing to be judged by.
    if (landing.ruleChanges.length > 0 && !landing.boundary && !landing.root) {
      const valid = records.some((r) => r.rulesChange?.status === 'satisfied');
      if (!valid) {
        const record: Exclude<RecordStatus, 'valid'> = records.length > 0 ? (records.some((r) => r.rulesChange) ? 'not-approved' : 'not-listed') : hasProblems ? 'invalid' : 'missing';
        unrecorded.push({
          commit: commit.sha,
          at: commit.committedAt,
          file: landing.ruleChanges.map((c) => c.path).join(', '),
          via,
          record,
          message: `rules changed ${via === 'direct-push' ? 'directly, without a pull request' : `through pull request${prNumber ? ` #${prNumber}` : ''}`}: ${RECORD_WORDS[record]}`,
        });
      }
    }
  }

  // IAM events, from every trusted record: what apply and expire runs did, and when.
  for (const [commit, records] of index.records) {
    for (const record of records) {
      const touched = new Set<string>();
      for (const op of record.operations) {
        if (op.grant === null) continue;
        touched.add(op.grant);
        add(op.grant, operationEvent(record, op, commit));
      }
      if (record.kind === 'ratify') {
        for (const grant of record.grants) {
          for (const a of grant.approvals) add(grant.file, { type: 'ratified', at: record.recordedAt, commit, ...optional('pr', record.pullRequest?.number), by: a.by, role: a.role, details: `ratified the break-glass grant as ${a.role}` });
        }
      }
      if (record.kind === 'expire') {
        for (const grant of record.grants) {
          if (touched.has(grant.file)) continue;
          add(grant.file, { type: 'expired', at: record.recordedAt, commit, details: 'access expired (the record lists no IAM operation: provisioned by hand)' });
        }
      }
    }
  }

  const grants: GrantTimeline[] = [];
  const activeGrants: ActiveGrant[] = [];
  const provisionedAfterExpiry: ProvisionedAfterExpiry[] = [];
  for (const draft of [...drafts.values()].sort((a, b) => compareText(a.timeline.file, b.timeline.file))) {
    const timeline = draft.timeline;
    draft.events.sort((a, b) => Date.parse(a.event.at) - Date.parse(b.event.at) || PHASE[a.event.type] - PHASE[b.event.type] || a.seq - b.seq);
    timeline.events = draft.events.map((e) => e.event);

    const blob = current.get(timeline.file);
    const now_ = blob ? version(timeline.file, blob) : undefined;
    timeline.current = blob && now_ ? { status: now_.status ?? 'unknown', ...optional('expires', now_.expires), ...optional('approvalExpires', now_.approvalExpires) } : blob ? { status: 'unreadable' } : null;
    if (timeline.current?.status === 'active' && timeline.current.expires && Date.parse(timeline.current.expires) > now.getTime()) {
      activeGrants.push({ file: timeline.file, user: timeline.user, resource: timeline.resource, expires: timeline.current.expires });
    }

    let since: string | undefined;
    for (const event of timeline.events) {
      if (event.result !== 'done') continue;
      if (event.type === 'provisioned') since = since ?? event.at;
      if (event.type === 'deprovisioned' || event.type === 'expired') since = undefined;
    }
    timeline.provisioned = since !== undefined;
    if (since !== undefined) {
      const last = timeline.current?.expires ?? lastExpires.get(timeline.file);
      const reason: ProvisionedAfterExpiry['reason'] | undefined =
        timeline.current === null ? 'deleted' : timeline.current.status === 'expired' ? 'revoked' : last !== undefined && Date.parse(last) <= now.getTime() ? 'expired' : undefined;
      if (reason) provisionedAfterExpiry.push({ file: timeline.file, user: timeline.user, resource: timeline.resource, ...optional('expires', last), reason, since });
    }
    grants.push(timeline);
  }

  return {
    dir: index.dir,
    generatedAt: now.toISOString(),
    coverage: coverageOf(index),
    grants,
    summary: {
      activeGrants,
      unrecordedChanges: unrecorded,
      provisionedAfterExpiry,
      recordProblems: [...index.problems],
    },
  };
}

const RECORD_WORDS: Record<RecordStatus, string> = {
  valid: 'decision recorded',
  missing: 'no decision record',
  invalid: 'its decision record cannot be trusted',
  'not-listed': 'the decision record does not list this change',
  'not-approved': 'the decision record says it was not approved',
};

function findEntry(records: readonly DecisionRecord[], file: string): { record: DecisionRecord; grant: RecordedGrantChange } | undefined {
  let fallback: { record: DecisionRecord; grant: RecordedGrantChange } | undefined;
  for (const record of records) {
    const grant = record.grants.find((g) => g.file === file);
    if (!grant) continue;
    if (grant.status === 'approved') return { record, grant };
    fallback = fallback ?? { record, grant };
  }
  return fallback;
}

function recordStatusOf(records: readonly DecisionRecord[], entry: { grant: RecordedGrantChange } | undefined, hasProblems: boolean): RecordStatus {
  if (entry) return entry.grant.status === 'approved' ? 'valid' : 'not-approved';
  if (records.length > 0) return 'not-listed';
  return hasProblems ? 'invalid' : 'missing';
}

function addApprovals(file: string, record: DecisionRecord, grant: RecordedGrantChange, landedAt: string, add: (file: string, event: AuditEvent) => void): void {
  const pr = record.pullRequest;
  if (grant.status !== 'approved') return;
  if (grant.approvals.length === 0) {
    // A break-glass pass is no approval: the record's why says so, and ratification follows.
    const details = grant.why?.includes('BREAK-GLASS') ? `passed at once as break-glass (${grant.change}): to be ratified` : `no approval needed (${grant.change})`;
    add(file, { type: 'approved', at: landedAt, ...optional('pr', pr?.number), ...optional('headSha', pr?.headSha), details });
    return;
  }
  for (const approval of grant.approvals) {
    const review = pr?.reviews
      .filter((r) => r.reviewer.toLowerCase() === approval.by.toLowerCase() && r.state === 'APPROVED' && r.commitSha === pr.headSha)
      .sort((a, b) => Date.parse(b.submittedAt) - Date.parse(a.submittedAt))[0];
    const at = review && Date.parse(review.submittedAt) <= Date.parse(landedAt) ? new Date(review.submittedAt).toISOString() : landedAt;
    add(file, {
      type: 'approved',
      at,
      ...optional('pr', pr?.number),
      by: approval.by,
      role: approval.role,
      ...optional('headSha', pr?.headSha),
      details: `as ${approval.role}${pr ? ` on head ${pr.headSha.slice(0, 7)}` : ''}`,
    });
  }
}

function operationEvent(record: DecisionRecord, op: RecordedOperation, commit: string): AuditEvent {
  const removes = /^(detach|remove|delete)-/.test(op.action);
  const type: AuditEventType = !removes ? 'provisioned' : record.kind === 'expire' ? 'expired' : 'deprovisioned';
  const operation = `${op.action} ${op.principal} ${op.target}`;
  return {
    type,
    at: op.at,
    commit,
    ...optional('pr', record.pullRequest?.number),
    operation,
    result: op.status,
    details: `${op.system}: ${operation}${op.status === 'failed' ? ` FAILED${op.error ? `: ${op.error}` : ''}` : ''}`,
  };
}

function landingType(change: FileChange, before: GrantVersion | undefined, after: GrantVersion | undefined, via: 'pull-request' | 'direct-push'): AuditEventType {
  if (change.after === null) return 'deleted';
  const arrives = via === 'pull-request' ? 'merged' : 'pushed';
  if (change.before === null || !before || !after) return arrives;
  if (before.status === 'expired' && after.status === 'active') return 'renewed';
  if (before.status !== 'expired' && after.status === 'expired') return 'revoked';
  if (before.expires && after.expires && Date.parse(after.expires) < Date.parse(before.expires) && after.status === before.status) return 'revoked';
  return arrives;
}

function requestDetails(change: FileChange, before: GrantVersion | undefined, after: GrantVersion | undefined): string {
  if (change.after === null) return 'asks to delete the grant';
  if (change.before === null) return `asks for access${after?.expires ? ` until ${after.expires}` : ''}${after?.reason ? `: ${after.reason}` : ''}`;
  if (before?.status === 'expired' && after?.status === 'active') return `asks to renew until ${after.expires ?? '?'}`;
  if (before?.status !== 'expired' && after?.status === 'expired') return 'asks to record the end of the access (status: expired)';
  return `asks to change the grant${describeDiff(before, after)}`;
}

function landingDetails(type: AuditEventType, before: GrantVersion | undefined, after: GrantVersion | undefined): string {
  switch (type) {
    case 'deleted':
      return 'grant file deleted';
    case 'renewed':
      return `renewed until ${after?.expires ?? '?'}`;
    case 'revoked':
      return after?.status === 'expired' && before?.status !== 'expired' ? `status set to expired${after.expires ? ` (expires ${after.expires})` : ''}` : `expires brought forward${describeDiff(before, after)}`;
    default:
      if (!before) return after ? `new grant${after.expires ? ` until ${after.expires}` : ''}${after.reason ? `: ${after.reason}` : ''}` : 'grant file unreadable';
      return `grant changed${describeDiff(before, after)}`;
  }
}

function describeDiff(before: GrantVersion | undefined, after: GrantVersion | undefined): string {
  if (!before || !after) return '';
  const parts: string[] = [];
  for (const key of ['expires', 'approvalExpires', 'status', 'reason'] as const) {
    if (before[key] !== after[key]) parts.push(`${key} ${before[key] ?? '(none)'} -> ${after[key] ?? '(none)'}`);
  }
  return parts.length > 0 ? `: ${parts.join(', ')}` : '';
}

function coverageOf(index: AuditIndex): HistoryCoverage {
  const coverage: HistoryCoverage = { head: index.head, commits: index.commits.size };
  if (index.oldestCommitAt) coverage.since = index.oldestCommitAt;
  if (index.shallowBoundary.size > 0) {
    const boundary = [...index.shallowBoundary];
    const dates = boundary.map((sha) => index.commits.get(sha)?.committedAt).filter((d): d is string => d !== undefined).sort();
    const from = dates[0] ?? index.oldestCommitAt;
    coverage.shallow = {
      boundary,
      message:
        `this clone is shallow: its history stops at ${boundary.map((s) => s.slice(0, 7)).join(', ')}${from ? ` (${from})` : ''}. ` +
        'Grants requested, approved or changed before then show only as "present", and their decisions are not verified. ' +
        'Run `git fetch --unshallow` to audit the whole history.',
    };
  }
  if (!index.notesPresent) {
    coverage.notesMissing =
      'this clone holds no decision notes (refs/notes/grantops): fetch them with `git fetch origin refs/notes/grantops:refs/notes/grantops`, or no decision was ever recorded';
  }
  return coverage;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
