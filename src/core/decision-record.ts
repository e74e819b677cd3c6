import { createHash } from 'node:crypto';
import { Ajv, type JSONSchemaType, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ApprovalResult, ApprovalStatus, ChangeKind } from './approval/approval-result.js';
import type { Review, ReviewState } from './approval/pull-request.js';
import { canonicalJson } from './canonical-json.js';
import { checkRecordSeal } from './note-authentication.js';

/**
 * A decision record: what grantops decided about one commit of the default branch and what it then did
 * in IAM. Records are kept as git notes under `refs/notes/grantops` on the commit they are about, one JSON
 * object per line; a re-run appends a record and never rewrites one (docs/decisions/0017).
 */
export const DECISION_NOTES_REF = 'refs/notes/grantops';
export const DECISION_RECORD_FORMAT = 'grantops-decision';
export const DECISION_RECORD_VERSION = 1;

/**
 * `apply`: a merge (or a scheduled run) applied to IAM; `expire`: an expire run removed lapsed access;
 * `ratify`: an expire run found a merged break-glass grant ratified, and records the reviews that did it.
 */
export type DecisionKind = 'apply' | 'expire' | 'ratify';

/**
 * A grant change as recorded. `expiry` is what an expire run records for each access it removed;
 * `ratification` the approvals that ratified a break-glass grant after its merge.
 */
export type RecordedChangeKind = ChangeKind | 'expiry' | 'ratification';

export interface RecordedReview {
  reviewer: string;
  state: ReviewState;
  commitSha: string;
  submittedAt: string;
  isBot?: boolean;
}

/** The pull request as the decision saw it: its reviews are what lets an auditor re-judge it offline. */
export interface RecordedPullRequest {
  number: number;
  url?: string;
  author: string;
  /** The final head commit, the one the approvals were given on. */
  headSha: string;
  /** The base commit the rules were read from. */
  baseSha: string;
  mergedBy?: string;
  reviews: RecordedReview[];
}

/** One role a change required and who met it. */
export interface RecordedApproval {
  role: string;
  by: string;
}

export interface RecordedGrantChange {
  /** Repository-relative path of the grant file. */
  file: string;
  user: string;
  resource: string;
  change: RecordedChangeKind;
  status: ApprovalStatus;
  /** Empty when the change needed nobody (a renewal, giving access up, an expiry). */
  approvals: RecordedApproval[];
  why?: string;
}

export interface RecordedRulesChange {
  files: string[];
  status: 'satisfied' | 'missing';
  approvals: RecordedApproval[];
}

export type RecordedOperationStatus = 'done' | 'failed';

export interface RecordedOperation {
  action: string;
  system: string;
  principal: string;
  target: string;
  resource: string;
  /** The grant file behind the operation; null for drift nobody granted. */
  grant: string | null;
  drift?: boolean;
  status: RecordedOperationStatus;
  error?: string;
  /** ISO 8601: when the operation finished. */
  at: string;
}

export interface DecisionRecord {
  format: typeof DECISION_RECORD_FORMAT;
  version: typeof DECISION_RECORD_VERSION;
  kind: DecisionKind;
  /** The commit the note is attached to: a record copied onto another commit is caught by this. */
  commit: string;
  recordedAt: string;
  /** The access directory, repository-relative. */
  dir: string;
  /** The commit whose rule files (grantops.yaml, people.yaml, resources/) the decision was judged by. */
  rulesSha: string;
  pullRequest?: RecordedPullRequest;
  grants: RecordedGrantChange[];
  rulesChange?: RecordedRulesChange;
  operations: RecordedOperation[];
  /** `sha256:` + hex digest of the record's canonical JSON without this field (nor `mac`). */
  digest: string;
  /**
   * `hmac-sha256:` + hex HMAC of `digest` under the apply workflow's notes key (note-authentication.ts):
   * what lets a reader holding the key tell a record the Action wrote from one anybody pushed.
   */
  mac?: string;
}

// --- building -----------------------------------------------------------------------------------

