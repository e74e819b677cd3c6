import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { breakGlassFromCheckout } from '../../src/adapters/break-glass-evidence.js';
import { createIamProvider } from '../../src/adapters/create-iam-provider.js';
import { GitHubMergedPullRequests } from '../../src/adapters/github/merged-pull-requests.js';
import { GitGrantHistory } from '../../src/adapters/git/grant-history.js';
import { GitDecisionNotes } from '../../src/adapters/git/notes.js';
import { openCheckout } from '../../src/adapters/git/open-checkout.js';
import type { NotificationEvent } from '../../src/core/notify/notification-event.js';
import { EMPTY_NOTIFICATION_REPORT } from '../../src/core/notify/notification-report.js';
import { applyAccess } from '../../src/usecases/apply.js';
import { expireAccess, type ExpireReport } from '../../src/usecases/expire.js';
import { dropUnratifiedGrants } from '../../src/usecases/judge-break-glass-grants.js';
import { planAccess } from '../../src/usecases/plan.js';
import { startGitHubServer, type GitHubServer, type PullState, type RepoState } from '../github-server/index.js';
import { issueUserToken } from '../github-server/user-tokens.js';
import { createGitFixture, type GitFixture } from '../lifecycle/git-fixture.js';
import { RDS_FULL, readHoldings, writeState } from '../lifecycle/lifecycle-org.js';
import { BREAK_GLASS_FILES, BREAK_GLASS_GRANT } from './break-glass-org.js';

/*
 * The expire run's side of break-glass, on a real clone with a bare remote, the stand-in GitHub holding the
 * merged pull request and its reviews, and an account file. dev (on call) took prod-db at 03:00 for 4h,
 * merged at 03:05; here the approvers have 1h to ratify (until 04:05), so an unratified grant is revoked
 * while its access still runs.
 */
const MERGED_AT = '2026-12-07T03:05:00Z';
let ratifyWithin = '1h';
const files = () => ({
  ...BREAK_GLASS_FILES,
  'access/resources/aws-prod/prod-db.yaml': BREAK_GLASS_FILES['access/resources/aws-prod/prod-db.yaml']!.replace('ratifyWithin: 12h', `ratifyWithin: ${ratifyWithin}`),
});
const GRANT = 'user: dev\nresource: prod-db\nreason: "INC-123 orders are down"\nexpires: 2026-12-07T07:00:00Z\nstatus: active\nbreakGlass: true\n';

