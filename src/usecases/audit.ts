import type { AuditReport } from '../core/audit/audit-report.js';
import { buildAuditReport, listAuditBlobs } from '../core/audit/build-audit-report.js';
import { filterAuditReport, type AuditFilter } from '../core/audit/filter-audit-report.js';
import { indexAuditFacts } from '../core/audit/index-audit-facts.js';
import { listRulesToRead, verifyDecisions } from '../core/audit/verify-decisions.js';
import { isRulesFile, parseAccessRepo } from '../core/parse-access-repo.js';
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
}

/**
 * `grantops audit`: reads the access directory's history and the decision notes (a constant number of git
 * processes, plus one tree per rules change with `verify`), then builds the report in the pure core.
 */
export async function auditRepository(ports: AuditPorts, request: AuditRequest): Promise<AuditReport> {
  const { dir } = request;
  const [history, notes] = await Promise.all([ports.history.readHistory(dir), ports.notes.readNotes()]);
  const index = indexAuditFacts(history, notes);
  const peopleId = history.head === null ? undefined : `${history.head}:${dir}/people.yaml`;
  const contents = await ports.history.readBlobs([...listAuditBlobs(index), ...(peopleId ? [peopleId] : [])]);
  const peopleContent = peopleId ? contents.get(peopleId) : undefined;
  const people = parseAccessRepo({ dir, files: peopleContent ? [{ path: `${dir}/people.yaml`, content: peopleContent }] : [] }).repo;

  const report = buildAuditReport({ index, contents, people, now: request.now });
  if (request.verify) {
    const rules = new Map<string, RepoSnapshot | null>();
    for (const sha of listRulesToRead(index)) rules.set(sha, await readRules(ports.refs, sha, dir));
    report.findings = verifyDecisions({ index, contents, rules });
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
