import type { CommitFact, FileChange, HistoryFacts } from '../../src/core/audit/commit-facts.js';
import { buildAuditReport, listAuditBlobs } from '../../src/core/audit/build-audit-report.js';
import { findRewrittenNotes } from '../../src/core/audit/find-rewritten-notes.js';
import { readGrantVersion } from '../../src/core/audit/grant-version.js';
import { indexAuditFacts } from '../../src/core/audit/index-audit-facts.js';
import type { NoteFacts } from '../../src/core/audit/note-facts.js';
import { readDecisionNotes } from '../../src/core/audit/read-decision-notes.js';
import { readPeopleEmails } from '../../src/core/audit/read-people-emails.js';
import { listRulesToRead, verifyDecisions } from '../../src/core/audit/verify-decisions.js';
import { buildDecisionRecord, serializeDecisionRecord, type DecisionInput } from '../../src/core/decision-record.js';
import { renderAuditCsv } from '../../src/render/audit-csv.js';
import { grantYaml, snapshot } from '../helpers/repo.js';

/* The audit core on small in-memory histories: each case writes the commits it depends on. */

const sha = (n: number) => n.toString(16).padStart(2, '0').repeat(20);
const NOW = new Date('2026-11-13T00:00:00Z');
const GRANT = 'access/grants/dev/logs-read.yaml';
const logs = (over: Record<string, string> = {}) => grantYaml({ user: 'dev', resource: 'logs-read', reason: 'debug', expires: '2026-11-20T00:00:00Z', status: 'active', ...over });

interface Built {
  history: HistoryFacts;
  contents: Map<string, string>;
}

type CommitSpec = Omit<CommitFact, 'author' | 'authoredAt' | 'subject'> & { main?: boolean; by?: string; at: string; subject?: string };

/** A history from commits listed oldest first; `main` marks the first-parent chain. */
function history(commits: CommitSpec[], contents: Record<string, string>): Built {
  const facts: CommitFact[] = commits.map((c) => ({
    sha: c.sha,
    parents: c.parents,
    author: { name: c.by ?? 'dev', email: `${c.by ?? 'dev'}@test.example` },
    authoredAt: c.at,
    committedAt: c.committedAt,
    subject: c.subject ?? 'change',
    changes: c.changes,
  }));
  const chain = commits.filter((c) => c.main).map((c) => ({ sha: c.sha, parents: c.parents })).reverse();
  return { history: { dir: 'access', head: chain[0]?.sha ?? null, commits: facts, chain }, contents: new Map(Object.entries(contents)) };
}

const add = (path: string, after: string): FileChange => ({ path, status: 'A', before: null, after });
const modify = (path: string, before: string, after: string): FileChange => ({ path, status: 'M', before, after });
const NO_NOTES: NoteFacts = { ref: 'refs/notes/grantops', present: true, notes: [], revisions: [] };

function notesOf(...inputs: DecisionInput[]): NoteFacts {
  const byCommit = new Map<string, string[]>();
  for (const input of inputs) byCommit.set(input.commit, [...(byCommit.get(input.commit) ?? []), serializeDecisionRecord(buildDecisionRecord(input))]);
  return { ...NO_NOTES, notes: [...byCommit].map(([commit, lines]) => ({ commit, text: lines.join('\n\n') })) };
}

function rulesSnapshotFiles(): Record<string, string> {
  return Object.fromEntries(snapshot().files.map((f) => [`blob:${f.path}`, String(f.content)]));
}

/** Root (rules) -> pull request #1 adding dev's low-sensitivity grant (needs nobody) -> merge. */
function onePullRequest(over: { headInRecord?: string; ruleChangeOnMain?: boolean } = {}) {
  const root = { sha: sha(1), parents: [], committedAt: '2026-11-01T00:00:00.000Z', at: '2026-11-01T00:00:00.000Z', main: true, changes: snapshot().files.map((f) => add(f.path, `blob:${f.path}`)) };
  const request = { sha: sha(2), parents: [sha(1)], committedAt: '2026-11-02T00:00:00.000Z', at: '2026-11-02T00:00:00.000Z', changes: [add(GRANT, 'blob:g1')] };
  const merge = { sha: sha(3), parents: [sha(1), sha(2)], committedAt: '2026-11-02T12:00:00.000Z', at: '2026-11-02T12:00:00.000Z', main: true, by: 'mgr', subject: 'Merge pull request #1 from o/b', changes: [add(GRANT, 'blob:g1')] };
  const commits: CommitSpec[] = [root, request, merge];
  if (over.ruleChangeOnMain) {
    commits.push({ sha: sha(4), parents: [sha(3)], committedAt: '2026-11-03T00:00:00.000Z', at: '2026-11-03T00:00:00.000Z', main: true, by: 'owner', subject: 'add myself', changes: [modify('access/people.yaml', 'blob:access/people.yaml', 'blob:people2')] });
  }
  const built = history(commits, { ...rulesSnapshotFiles(), 'blob:g1': logs(), 'blob:people2': snapshot().files.find((f) => f.path === 'access/people.yaml')!.content + '- { login: new, name: New }\n' });
  const record: DecisionInput = {
    kind: 'apply',
    commit: sha(3),
    recordedAt: new Date('2026-11-02T12:01:00Z'),
    dir: 'access',
    rulesSha: sha(1),
    pullRequest: { number: 1, author: 'dev', headSha: over.headInRecord ?? sha(2), baseSha: sha(1), reviews: [] },
    grants: [{ file: GRANT, user: 'dev', resource: 'logs-read', change: 'new', status: 'approved', approvals: [] }],
    operations: [],
  };
  return { ...built, record };
}