describe('grantops expire and break-glass grants', () => {
  let server: GitHubServer;
  let fx: GitFixture;
  let repo: RepoState;
  let pull: PullState;
  let merge: string;
  let state: string;
  let token: string;
  const events: NotificationEvent[] = [];

  beforeEach(async () => {
    events.length = 0;
    server = await startGitHubServer();
    server.state.addInstallation(1, 'acme');
    fx = await createGitFixture(files());
    repo = server.state.addRepository({ owner: 'acme', name: 'access', gitDir: fx.bare, collaborators: ['owner', 'mgr', 'dev', 'dev2', 'res-owner'] });
    token = issueUserToken(server.state, 'github-actions[bot]', 1);
    // The break-glass pull request, merged with GitHub's merge commit at 03:05.
    const base = (await fx.git.revparse(['HEAD'])).trim();
    await fx.git.checkoutLocalBranch('break-glass');
    const gitAt = (args: string[]) => execFileSync('git', args, { cwd: fx.clone, env: { ...process.env, GIT_AUTHOR_DATE: MERGED_AT, GIT_COMMITTER_DATE: MERGED_AT } });
    await mkdir(join(fx.clone, 'access/grants/dev'), { recursive: true });
    await writeFile(join(fx.clone, BREAK_GLASS_GRANT), GRANT);
    gitAt(['add', BREAK_GLASS_GRANT]);
    gitAt(['commit', '-q', '-m', 'dev: break glass on prod-db']);
    const head = (await fx.git.revparse(['HEAD'])).trim();
    await fx.git.checkout('main');
    pull = server.state.openPullRequest(repo, { author: 'dev', headSha: head, baseSha: base, headRef: 'break-glass' });
    gitAt(['merge', '-q', '--no-ff', '-m', `Merge pull request #${pull.number} from acme/break-glass`, 'break-glass']);
    merge = (await fx.git.revparse(['HEAD'])).trim();
    await fx.git.push('origin', 'main');
    server.state.mergePullRequest(pull, { commitSha: merge, by: 'dev', at: MERGED_AT });
    state = join(fx.root, 'state.json');
    await writeState(state, { 'dev.user': { policies: [RDS_FULL] } });
  });
  afterEach(async () => {
    await server.close();
    await fx.cleanup();
  });

  async function expire(now: string, options: { github?: boolean } = { github: true }): Promise<ExpireReport> {
    const checkout = await openCheckout(fx.clone, 'access');
    const at = new Date(now);
    const pulls = new GitHubMergedPullRequests({ token, repository: 'acme/access', baseUrl: server.apiUrl });
    const notes = new GitDecisionNotes(fx.clone, { identity: { name: 'github-actions[bot]', email: 'bot@example.com' } });
    return expireAccess({
      root: checkout.root,
      dir: checkout.dir,
      snapshot: checkout.snapshot!,
      git: checkout.git!,
      provider: createIamProvider({ provider: 'file', state: [state], cwd: fx.clone }),
      now: at,
      breakGlass: breakGlassFromCheckout(checkout.root, { now: at, ...(options.github ? { pulls, record: { notes, remote: 'origin' } } : {}) }),
      notifier: { notify: async (list) => (events.push(...list), EMPTY_NOTIFICATION_REPORT) },
      dryRun: false,
    });
  }
  const review = (who: string, at: string, state: 'APPROVED' | 'COMMENTED' = 'APPROVED') => server.state.submitReview(pull, who, state, { submittedAt: at });

  it('inside the window, leaves a running break-glass grant alone and says it awaits ratification', async () => {
    const report = await expire('2026-12-07T03:30:00Z');
    expect(report.breakGlass.map((b) => [b.file, b.status, b.source, b.deadline])).toEqual([[BREAK_GLASS_GRANT, 'pending', 'github', '2026-12-07T04:05:00.000Z']]);
    expect(report.expiry.revocations).toEqual([]);
    expect((await readHoldings(state))['dev.user']!.policies).toEqual([RDS_FULL]);
  });

  it('revokes a grant not ratified within its window, though its access still runs, and tells the owners, org owners and grantee', async () => {
    review('mgr', '2026-12-07T03:40:00Z');
    const report = await expire('2026-12-07T05:00:00Z');
    expect(report.ok).toBe(true);
    expect(report.breakGlass[0]).toMatchObject({ status: 'unratified', pullRequest: pull.number });
    expect(report.expiry.revocations).toMatchObject([{ file: BREAK_GLASS_GRANT, action: 'delete', accessLapsed: true }]);
    expect(report.expiry.revocations[0]!.why).toMatch(/break-glass not ratified: .*missing owner/);
    expect((await readHoldings(state))['dev.user']!.policies).toEqual([]);
    // The revocation branch (committed in the clone: this run has no GitHub to push to) deletes the file.
    expect(await fx.git.raw(['ls-tree', '--name-only', 'main', BREAK_GLASS_GRANT])).not.toBe('');
    expect(await fx.git.raw(['ls-tree', '--name-only', 'grantops/revoke', BREAK_GLASS_GRANT])).toBe('');
    // The grantee hears that the access was removed; owners, org owners and the grantee that nobody ratified it.
    expect(events.map((e) => e.kind)).toEqual(['access-revoked', 'break-glass-not-ratified']);
    expect(events[0]).toMatchObject({ grant: { file: BREAK_GLASS_GRANT } });
    expect(events[1]!.recipients).toEqual(expect.arrayContaining([{ login: 'res-owner', as: 'owner' }, { login: 'owner', as: 'org-owner' }, { login: 'dev', as: 'grantee' }]));
  });

  it('apply, before the revocation is merged, does not give the unratified access back', async () => {
    await expire('2026-12-07T05:00:00Z');
    expect((await readHoldings(state))['dev.user']!.policies).toEqual([]);
    const checkout = await openCheckout(fx.clone, 'access');
    const at = new Date('2026-12-07T05:30:00Z');
    const judged = await dropUnratifiedGrants(checkout.snapshot!, at, breakGlassFromCheckout(checkout.root, { now: at }));
    expect(judged.dropped.map((d) => d.file)).toEqual([BREAK_GLASS_GRANT]);
    expect(judged.notes).toEqual([expect.stringMatching(/is left out: break-glass not ratified within 1h/)]);
    const provider = createIamProvider({ provider: 'file', state: [state], cwd: fx.clone });
    const withheld = await applyAccess({ root: checkout.root, dir: 'access', provider, history: new GitGrantHistory(checkout.root), now: at, snapshot: judged.snapshot });
    expect(withheld.plan.operations).toEqual([]);
    // Without the judgement, the same apply would have attached it again.
    const naive = await planAccess({ root: checkout.root, dir: 'access', provider, history: new GitGrantHistory(checkout.root), now: at, snapshot: checkout.snapshot! });
    expect(naive.plan.operations.map((o) => [o.action, o.grant])).toEqual([['attach-user-policy', BREAK_GLASS_GRANT]]);
  });

  it.each([
    ['a comment saying "ratified"', () => [review('mgr', '2026-12-07T03:40:00Z', 'COMMENTED'), review('res-owner', '2026-12-07T03:41:00Z')]],
    ['an approval from someone who fills no required role', () => [review('dev2', '2026-12-07T03:40:00Z'), review('res-owner', '2026-12-07T03:41:00Z')]],
    ['an approval after the deadline', () => [review('mgr', '2026-12-07T04:30:00Z'), review('res-owner', '2026-12-07T03:41:00Z')]],
  ])('a forged ratification (%s) does not keep the access', async (_name, forge) => {
    forge();
    const report = await expire('2026-12-07T05:00:00Z');
    expect(report.breakGlass[0]!.status).toBe('unratified');
    expect((await readHoldings(state))['dev.user']!.policies).toEqual([]);
  });

  it('records a ratification GitHub shows as a decision note, which a later run without GitHub trusts', async () => {
    review('mgr', '2026-12-07T03:40:00Z');
    review('res-owner', '2026-12-07T03:50:00Z');
    const first = await expire('2026-12-07T05:00:00Z');
    expect(first.breakGlass[0]).toMatchObject({ status: 'ratified', source: 'github', recorded: true });
    expect(first.expiry.revocations).toEqual([]);
    expect((await readHoldings(state))['dev.user']!.policies).toEqual([RDS_FULL]);
    const note = await simpleGit({ baseDir: fx.bare }).raw(['notes', '--ref=refs/notes/grantops', 'show', merge]);
    expect(JSON.parse(note.trim())).toMatchObject({ kind: 'ratify', commit: merge, grants: [{ file: BREAK_GLASS_GRANT, change: 'ratification', approvals: [{ role: 'manager', by: 'mgr' }, { role: 'owner', by: 'res-owner' }] }] });

    const offline = await expire('2026-12-07T06:00:00Z', { github: false });
    expect(offline.breakGlass[0]).toMatchObject({ status: 'ratified', source: 'record' });
  });

  describe('with a window longer than the access', () => {
    beforeAll(() => {
      ratifyWithin = '12h';
    });
    afterAll(() => {
      ratifyWithin = '1h';
    });

    it('removes the access at expires but keeps the file until the window closes, then deletes it and reports the missing ratification', async () => {
      const lapsed = await expire('2026-12-07T08:00:00Z');
      expect(lapsed.breakGlass[0]).toMatchObject({ status: 'pending', deadline: '2026-12-07T15:05:00.000Z' });
      expect(lapsed.expiry.revocations).toMatchObject([{ file: BREAK_GLASS_GRANT, action: 'mark-expired' }]);
      expect((await readHoldings(state))['dev.user']!.policies).toEqual([]);
      // Access that ended at its expires is told as revoked; the ratification is still awaited, so nothing else yet.
      expect(events.map((e) => e.kind)).toEqual(['access-revoked']);
      events.length = 0;
      // The revocation pull request is merged: the file stays, marked expired, while the window is open.
      expect(await fx.git.raw(['show', `grantops/revoke:${BREAK_GLASS_GRANT}`])).toMatch(/status: expired/);
      await fx.git.raw(['merge', '-q', '--no-ff', '-m', 'Merge pull request #9 from acme/grantops/revoke', 'grantops/revoke']);
      const closed = await expire('2026-12-07T16:00:00Z');
      expect(closed.breakGlass[0]).toMatchObject({ status: 'unratified' });
      expect(closed.expiry.revocations).toMatchObject([{ file: BREAK_GLASS_GRANT, action: 'delete', accessLapsed: false }]);
      expect(events.map((e) => [e.kind, e.kind === 'break-glass-not-ratified' && e.revoked])).toEqual([['break-glass-not-ratified', false]]);
    });
  });
});