/** An IAM operation and how it went; structurally the provisioning use cases' `OperationResult`. */
export interface OperationOutcome {
  operation: { action: string; system: string; principal: string; target: string; resource: string; grant: string | null; drift?: boolean };
  status: RecordedOperationStatus;
  error?: string;
  /** When it finished; defaults to the record's time. */
  at?: Date | string;
}

export interface DecisionInput {
  kind: DecisionKind;
  commit: string;
  recordedAt: Date;
  dir: string;
  rulesSha: string;
  /** As recorded, but with the reviews as the evaluator saw them (they are narrowed when recorded). */
  pullRequest?: Omit<RecordedPullRequest, 'reviews'> & { reviews: readonly Review[] };
  /** The grant changes; `grantChangesFromApproval` and `grantChangesFromExpiry` build them. */
  grants: RecordedGrantChange[];
  rulesChange?: RecordedRulesChange;
  operations: readonly OperationOutcome[];
}

/** Builds the record (with its digest) from what an apply or expire run knows. */
export function buildDecisionRecord(input: DecisionInput): DecisionRecord {
  const recordedAt = input.recordedAt.toISOString();
  const body: Omit<DecisionRecord, 'digest'> = {
    format: DECISION_RECORD_FORMAT,
    version: DECISION_RECORD_VERSION,
    kind: input.kind,
    commit: input.commit,
    recordedAt,
    dir: input.dir,
    rulesSha: input.rulesSha,
    grants: input.grants.map((g) => ({ ...g, approvals: g.approvals.map((a) => ({ ...a })) })),
    operations: input.operations.map((o) => operationOf(o, recordedAt)),
  };
  if (input.pullRequest) {
    const pr = input.pullRequest;
    body.pullRequest = {
      number: pr.number,
      author: pr.author,
      headSha: pr.headSha,
      baseSha: pr.baseSha,
      reviews: pr.reviews.map(reviewOf),
      ...(pr.url === undefined ? {} : { url: pr.url }),
      ...(pr.mergedBy === undefined ? {} : { mergedBy: pr.mergedBy }),
    };
  }
  if (input.rulesChange) body.rulesChange = { ...input.rulesChange, files: [...input.rulesChange.files] };
  return { ...body, digest: digestOf(body) };
}

/** The grant changes of an approval result, each with the approver who met each required role. */
export function grantChangesFromApproval(result: ApprovalResult): RecordedGrantChange[] {
  return result.grants.map((g) => ({
    file: g.file,
    user: g.user,
    resource: g.resource,
    change: g.change,
    status: g.status,
    approvals: g.roles.filter((r) => r.status === 'satisfied' && r.satisfiedBy !== undefined).map((r) => ({ role: r.role, by: r.satisfiedBy! })),
    why: g.why,
  }));
}

export function rulesChangeFromApproval(result: ApprovalResult): RecordedRulesChange | undefined {
  const change = result.rulesChange;
  if (!change) return undefined;
  return {
    files: [...change.files],
    status: change.status,
    approvals: change.status === 'satisfied' && change.satisfiedBy !== undefined ? [{ role: change.role, by: change.satisfiedBy }] : [],
  };
}

/** What an expire run records for each grant whose access it removed: an expiry needs nobody. */
export function grantChangesFromExpiry(grants: readonly { file: string; user: string; resource: string }[]): RecordedGrantChange[] {
  return grants.map((g) => ({ file: g.file, user: g.user, resource: g.resource, change: 'expiry', status: 'approved', approvals: [], why: 'access expired' }));
}

/** What a `ratify` record lists: each break-glass grant ratified, with who met each role. */
export function grantChangesFromRatification(ratified: readonly { file: string; user: string; resource: string; roles: readonly { role: string; status: string; satisfiedBy?: string }[]; why: string }[]): RecordedGrantChange[] {
  return ratified.map((r) => ({
    file: r.file,
    user: r.user,
    resource: r.resource,
    change: 'ratification',
    status: 'approved',
    approvals: r.roles.filter((x) => x.status === 'satisfied' && x.satisfiedBy !== undefined).map((x) => ({ role: x.role, by: x.satisfiedBy! })),
    why: r.why,
  }));
}

/** One line of JSON: notes hold one record per line, so appending never disturbs earlier records. */
export function serializeDecisionRecord(record: DecisionRecord): string {
  return JSON.stringify(record);
}

