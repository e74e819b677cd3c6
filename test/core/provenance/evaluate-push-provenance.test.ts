import { evaluatePushProvenance, type RejectionReason } from '../../../src/core/provenance/evaluate-push-provenance.js';
import type { CheckRunOrigin, CommitOrigin, PullRequestOrigin, PushSnapshot } from '../../../src/core/provenance/push-snapshot.js';

const GRANT = 'access/grants/kramer/prod-data-read.yaml';
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const HEAD = 'c'.repeat(40);

const passed: CheckRunOrigin = { name: 'grantops', status: 'completed', conclusion: 'success', app: 'grantops' };

function pr(fields: Partial<PullRequestOrigin> = {}): PullRequestOrigin {
  return { number: 7, mergedAt: '2026-11-20T10:00:00Z', baseRef: 'main', headSha: HEAD, checkRuns: [passed], ...fields };
}

function push(commits: Record<string, PullRequestOrigin[]>, files: { path: string; commits: string[] }[] = [{ path: GRANT, commits: Object.keys(commits) }]): PushSnapshot {
  const origins: Record<string, CommitOrigin> = {};
  for (const [sha, pullRequests] of Object.entries(commits)) origins[sha] = { sha, pullRequests };
  return {
    repository: 'vandelay/access',
    branch: 'main',
    before: '0'.repeat(39) + '1',
    after: A,
    changedFiles: files.map((f) => ({ ...f, status: 'modified' as const })),
    commits: origins,
  };
}

const evaluate = (snapshot: PushSnapshot) => evaluatePushProvenance(snapshot, { dir: 'access' });