function verify(built: Built, notes: NoteFacts) {
  const index = indexAuditFacts(built.history, readDecisionNotes(notes));
  const rules = new Map(listRulesToRead(index).map((s) => [s, snapshot()]));
  return verifyDecisions({ index, contents: built.contents, rules });
}

describe('audit core', () => {
  it('passes a merge whose record the rules of its base still support', () => {
    const built = onePullRequest();
    expect(verify(built, notesOf(built.record))).toEqual([]);
  });

  it('flags a merge of another head than the one approved', () => {
    const built = onePullRequest({ headInRecord: sha(99) });
    const findings = verify(built, notesOf(built.record));
    expect(findings).toEqual([expect.objectContaining({ rule: 'verify/not-approved', commit: sha(3), files: [GRANT] })]);
    expect(findings[0]!.message).toContain(`brought head ${sha(2).slice(0, 7)}, but the approvals were given on ${sha(99).slice(0, 7)}`);
  });

  it('flags a rules change pushed without a decision, but not the first commit that set the rules up', () => {
    const built = onePullRequest({ ruleChangeOnMain: true });
    const notes = notesOf(built.record);
    expect(verify(built, notes)).toEqual([expect.objectContaining({ rule: 'verify/no-record', commit: sha(4), files: ['access/people.yaml'] })]);
    const report = buildAuditReport({ index: indexAuditFacts(built.history, readDecisionNotes(notes)), contents: built.contents, people: new Map(), now: NOW });
    expect(report.summary.unrecordedChanges).toEqual([expect.objectContaining({ commit: sha(4), file: 'access/people.yaml', via: 'direct-push', record: 'missing' })]);
  });

  it('exempts the commit that created the access directory, also when the repository is older, and nothing in a shallow clone', () => {
    // A repository that existed before grantops: its first commit has no access/ at all.
    const built = onePullRequest({ ruleChangeOnMain: true });
    const older = { sha: sha(9), parents: [], committedAt: '2026-10-01T00:00:00.000Z', authoredAt: '2026-10-01T00:00:00.000Z', author: { name: 'dev', email: 'dev@test.example' }, subject: 'README', changes: [add('README.md', 'blob:readme')] };
    const rootCommit = built.history.commits.find((c) => c.sha === sha(1))!;
    rootCommit.parents = [sha(9)];
    const chain = built.history.chain.map((link) => (link.sha === sha(1) ? { ...link, parents: [sha(9)] } : link));
    const later: Built = { ...built, history: { ...built.history, commits: [older, ...built.history.commits], chain: [...chain, { sha: sha(9), parents: [] }] } };
    expect(verify(later, notesOf(built.record))).toEqual([expect.objectContaining({ rule: 'verify/no-record', commit: sha(4), files: ['access/people.yaml'] })]);

    // Seen through a shallow clone that starts at the rules commit, nothing can show it was the first.
    const shallow: Built = { ...later, history: { ...later.history, shallow: { boundary: [sha(9)] } } as HistoryFacts };
    const findings = verify(shallow, notesOf(built.record)).map((f) => f.commit);
    expect(findings).toContain(sha(1));
  });

  it('credits each pull request with its own branch commits, also when a branch merged main in between', () => {
    // main: root -> merge A (#1) -> merge B (#2); B's branch started before A and merged main (with A) into itself.
    const other = 'access/grants/dev2/logs-read.yaml';
    const built = history(
      [
        { sha: sha(1), parents: [], committedAt: '2026-11-01T00:00:00.000Z', at: '2026-11-01T00:00:00.000Z', main: true, changes: [] },
        { sha: sha(2), parents: [sha(1)], committedAt: '2026-11-02T00:00:00.000Z', at: '2026-11-02T00:00:00.000Z', by: 'dev', changes: [add(GRANT, 'g')] },
        { sha: sha(4), parents: [sha(1)], committedAt: '2026-11-02T01:00:00.000Z', at: '2026-11-02T01:00:00.000Z', by: 'dev2', changes: [add(other, 'h')] },
        { sha: sha(3), parents: [sha(1), sha(2)], committedAt: '2026-11-03T00:00:00.000Z', at: '2026-11-03T00:00:00.000Z', main: true, subject: 'Merge pull request #1 from o/a', changes: [add(GRANT, 'g')] },
        { sha: sha(5), parents: [sha(4), sha(3)], committedAt: '2026-11-04T00:00:00.000Z', at: '2026-11-04T00:00:00.000Z', by: 'dev2', subject: "Merge branch 'main' into b", changes: [add(GRANT, 'g')] },
        { sha: sha(6), parents: [sha(3), sha(5)], committedAt: '2026-11-05T00:00:00.000Z', at: '2026-11-05T00:00:00.000Z', main: true, subject: 'Merge pull request #2 from o/b', changes: [add(other, 'h')] },
      ],
      { g: logs(), h: logs({ user: 'dev2' }) },
    );
    const report = buildAuditReport({ index: indexAuditFacts(built.history, readDecisionNotes(NO_NOTES)), contents: built.contents, people: new Map(), now: NOW });
    const requested = (file: string) => report.grants.find((g) => g.file === file)!.events.filter((e) => e.type === 'requested').map((e) => [e.commit, e.pr, e.by]);
    expect(requested(GRANT)).toEqual([[sha(2), 1, 'dev <dev@test.example>']]);
    expect(requested(other)).toEqual([[sha(4), 2, 'dev2 <dev2@test.example>']]);
  });

  it('lists only the blobs the default branch held', () => {
    const built = onePullRequest();
    const index = indexAuditFacts(built.history, readDecisionNotes(NO_NOTES));
    expect(listAuditBlobs(index)).toContain('blob:g1');
    expect(listAuditBlobs(index)).toHaveLength(snapshot().files.length + 1);
  });

  it('treats a note whose history lost a record as rewritten, and a removed note too', () => {
    const a = '{"a":1}';
    const b = '{"b":2}';
    expect(findRewrittenNotes([{ notesCommit: sha(7), committedAt: 't', commit: sha(3), before: a, after: `${a}\n\n${b}` }])).toEqual([]);
    expect(findRewrittenNotes([{ notesCommit: sha(7), committedAt: 't', commit: sha(3), before: `${a}\n\n${b}`, after: `${b}\n${a}` }])).toEqual([]);
    expect(findRewrittenNotes([{ notesCommit: sha(7), committedAt: 't', commit: sha(3), before: a, after: b }])).toEqual([expect.objectContaining({ rule: 'record/rewritten', commit: sha(3) })]);
    expect(findRewrittenNotes([{ notesCommit: sha(7), committedAt: 't', commit: sha(3), before: a, after: null }])[0]!.message).toMatch(/removed/);
  });

  // The direct reading of plain files must agree with the YAML parser on every input, or step aside.
  it.each([
    ['plain', logs()],
    ['comment line and CRLF', '# asked in OPS-1\r\n' + logs().replace(/\n/g, '\r\n')],
    ['quoted value', logs({ reason: '"debug: the thing"' })],
    ['number-like reason', logs({ reason: '123' })],
    ['trailing comment', logs({ reason: 'debug # why' })],
    ['flow map', '{ user: dev, resource: logs-read, status: active }\n'],
    ['colon inside', logs({ reason: 'see: OPS-1' })],
  ])('reads a grant version the same with or without the YAML parser: %s', (_name, text) => {
    const direct = readGrantVersion('access/grants/dev/logs-read.yaml', text);
    const viaYaml = readGrantVersion('access/grants/dev/logs-read.yaml', `%YAML 1.2\n---\n${text}`);
    expect(direct).toEqual(viaYaml);
  });

  it('reads people emails directly from flow maps and through the loader otherwise, alike', () => {
    const flow = '# team\n- { login: a, name: A, email: a@x.example, aws: { user: a } }\n- { login: b, name: B, email: A@x.example, roles: [x, y] }\n- { login: c, name: C, email: c@x.example }\n- { login: c, name: C2, email: c2@x.example }\n';
    const block = '- login: a\n  name: A\n  email: a@x.example\n- login: b\n  name: B\n  email: A@x.example\n- login: c\n  name: C\n  email: c@x.example\n- login: c\n  name: C2\n  email: c2@x.example\n';
    const expected = new Map<string, string | null>([['a@x.example', null], ['c@x.example', 'c']]);
    expect(readPeopleEmails('access/people.yaml', flow)).toEqual(expected);
    expect(readPeopleEmails('access/people.yaml', block)).toEqual(expected);
  });

  it('writes CSV a spreadsheet cannot run as a formula', () => {
    const csv = renderAuditCsv({
      dir: 'access',
      generatedAt: NOW.toISOString(),
      coverage: { head: null, commits: 0 },
      grants: [{ file: GRANT, user: 'dev', resource: 'logs-read', current: null, provisioned: false, events: [{ type: 'pushed', at: '2026-11-01T00:00:00.000Z', by: '=HYPERLINK("x")', details: 'a, "b"' }] }],
      summary: { activeGrants: [], unrecordedChanges: [], provisionedAfterExpiry: [], recordProblems: [] },
    });
    expect(csv.split('\n')[1]).toBe(`2026-11-01T00:00:00.000Z,dev,logs-read,${GRANT},pushed,"'=HYPERLINK(""x"")",,,,,,,,,"a, ""b"""`);
  });
});