function operationOf(outcome: OperationOutcome, recordedAt: string): RecordedOperation {
  const op = outcome.operation;
  const at = outcome.at === undefined ? recordedAt : new Date(outcome.at).toISOString();
  return {
    action: op.action,
    system: op.system,
    principal: op.principal,
    target: op.target,
    resource: op.resource,
    grant: op.grant,
    ...(op.drift === true ? { drift: true } : {}),
    status: outcome.status,
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
    at,
  };
}

function reviewOf(review: Review): RecordedReview {
  return {
    reviewer: review.reviewer,
    state: review.state,
    commitSha: review.commitSha,
    submittedAt: review.submittedAt,
    ...(review.isBot === true ? { isBot: true } : {}),
  };
}

// --- digest -------------------------------------------------------------------------------------

export function digestOf(body: object): string {
  const { digest: _ignored, mac: _mac, ...rest } = body as { digest?: unknown; mac?: unknown };
  return `sha256:${createHash('sha256').update(canonicalJson(rest)).digest('hex')}`;
}

// --- reading ------------------------------------------------------------------------------------

export type RecordProblemRule =
  | 'record/unparseable'
  | 'record/schema'
  | 'record/version'
  | 'record/digest'
  | 'record/wrong-commit'
  | 'record/rewritten'
  | 'record/unauthenticated';

/** A note that cannot be trusted: an auditor's finding, never a crash. */
export interface RecordProblem {
  /** The commit the note is attached to. */
  commit: string;
  rule: RecordProblemRule;
  message: string;
}

export interface NoteReadOptions {
  /** The apply workflow's notes key: with it, a record counts only when its seal checks out. */
  key?: string;
}

export interface ParsedNote {
  records: DecisionRecord[];
  problems: RecordProblem[];
}

/**
 * Reads every record of one note. Records are separated by blank lines (what `git notes append` writes)
 * or by line breaks (what a line-based notes merge leaves); anything that is not a well-formed record
 * with a matching digest (and, given a key, a valid seal) is a problem, and the records that are still count.
 */
export function parseDecisionNote(text: string, commit: string, options: NoteReadOptions = {}): ParsedNote {
  const records: DecisionRecord[] = [];
  const problems: RecordProblem[] = [];
  const seen = new Set<string>();
  for (const chunk of splitNoteRecords(text)) {
    const read = readRecord(chunk, commit);
    const unsealed = 'record' in read && options.key !== undefined ? checkRecordSeal(read.record, commit, options.key) : undefined;
    if (!('record' in read)) problems.push(read.problem);
    else if (unsealed) problems.push(unsealed);
    // A line-wise notes merge can leave the same record twice; it is one record.
    else if (!seen.has(read.record.digest)) {
      seen.add(read.record.digest);
      records.push(read.record);
    }
  }
  return { records, problems };
}

/** The records of a note as text, one entry each (what "the same record" means when comparing versions). */
export function splitNoteRecords(text: string): string[] {
  const chunks: string[] = [];
  for (const paragraph of text.split(/\r?\n\s*\r?\n/)) {
    const trimmed = paragraph.trim();
    if (trimmed === '') continue;
    // One line is one record (what grantops writes); several lines are one JSON document or one record each.
    if (!/[\r\n]/.test(trimmed) || isJson(trimmed)) chunks.push(trimmed);
    else chunks.push(...trimmed.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== ''));
  }
  return chunks;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function readRecord(text: string, commit: string): { record: DecisionRecord } | { problem: RecordProblem } {
  const short = commit.slice(0, 7);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: { commit, rule: 'record/unparseable', message: `the decision note on ${short} holds text that is not JSON (${(error as Error).message}): "${clip(text)}"` } };
  }
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > DECISION_RECORD_VERSION) {
    return { problem: { commit, rule: 'record/version', message: `the decision record on ${short} has version ${version}; this grantops reads version ${DECISION_RECORD_VERSION}: upgrade it to audit this record` } };
  }
  const validate = recordValidator();
  if (!validate(value)) {
    const first = validate.errors?.[0];
    const where = first?.instancePath ? ` at ${first.instancePath}` : '';
    return { problem: { commit, rule: 'record/schema', message: `the decision record on ${short} is not a valid record${where}: ${first?.message ?? 'unknown shape'}` } };
  }
  const record = value as DecisionRecord;
  if (digestOf(record) !== record.digest) {
    return { problem: { commit, rule: 'record/digest', message: `the decision record on ${short} (recorded ${record.recordedAt}) does not match its digest: it was edited after it was written` } };
  }
  if (record.commit !== commit) {
    return { problem: { commit, rule: 'record/wrong-commit', message: `the decision record on ${short} is about commit ${record.commit.slice(0, 7)}: a record copied onto another commit proves nothing` } };
  }
  return { record };
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// --- schema -------------------------------------------------------------------------------------