describe('evaluatePushProvenance', () => {
  it('confirms a grant whose commit came from a merged pull request with a passing grantops check', () => {
    const report = evaluate(push({ [A]: [pr()] }));
    expect(report.withheld).toEqual([]);
    expect(report.files).toEqual([
      expect.objectContaining({ path: GRANT, subject: 'grant kramer/prod-data-read', confirmed: true, vouchers: [{ commit: A, pullRequest: 7 }] }),
    ]);
  });

  const cases: { name: string; prs: PullRequestOrigin[]; reason: RejectionReason; says: RegExp }[] = [
    { name: 'a direct push (no pull request)', prs: [], reason: 'direct-push', says: /commit aaaaaaa did not come from a pull request \(pushed directly to main\)/ },
    { name: 'a pull request never merged', prs: [pr({ mergedAt: null })], reason: 'not-merged', says: /pull request #7, which was never merged/ },
    { name: 'a pull request merged into another branch', prs: [pr({ baseRef: 'develop' })], reason: 'other-branch', says: /merged into "develop" rather than "main"/ },
    { name: 'a merge with no grantops check on the head', prs: [pr({ checkRuns: [] })], reason: 'check-missing', says: /no "grantops" check on its final head ccccccc/ },
    { name: 'a merge while the check was running', prs: [pr({ checkRuns: [{ name: 'grantops', status: 'in_progress', conclusion: null }] })], reason: 'check-pending', says: /was in progress/ },
    { name: 'an admin merging past a failed check', prs: [pr({ checkRuns: [{ ...passed, conclusion: 'failure' }] })], reason: 'check-failed', says: /concluded failure \(merged past the check\)/ },
    { name: 'a neutral check', prs: [pr({ checkRuns: [{ ...passed, conclusion: 'neutral' }] })], reason: 'check-failed', says: /concluded neutral/ },
  ];
  it.each(cases)('withholds $name', ({ prs, reason, says }) => {
    const report = evaluate(push({ [A]: prs }));
    expect(report.withheld).toEqual([GRANT]);
    expect(report.rejections).toHaveLength(1);
    expect(report.rejections[0]).toMatchObject({ path: GRANT, commit: A, reason });
    expect(report.rejections[0]!.message).toMatch(/^grant kramer\/prod-data-read \(access\/grants\/kramer\/prod-data-read\.yaml\) is not applied: /);
    expect(report.rejections[0]!.message).toMatch(says);
  });

  it('does not let a second passing run of the same name outvote a failing grantops check', () => {
    const spoof: CheckRunOrigin = { name: 'grantops', status: 'completed', conclusion: 'success', app: 'github-actions' };
    const report = evaluate(push({ [A]: [pr({ checkRuns: [spoof, { ...passed, conclusion: 'failure' }] })] }));
    expect(report.rejections.map((r) => r.reason)).toEqual(['check-failed']);
  });

  it('ignores check runs of other names', () => {
    const report = evaluate(push({ [A]: [pr({ checkRuns: [{ name: 'lint', status: 'completed', conclusion: 'success' }] })] }));
    expect(report.rejections.map((r) => r.reason)).toEqual(['check-missing']);
  });

  it('accepts a commit when any of its pull requests vouches for it, and names the closest miss otherwise', () => {
    expect(evaluate(push({ [A]: [pr({ number: 3, mergedAt: null }), pr({ number: 9 })] })).files[0]!.vouchers).toEqual([{ commit: A, pullRequest: 9 }]);
    const report = evaluate(push({ [A]: [pr({ number: 3, mergedAt: null }), pr({ number: 4, checkRuns: [{ ...passed, conclusion: 'failure' }] })] }));
    expect(report.rejections[0]).toMatchObject({ reason: 'check-failed', pullRequest: 4 });
  });

  it('withholds a file when one of several commits that brought its content is unvouched', () => {
    const report = evaluate(push({ [A]: [pr()], [B]: [] }));
    expect(report.withheld).toEqual([GRANT]);
    expect(report.rejections).toEqual([expect.objectContaining({ commit: B, reason: 'direct-push' })]);
    expect(report.files[0]!.vouchers).toEqual([{ commit: A, pullRequest: 7 }]);
  });

  it('judges each file on its own commits: the approved one is confirmed, the pushed one withheld', () => {
    const other = 'access/grants/newman/support-tickets.yaml';
    const report = evaluate(push({ [A]: [pr()], [B]: [] }, [{ path: GRANT, commits: [A] }, { path: other, commits: [B] }]));
    expect(report.withheld).toEqual([other]);
    expect(report.files.map((f) => [f.path, f.confirmed])).toEqual([[GRANT, true], [other, false]]);
  });

  it('fails closed on a commit GitHub was not asked about and on a change no commit explains', () => {
    const missing = evaluate({ ...push({}), changedFiles: [{ path: GRANT, status: 'added', commits: [B] }] });
    expect(missing.rejections.map((r) => r.reason)).toEqual(['unknown-commit']);
    const unexplained = evaluate({ ...push({}), changedFiles: [{ path: GRANT, status: 'added', commits: [] }] });
    expect(unexplained.rejections.map((r) => r.reason)).toEqual(['unknown-commit']);
    expect(unexplained.withheld).toEqual([GRANT]);
  });

  it('judges resources and the rules files too, and ignores files outside the access layout', () => {
    const files = [
      { path: 'access/resources/aws-prod/admin.yaml', commits: [B] },
      { path: 'access/people.yaml', commits: [B] },
      { path: 'access/grantops.yaml', commits: [B] },
      { path: 'access/README.md', commits: [B] },
      { path: 'access/grants/kramer/notes.txt', commits: [B] },
    ];
    const report = evaluate(push({ [B]: [] }, files));
    expect(report.files.map((f) => f.subject)).toEqual(['resource admin (system aws-prod)', 'the people list', 'the organisation settings']);
    expect(report.withheld).toEqual(['access/resources/aws-prod/admin.yaml', 'access/people.yaml', 'access/grantops.yaml']);
  });

  it('uses the configured check name', () => {
    const report = evaluatePushProvenance(push({ [A]: [pr({ checkRuns: [{ ...passed, name: 'access-review' }] })] }), { dir: 'access', checkName: 'access-review' });
    expect(report.withheld).toEqual([]);
  });
});
