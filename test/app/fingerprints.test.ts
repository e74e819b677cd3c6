import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ORG } from '../helpers/repo.js';
import type { PullState } from '../github-server/index.js';
import { APP_ID, AppHarness } from './harness.js';
import { baseOrgFiles, grant, grantPath } from './fixtures.js';
import { pullRequestPayload, reviewPayload } from './payloads.js';

/*
 * Approvals bound to what the pull request does to the access directory. dev asks for prod-db (high:
 * mgr as manager, res-owner as owner); both approve; then the branch is rebased or pushed to. A rebase
 * (or an update merge) that leaves the grant changes and the base's rules alone keeps the approvals,
 * and the comment says which carried over and why; every attack below makes them stale.
 */
let h: AppHarness;
let base: string;
const DB = grantPath('dev', 'prod-db');

beforeAll(async () => {
  h = await AppHarness.start();
  base = await h.repo.commit(baseOrgFiles(), 'the organisation');
});
afterAll(async () => {
  await h.close();
});

/** A pull request with dev's grant, approved by mgr and res-owner on its head. */
async function approvedPull(branch: string, content = grant('dev', 'prod-db')): Promise<PullState> {
  const pull = await h.openPullRequest('dev', base, { [DB]: content }, { branch });
  await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 1 }));
  for (const reviewer of ['mgr', 'res-owner']) {
    const review = h.server.state.submitReview(pull, reviewer, 'APPROVED');
    await h.deliver('pull_request_review', reviewPayload('submitted', h.repoState, pull, review));
  }
  expect(h.latestCheck(pull.head.sha)!.conclusion).toBe('success');
  return pull;
}

/** Re-creates the pull request's branch on `onto` with `files`, as `git rebase` then a force-push would. */
async function rebase(pull: PullState, onto: string, files: Record<string, string | null>): Promise<string> {
  await h.repo.branch(pull.head.ref, onto);
  const sha = await h.repo.commit(files, 'dev: change (rebased)');
  pull.base.sha = onto;
  h.server.state.pushHead(pull, sha);
  await h.deliver('pull_request', pullRequestPayload('synchronize', h.repoState, pull, { changedFiles: Object.keys(files).length }));
  return sha;
}

/** A new commit on the base branch, off the current base. */
async function moveBase(files: Record<string, string | null>): Promise<string> {
  await h.repo.checkout('main');
  await h.repo.branch('main', base);
  base = await h.repo.commit(files, 'meanwhile on main');
  return base;
}