const sha = { type: 'string', pattern: '^[0-9a-f]{40}([0-9a-f]{24})?$' } as const;
const time = { type: 'string', format: 'date-time' } as const;
const text = { type: 'string', minLength: 1 } as const;

const approvalSchema: JSONSchemaType<RecordedApproval> = {
  type: 'object',
  additionalProperties: false,
  required: ['role', 'by'],
  properties: { role: text, by: text },
};

export const decisionRecordSchema: JSONSchemaType<DecisionRecord> = {
  $id: 'https://grantops.dev/schemas/decision-record.schema.json',
  title: 'A grantops decision record (one line of a note under refs/notes/grantops)',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'version', 'kind', 'commit', 'recordedAt', 'dir', 'rulesSha', 'grants', 'operations', 'digest'],
  properties: {
    format: { type: 'string', const: DECISION_RECORD_FORMAT },
    version: { type: 'integer', const: DECISION_RECORD_VERSION },
    kind: { type: 'string', enum: ['apply', 'expire', 'ratify'] },
    commit: sha,
    recordedAt: time,
    dir: text,
    rulesSha: sha,
    pullRequest: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['number', 'author', 'headSha', 'baseSha', 'reviews'],
      properties: {
        number: { type: 'integer', minimum: 1 },
        url: { type: 'string', nullable: true },
        author: text,
        headSha: sha,
        baseSha: sha,
        mergedBy: { type: 'string', nullable: true },
        reviews: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['reviewer', 'state', 'commitSha', 'submittedAt'],
            properties: {
              reviewer: text,
              state: { type: 'string', enum: ['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING'] },
              commitSha: sha,
              submittedAt: time,
              isBot: { type: 'boolean', nullable: true },
            },
          },
        },
      },
    },
    grants: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['file', 'user', 'resource', 'change', 'status', 'approvals'],
        properties: {
          file: text,
          user: text,
          resource: text,
          change: { type: 'string', enum: ['new', 'renewal', 'extension', 'change', 'give-up', 'unchanged', 'expiry', 'ratification'] },
          status: { type: 'string', enum: ['approved', 'pending', 'invalid'] },
          approvals: { type: 'array', items: approvalSchema },
          why: { type: 'string', nullable: true },
        },
      },
    },
    rulesChange: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['files', 'status', 'approvals'],
      properties: {
        files: { type: 'array', items: text },
        status: { type: 'string', enum: ['satisfied', 'missing'] },
        approvals: { type: 'array', items: approvalSchema },
      },
    },
    operations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['action', 'system', 'principal', 'target', 'resource', 'grant', 'status', 'at'],
        properties: {
          action: text,
          system: text,
          principal: text,
          target: text,
          resource: text,
          // ajv's types cannot express a required nullable property; the schema itself is plain.
          grant: { type: ['string', 'null'] } as never,
          drift: { type: 'boolean', nullable: true },
          status: { type: 'string', enum: ['done', 'failed'] },
          error: { type: 'string', nullable: true },
          at: time,
        },
      },
    },
    digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
    mac: { type: 'string', nullable: true, pattern: '^hmac-sha256:[0-9a-f]{64}$' },
  },
};

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

let compiled: ValidateFunction<DecisionRecord> | undefined;

function recordValidator(): ValidateFunction<DecisionRecord> {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats(ajv);
    compiled = ajv.compile(decisionRecordSchema);
  }
  return compiled;
}
