import { buildDecisionRecord, serializeDecisionRecord } from '../../../src/core/decision-record.js';
import { sealRecord } from '../../../src/core/note-authentication.js';
import type { AccessFileHistory, BranchSnapshot, FileVersion } from '../../../src/core/provenance/branch-snapshot.js';
import { evaluateBranchProvenance, type RejectionReason } from '../../../src/core/provenance/evaluate-branch-provenance.js';
import type { CheckRunOrigin, CommitOrigin, PullRequestOrigin } from '../../../src/core/provenance/push-snapshot.js';

const GRANT = 'access/grants/kramer/prod-data-read.yaml';
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const HEAD = 'e'.repeat(40);
const ROOT = 'f'.repeat(40);

const APP_ID = 4242;
const KEY = 'k'.repeat(40);
const passed: CheckRunOrigin = { name: 'grantops', status: 'completed', conclusion: 'success', app: 'grantops', appId: APP_ID };

function pr(fields: Partial<PullRequestOrigin> = {}): PullRequestOrigin {
  return { number: 7, mergedAt: '2026-11-20T10:00:00Z', baseRef: 'main', headSha: HEAD, checkRuns: [passed], ...fields };
}

const v = (commit: string, blob: string | null = `blob-${commit.slice(0, 1)}`, parents: string[] = [ROOT]): FileVersion => ({ commit, parents, blob });

/** A branch whose one grant was last changed by `A`; `origins` are GitHub's answers, `notes` the notes read. */
function branch(origins: Record<string, PullRequestOrigin[]>, files: AccessFileHistory[] = [{ path: GRANT, versions: [v(A)] }], notes: Record<string, string | null> = {}): BranchSnapshot {
  const answers: Record<string, CommitOrigin> = {};
  for (const [sha, pullRequests] of Object.entries(origins)) answers[sha] = { sha, pullRequests };
  const read = Object.fromEntries(files.flatMap((f) => f.versions.map((x) => [x.commit, null] as const)));
  return { repository: 'vandelay/access', branch: 'main', head: A, bootstrap: ROOT, files, notes: { ...read, ...notes }, origins: answers };
}

const evaluate = (snapshot: BranchSnapshot) => evaluateBranchProvenance(snapshot, { dir: 'access', appId: APP_ID, noteKey: KEY });

function note(commit: string, file: string, fields: { headSha?: string; kind?: 'apply' | 'expire'; pr?: boolean; key?: string | null } = {}): string {
  const record = buildDecisionRecord({
    kind: fields.kind ?? 'apply',
    commit,
    recordedAt: new Date('2026-11-20T10:00:00Z'),
    dir: 'access',
    rulesSha: ROOT,
    ...(fields.pr === false ? {} : { pullRequest: { number: 7, author: 'kramer', headSha: fields.headSha ?? HEAD, baseSha: ROOT, reviews: [] } }),
    grants: [{ file, user: 'kramer', resource: 'prod-data-read', change: 'new', status: 'approved', approvals: [] }],
    operations: [],
  });
  return serializeDecisionRecord(fields.key === null ? record : sealRecord(record, fields.key ?? KEY));
}