describe('fingerprinted approvals', () => {
  it('keeps the approvals across a rebase onto a base that changed nothing they approved, and says why', async () => {
    const pull = await approvedPull('rebase-ok');
    const approvedHead = pull.head.sha;
    const newBase = await moveBase({ 'README.md': '# access\n\nSee the README.\n', [grantPath('dev2', 'logs-read')]: grant('dev2', 'logs-read') });
    const from = h.server.requests.length;
    const head = await rebase(pull, newBase, { [DB]: grant('dev', 'prod-db') });

    const check = h.latestCheck(head)!;
    expect(check.conclusion).toBe('success');
    expect(check.externalId).toMatch(/^grantops-fingerprint:v1:[0-9a-f]{64}$/);
    expect(h.latestCheck(approvedHead)!.externalId).toBe(check.externalId);
    const comment = h.comments(pull)[0]!.body;
    expect(comment).toContain('**Approvals carried over** from earlier commits that do the same to the access directory:');
    expect(comment).toContain(`- **mgr** approved \`${approvedHead.slice(0, 7)}\`: ${approvedHead.slice(0, 7)} makes the same access changes as ${head.slice(0, 7)} under the same base rules`);
    // One lookup of the approved commit's recorded fingerprint, by the app's own id.
    const lookups = h.server.requests.slice(from).filter((r) => r.path === `/repos/vandelay/access/commits/${approvedHead}/check-runs`);
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.query).toMatchObject({ check_name: 'grantops', app_id: String(APP_ID) });
  });

  it('keeps the approvals across an update merge of the base branch into the pull request', async () => {
    const pull = await approvedPull('update-merge');
    const approvedHead = pull.head.sha;
    const newBase = await moveBase({ [grantPath('dev2', 'logs-read')]: grant('dev2', 'logs-read', { reason: 'Investigate OPS-9' }) });
    await h.repo.checkout(pull.head.ref);
    await h.repo.git.raw(['-c', 'user.name=dev', '-c', 'user.email=dev@test.example', 'merge', '-q', '--no-ff', '-m', 'Merge main into update-merge', 'main']);
    const head = (await h.repo.git.revparse(['HEAD'])).trim();
    pull.base.sha = newBase;
    h.server.state.pushHead(pull, head);
    await h.deliver('pull_request', pullRequestPayload('synchronize', h.repoState, pull, { changedFiles: 1 }));

    expect(h.latestCheck(head)!.conclusion).toBe('success');
    expect(h.comments(pull)[0]!.body).toContain(`- **res-owner** approved \`${approvedHead.slice(0, 7)}\``);
  });

  const attacks: { name: string; act: (pull: PullState) => Promise<string> }[] = [
    {
      name: 'a push that changes the grant\'s expiry',
      act: (pull) => rebase(pull, base, { [DB]: grant('dev', 'prod-db', { expires: '2026-06-06T00:00:00Z' }) }),
    },
    {
      name: 'a rebase onto a base whose rules changed (the resource\'s sensitivity lowered)',
      act: async (pull) => rebase(pull, await moveBase({ 'access/grantops.yaml': ORG.replace('high:     { approvers: [manager, owner]', 'high:     { approvers: [owner]') }), { [DB]: grant('dev', 'prod-db') }),
    },
    {
      name: 'a force-push of the same grant diff that also changes the resource it names',
      act: (pull) => rebase(pull, base, { [DB]: grant('dev', 'prod-db'), 'access/resources/aws-prod/prod-db.yaml': 'id: prod-db\nsystem: aws-prod\nowners: [res-owner]\ngrants: { managedPolicy: "arn:aws:iam::aws:policy/AdministratorAccess" }\n' }),
    },
    {
      name: 'a force-push of the same grant with a workflow file changed beside it',
      act: (pull) => rebase(pull, base, { [DB]: grant('dev', 'prod-db'), '.github/workflows/apply.yml': 'on: push\n' }),
    },
  ];
  it.each(attacks)('makes the approvals stale after $name', async ({ name, act }) => {
    const pull = await approvedPull(`attack-${name.length}-${Math.random().toString(36).slice(2, 8)}`);
    const head = await act(pull);
    const check = h.latestCheck(head)!;
    expect(check.conclusion).not.toBe('success');
    expect(h.comments(pull)[0]!.body).not.toContain('Approvals carried over');
    expect(h.comments(pull)[0]!.body).toMatch(/no longer count; \*\*mgr\*\*, \*\*res-owner\*\* may approve again/);
  });

  it('does not carry approvals on the word of a "grantops" check run of another app', async () => {
    const pull = await approvedPull('forged-run');
    const approvedHead = pull.head.sha;
    const fingerprint = h.latestCheck(approvedHead)!.externalId!;
    // The app's own run on the approved commit says something else; another app's run of the same name
    // carries the very fingerprint the rebased head will have.
    for (const run of h.checkRuns(approvedHead)) run.externalId = `grantops-fingerprint:v1:${'0'.repeat(64)}`;
    const foreign = { ...h.checkRuns(approvedHead)[0]!, id: h.server.state.nextId(), appId: 999, externalId: fingerprint };
    h.repoState.checkRuns.set(foreign.id, foreign);

    const head = await rebase(pull, base, { [DB]: grant('dev', 'prod-db') });

    expect(h.latestCheck(head)!.externalId).toBe(fingerprint);
    expect(h.latestCheck(head)!.conclusion).not.toBe('success');
    expect(h.comments(pull)[0]!.body).not.toContain('Approvals carried over');
  });
});
