import type { AuditReport } from '../core/audit/audit-report.js';
import { buildAuditReport, listAuditBlobs } from '../core/audit/build-audit-report.js';
import { filterAuditReport, type AuditFilter } from '../core/audit/filter-audit-report.js';
import { indexAuditFacts } from '../core/audit/index-audit-facts.js';
import { readDecisionNotes } from '../core/audit/read-decision-notes.js';
import { listRulesToRead, verifyDecisions } from '../core/audit/verify-decisions.js';
import { classifyPath, isRulesFile } from '../core/parse-access-repo.js';
import { readPeopleEmails } from '../core/audit/read-people-emails.js';
import type { RepoSnapshot } from '../core/repo-file.js';
import type { AuditHistory, DecisionNotes, GitRefReader } from '../ports.js';

export interface AuditPorts {
  history: AuditHistory;
  notes: DecisionNotes;
  /** Reads the rule files at a recorded rules commit, for `verify`. */
  refs: Pick<GitRefReader, 'readTree'>;
}

export interface AuditRequest {
  /** The access directory, repository-relative. */
  dir: string;
  now: Date;
  /** Judge every recorded decision again with the rules of its time. */
  verify: boolean;
  filter: AuditFilter;
  /** The apply workflow's notes key: records without its seal are reported and not trusted. */
  notesKey?: string;
}

/**
 * `grantops audit`: reads the access directory's history and the decision notes (a constant number of git
 * processes, plus one tree per rules change with `verify`), then builds the report in the pure core.
 */
export async function auditRepository(ports: AuditPorts, request: AuditRequest): Promise<AuditReport> {
  const { dir } = request;
  const head = await ports.history.readHead();
  // git walks the history while this process reads the notes and people.yaml.
  const history = ports.history.readHistory(dir, head);
  const peopleId = head === null ? undefined : `${head}:${dir}/people.yaml`;
  const [noteFacts, peopleBlob] = await Promise.all([ports.notes.readNotes(), peopleId ? ports.history.readBlobs([peopleId]) : Promise.resolve(new Map<string, Uint8Array | null>())]);
  const notes = readDecisionNotes(noteFacts, request.notesKey === undefined ? {} : { key: request.notesKey });
  const peopleContent = peopleId ? peopleBlob.get(peopleId) : undefined;
  const people = readPeopleEmails(`${dir}/people.yaml`, peopleContent);
  const index = indexAuditFacts(await history, notes);
  const contents = await ports.history.readBlobs(listAuditBlobs(index));

  const report = buildAuditReport({ index, contents, people, now: request.now });
  if (request.verify) {
    const rules = new Map<string, RepoSnapshot | null>();
    for (const sha of listRulesToRead(index)) rules.set(sha, await readRules(ports.refs, sha, dir));
    const { since, until, user, resource } = request.filter;
    const files = user === undefined && resource === undefined ? undefined : (path: string) => {
      const layout = classifyPath(dir, path);
      return layout.kind === 'grant' && (user === undefined || layout.login.toLowerCase() === user.toLowerCase()) && (resource === undefined || layout.resource === resource);
    };
    report.findings = verifyDecisions({ index, contents, rules, now: request.now, scope: { ...(since && { since }), ...(until && { until }), ...(files && { files }) } });
  }
  return filterAuditReport(report, request.filter);
}

async function readRules(refs: AuditPorts['refs'], sha: string, dir: string): Promise<RepoSnapshot | null> {
  try {
    return await refs.readTree(sha, dir, { include: (p) => isRulesFile(dir, p) });
  } catch {
    // Not in this clone (shallow, or a commit that was never pushed): verify says so.
    return null;
  }
}
