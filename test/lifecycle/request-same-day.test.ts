import { runBin } from '../helpers/bin.js';
import { runCli } from '../helpers/cli.js';
import { createGitFixture, type GitFixture } from './git-fixture.js';
import { ORG_FILES } from './lifecycle-org.js';

const NOW = ['--now', '2026-12-07T06:00:00Z'];
const BRANCH = 'grant/dev/db-read-2026-12-07';
const ask = (reason: string) => ['request', '--resource', 'db-read', '--for-duration', '5d', '--reason', reason, '--as', 'dev', ...NOW];

// A second request the same day must never rebuild the first one's branch: that would drop its commit.
// The first case runs the executable a user starts; the others run the same `main` in-process.
describe('grantops request, twice the same day', () => {
  let fx: GitFixture;
  beforeEach(async () => (fx = await createGitFixture(ORG_FILES)));
  afterEach(() => fx.cleanup());
  const tip = async (branch: string) => (await fx.git.raw(['rev-parse', branch])).trim();
  const reasonOn = async (branch: string) => /reason: (.*)/.exec(await fx.git.raw(['show', `${branch}:access/grants/dev/db-read.yaml`]))![1];

  it('puts a different request on a new branch, says so, and leaves the first commit where it was (as a process)', async () => {
    const first = await runBin(ask('OPS-9 query plans'), fx.clone);
    expect(first.code).toBe(0);
    const firstTip = await tip(BRANCH);

    const second = await runBin(ask('OPS-10 index sizes'), fx.clone);
    expect(second.code).toBe(0);
    expect(second.out).toContain(`branch ${BRANCH} already holds another request (${firstTip.slice(0, 12)}), left as it is: this one goes on ${BRANCH}-2`);
    expect(second.out).toMatch(new RegExp(`committed on branch ${BRANCH}-2 at [0-9a-f]{12}`));
    expect(await tip(BRANCH)).toBe(firstTip);
    expect(await reasonOn(BRANCH)).toBe('OPS-9 query plans');
    expect(await reasonOn(`${BRANCH}-2`)).toBe('OPS-10 index sizes');

    const third = await runBin([...ask('OPS-11'), '--format', 'json'], fx.clone);
    expect(JSON.parse(third.out)).toMatchObject({ ok: true, plan: { branch: `${BRANCH}-3` }, notes: [expect.stringContaining(`${BRANCH} already holds`), expect.stringContaining(`${BRANCH}-2 already holds`)] });
  });

  it('the same request again keeps its branch: unchanged, or rebuilt on a base that moved on', async () => {
    await runCli(ask('OPS-9 query plans'), fx.clone);
    const firstTip = await tip(BRANCH);
    const again = await runCli(ask('OPS-9 query plans'), fx.clone);
    expect(again.out).toContain(`unchanged on branch ${BRANCH} at ${firstTip.slice(0, 12)}`);
    expect(again.out).not.toContain('already holds');

    await fx.commitOnMain({ 'README.md': 'the access repository\n' }, 'A README');
    const rebased = await runCli(ask('OPS-9 query plans'), fx.clone);
    expect(rebased.code).toBe(0);
    expect(rebased.out).toContain(`committed on branch ${BRANCH} at`);
    expect((await fx.git.raw(['rev-parse', `${BRANCH}^`])).trim()).toBe(await tip('main'));
  });

  it('never rebuilds a branch someone added a commit to', async () => {
    await runCli(ask('OPS-9 query plans'), fx.clone);
    await fx.git.checkout(BRANCH);
    await fx.git.raw(['commit', '--allow-empty', '-m', 'a note for the reviewers']);
    const added = await tip(BRANCH);
    await fx.git.checkout('main');
    const again = await runCli(ask('OPS-9 query plans'), fx.clone);
    expect(again.code).toBe(0);
    expect(again.out).toContain(`this one goes on ${BRANCH}-2`);
    expect(await tip(BRANCH)).toBe(added);
  });
});