describe('evaluateBranchProvenance', () => {
  it('confirms a grant whose last change came from a merged pull request with a passing grantops check', () => {
    const report = evaluate(branch({ [A]: [pr()] }));
    expect(report.withheld).toEqual([]);
    expect(report.needed).toEqual({ notes: [], origins: [] });
    expect(report.files).toEqual([
      expect.objectContaining({ path: GRANT, subject: 'grant kramer/prod-data-read', commit: A, confirmed: true, confirmedBy: { commit: A, by: 'pull-request', pullRequest: 7 }, vouchers: [{ commit: A, pullRequest: 7 }] }),
    ]);
  });

  const cases: { name: string; prs: PullRequestOrigin[]; reason: RejectionReason; says: RegExp }[] = [
    { name: 'a direct push (no pull request)', prs: [], reason: 'direct-push', says: /commit aaaaaaa did not come from a pull request \(pushed directly to main\)/ },
    { name: 'a pull request never merged', prs: [pr({ mergedAt: null })], reason: 'not-merged', says: /pull request #7, which was never merged/ },
    { name: 'a pull request merged into another branch', prs: [pr({ baseRef: 'develop' })], reason: 'other-branch', says: /merged into "develop" rather than "main"/ },
    { name: 'a merge with no grantops check on the head', prs: [pr({ checkRuns: [] })], reason: 'check-missing', says: /no "grantops" check of the grantops app on its final head eeeeeee/ },
    {
      name: 'a merge whose only passing "grantops" check came from another app',
      prs: [pr({ checkRuns: [{ ...passed, app: 'impostor', appId: 666 }] })],
      reason: 'check-missing',
      says: /the "grantops" check there was reported by app 666 \(impostor\), not the grantops app \(app 4242\), and does not count/,
    },
    {
      name: 'a merge whose only passing "grantops" check names no app',
      prs: [pr({ checkRuns: [{ name: 'grantops', status: 'completed', conclusion: 'success' }] })],
      reason: 'check-missing',
      says: /reported by an unknown app/,
    },
    { name: 'a merge while the check was running', prs: [pr({ checkRuns: [{ name: 'grantops', status: 'in_progress', conclusion: null, appId: APP_ID }] })], reason: 'check-pending', says: /was in progress/ },
    { name: 'an admin merging past a failed check', prs: [pr({ checkRuns: [{ ...passed, conclusion: 'failure' }] })], reason: 'check-failed', says: /concluded failure \(merged past the check\)/ },
    { name: 'a neutral check', prs: [pr({ checkRuns: [{ ...passed, conclusion: 'neutral' }] })], reason: 'check-failed', says: /concluded neutral/ },
  ];
  it.each(cases)('withholds $name', ({ prs, reason, says }) => {
    const report = evaluate(branch({ [A]: prs }));
    expect(report.withheld).toEqual([GRANT]);
    expect(report.rejections).toHaveLength(1);
    expect(report.rejections[0]).toMatchObject({ path: GRANT, commit: A, reason });
    expect(report.rejections[0]!.message).toMatch(/^grant kramer\/prod-data-read \(access\/grants\/kramer\/prod-data-read\.yaml\) is not applied: /);
    expect(report.rejections[0]!.message).toMatch(says);
    expect(report.files[0]!.restoreFrom).toBeNull();
  });

  it('does not let a second passing run of the same name outvote a failing grantops check', () => {
    const spoof: CheckRunOrigin = { name: 'grantops', status: 'completed', conclusion: 'success', app: 'github-actions', appId: 15368 };
    const report = evaluate(branch({ [A]: [pr({ checkRuns: [spoof, { ...passed, conclusion: 'failure' }] })] }));
    expect(report.rejections.map((r) => r.reason)).toEqual(['check-failed']);
  });

  it('ignores check runs of other names, and uses the configured check name', () => {
    const lint = branch({ [A]: [pr({ checkRuns: [{ name: 'lint', status: 'completed', conclusion: 'success' }] })] });
    expect(evaluate(lint).rejections.map((r) => r.reason)).toEqual(['check-missing']);
    const renamed = branch({ [A]: [pr({ checkRuns: [{ ...passed, name: 'access-review' }] })] });
    expect(evaluateBranchProvenance(renamed, { dir: 'access', checkName: 'access-review', appId: APP_ID }).withheld).toEqual([]);
  });

  it('accepts a commit when any of its pull requests vouches for it, and names the closest miss otherwise', () => {
    expect(evaluate(branch({ [A]: [pr({ number: 3, mergedAt: null }), pr({ number: 9 })] })).files[0]!.vouchers).toEqual([{ commit: A, pullRequest: 9 }]);
    const report = evaluate(branch({ [A]: [pr({ number: 3, mergedAt: null }), pr({ number: 4, checkRuns: [{ ...passed, conclusion: 'failure' }] })] }));
    expect(report.rejections[0]).toMatchObject({ reason: 'check-failed', pullRequest: 4 });
  });

  it('puts a withheld file back to its last confirmed version, asking about older commits only then', () => {
    const files = [{ path: GRANT, versions: [v(A), v(B), v(C)] }];
    const first = evaluate(branch({ [A]: [] }, files));
    // B's note was read (none); GitHub has not been asked about it yet: the rule says so.
    expect(first.needed).toEqual({ notes: [], origins: [B] });
    expect(first.withheld).toEqual([GRANT]);
    const settled = evaluate(branch({ [A]: [], [B]: [pr({ number: 5 })] }, files));
    expect(settled.needed).toEqual({ notes: [], origins: [] });
    expect(settled.files[0]).toMatchObject({ confirmed: false, restoreFrom: B, confirmedBy: { commit: B, by: 'pull-request' }, vouchers: [{ commit: B, pullRequest: 5 }] });
    expect(settled.rejections).toEqual([expect.objectContaining({ commit: A, reason: 'direct-push' })]);
  });

  it('leaves a withheld file out when it never had a confirmed version, or was deleted before it came back', () => {
    expect(evaluate(branch({ [A]: [], [B]: [] }, [{ path: GRANT, versions: [v(A), v(B)] }])).files[0]!.restoreFrom).toBeNull();
    // The deletion gave the access up; the version before it (confirmed or not) does not come back.
    const report = evaluate(branch({ [A]: [] }, [{ path: GRANT, versions: [v(A), v(B, null), v(C)] }]));
    expect(report.needed).toEqual({ notes: [], origins: [] });
    expect(report.files[0]).toMatchObject({ confirmed: false, restoreFrom: null });
  });

  it('applies a file whose unconfirmed changes were undone: its content is that of its last confirmed version', () => {
    const files = [{ path: GRANT, versions: [v(A, 'same'), v(B, 'other'), v(C, 'same')] }];
    const report = evaluate(branch({ [A]: [], [B]: [], [C]: [pr()] }, files));
    expect(report.withheld).toEqual([]);
    expect(report.rejections).toEqual([]);
    expect(report.files[0]).toMatchObject({ confirmed: true, commit: A, confirmedBy: { commit: C, by: 'pull-request' } });
    // Content equal to an older confirmed version does not count when a newer confirmed version differs.
    const revoked = evaluate(branch({ [A]: [], [B]: [pr()] }, files));
    expect(revoked.files[0]).toMatchObject({ confirmed: false, restoreFrom: B });
  });

  it('confirms from a valid decision note without asking GitHub; asks for the note first', () => {
    const unread = { ...branch({}), notes: {} };
    expect(evaluate(unread).needed).toEqual({ notes: [A], origins: [] });
    const report = evaluate(branch({}, undefined, { [A]: note(A, GRANT) }));
    expect(report.needed).toEqual({ notes: [], origins: [] });
    expect(report.files[0]).toMatchObject({ confirmed: true, confirmedBy: { commit: A, by: 'note', pullRequest: 7 }, vouchers: [] });
  });

  it.each([
    ['edited by hand (digest mismatch)', note(A, GRANT).replace('"kramer"', '"newman"'), [ROOT]],
    ['about another file', note(A, 'access/grants/newman/prod-data-read.yaml'), [ROOT]],
    ['copied from another commit', note(B, GRANT), [ROOT]],
    ['of an expire run', note(A, GRANT, { kind: 'expire' }), [ROOT]],
    ['naming no pull request', note(A, GRANT, { pr: false }), [ROOT]],
    ['naming a head the merge did not bring', note(A, GRANT, { headSha: C }), [ROOT, HEAD]],
    ['that is not JSON', 'approved, trust me', [ROOT]],
  ] as const)('does not confirm from a note %s: GitHub is asked', (_name, text, parents) => {
    const files = [{ path: GRANT, versions: [v(A, 'blob-a', [...parents])] }];
    expect(evaluate(branch({}, files, { [A]: text })).needed).toEqual({ notes: [], origins: [A] });
    expect(evaluate(branch({ [A]: [] }, files, { [A]: text })).withheld).toEqual([GRANT]);
  });

  it.each([
    ['carries no seal', note(A, GRANT, { key: null }), /carries no seal: anybody who can push refs\/notes\/grantops could have written it/],
    ['was sealed with another key', note(A, GRANT, { key: 'x'.repeat(40) }), /has a seal the notes key did not make/],
    ['had its seal copied from another record', note(A, GRANT, { key: null }).replace(/"digest"/, `"mac":"${JSON.parse(note(B, GRANT)).mac}","digest"`), /has a seal the notes key did not make/],
  ])('reports a note that %s and asks GitHub about its commit', (_name, text, says) => {
    const report = evaluate(branch({}, undefined, { [A]: text }));
    expect(report.needed).toEqual({ notes: [], origins: [A] });
    expect(report.untrustedNotes).toEqual([expect.objectContaining({ commit: A, rule: 'record/unauthenticated', message: expect.stringMatching(says) })]);
    const settled = evaluate(branch({ [A]: [pr()] }, undefined, { [A]: text }));
    expect(settled.files[0]).toMatchObject({ confirmed: true, confirmedBy: { by: 'pull-request' } });
  });

  it('reads no note at all without the notes key: every commit is confirmed with GitHub', () => {
    const keyless = (snapshot: BranchSnapshot) => evaluateBranchProvenance(snapshot, { dir: 'access', appId: APP_ID });
    expect(keyless({ ...branch({}), notes: {} }).needed).toEqual({ notes: [], origins: [A] });
    const report = keyless(branch({}, undefined, { [A]: note(A, GRANT) }));
    expect(report.needed).toEqual({ notes: [], origins: [A] });
    expect(report.untrustedNotes).toEqual([]);
  });

  it('reports nothing about a note whose other, sealed record confirms the file', () => {
    const text = `${note(A, GRANT, { key: null })}\n\n${note(A, GRANT)}`;
    const report = evaluate(branch({}, undefined, { [A]: text }));
    expect(report.files[0]).toMatchObject({ confirmed: true, confirmedBy: { by: 'note' } });
    expect(report.untrustedNotes).toEqual([]);
  });

  it('accepts a merge commit\'s note when the merge brought the recorded head', () => {
    const files = [{ path: GRANT, versions: [v(A, 'blob-a', [ROOT, HEAD])] }];
    expect(evaluate(branch({}, files, { [A]: note(A, GRANT) })).withheld).toEqual([]);
  });

  it('takes the rule files of the access directory\'s first commit as the start, but not its grants', () => {
    const files = [
      { path: 'access/grantops.yaml', versions: [v(ROOT)] },
      { path: 'access/resources/aws-prod/admin.yaml', versions: [v(ROOT)] },
      { path: GRANT, versions: [v(ROOT)] },
    ];
    const snapshot = { ...branch({}, files), notes: {} };
    expect(evaluate(snapshot).needed).toEqual({ notes: [ROOT], origins: [] });
    const report = evaluate(branch({ [ROOT]: [] }, files));
    expect(report.files.map((f) => [f.path, f.confirmed, f.confirmedBy?.by])).toEqual([
      ['access/grantops.yaml', true, 'bootstrap'],
      ['access/resources/aws-prod/admin.yaml', true, 'bootstrap'],
      [GRANT, false, undefined],
    ]);
  });

  it('judges resources and the rules files too, and ignores files outside the access layout', () => {
    const files = ['access/resources/aws-prod/admin.yaml', 'access/people.yaml', 'access/grantops.yaml', 'access/README.md', 'access/grants/kramer/notes.txt'].map((path) => ({ path, versions: [v(B)] }));
    const report = evaluate(branch({ [B]: [] }, files));
    expect(report.files.map((f) => f.subject)).toEqual(['resource admin (system aws-prod)', 'the people list', 'the organisation settings']);
    expect(report.withheld).toEqual(['access/resources/aws-prod/admin.yaml', 'access/people.yaml', 'access/grantops.yaml']);
  });

  it('fails closed on a file at the head that no first-parent commit explains', () => {
    const report = evaluate(branch({}, [{ path: GRANT, versions: [] }]));
    expect(report.withheld).toEqual([GRANT]);
    expect(report.rejections).toEqual([expect.objectContaining({ reason: 'unknown-commit', commit: A })]);
  });
});
