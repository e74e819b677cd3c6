import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppHarness } from '../app/harness.js';
import { baseOrgFiles } from '../app/fixtures.js';
import { pullRequestPayload } from '../app/payloads.js';
import { writeFiles } from './attack-repo.js';
import { ATTACKS, CONTROL, NOW, type Attack, type Files } from './attacks.js';

/*
 * Every attack of attacks.ts as a pull request the app judges: signed webhooks to the Probot app, its
 * API calls to the stand-in GitHub serving a real repository. The check must not pass; an invalid
 * change fails with the diagnostic annotated at its file (and line), a pending one waits on the named
 * approval. One repository, a base branch and a pull request per attack.
 */
let h: AppHarness;
let org: string;

beforeAll(async () => {
  h = await AppHarness.start({ now: new Date(NOW) });
  org = await h.repo.commit(baseOrgFiles(), 'the organisation');
});

afterAll(async () => {
  await h.close();
});

async function commit(files: Files, message: string): Promise<string> {
  writeFiles(h.repo.dir, files);
  return h.repo.commit({}, message);
}

async function openAttack(attack: Attack) {
  await h.repo.branch(`base-${attack.id}`, org);
  const base = await commit(attack.base ?? {}, 'base');
  await h.repo.branch(`attack-${attack.id}`, base);
  const head = await commit(attack.head, attack.what);
  let baseTip = base;
  if (attack.baseLater) {
    await h.repo.checkout(`base-${attack.id}`);
    baseTip = await commit(attack.baseLater, 'main moves on');
  }
  const pull = h.server.state.openPullRequest(h.repoState, { author: attack.author, headSha: head, baseSha: baseTip, headRef: `attack-${attack.id}` });
  for (const reviewer of attack.approvals) h.server.state.submitReview(pull, reviewer, 'APPROVED');
  return pull;
}

describe.each(ATTACKS)('attack $id (class $class): $what', (attack) => {
  it('is not approved by the app', async () => {
    const pull = await openAttack(attack);
    expect(await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull))).toBe(200);
    const check = h.latestCheck(pull.head.sha)!;
    expect(check.appId).toBe(1234);
    if (attack.verdict.status === 'invalid') {
      expect({ status: check.status, conclusion: check.conclusion }).toEqual({ status: 'completed', conclusion: 'failure' });
    } else {
      expect({ status: check.status, conclusion: check.conclusion, title: check.output.title }).toEqual({ status: 'in_progress', conclusion: null, title: expect.stringMatching(/approvals? missing/) });
    }
    const d = attack.verdict.diagnostic;
    if (d) {
      expect(check.annotations).toContainEqual(expect.objectContaining({ path: d.file, title: d.rule, annotation_level: 'failure', ...(d.line !== undefined && { start_line: d.line }) }));
    }
    for (const file of attack.verdict.rulesChange ?? []) expect(check.output.summary).toMatch(new RegExp(`\\*\\*Rules change\\*\\* \\([^)]*\`${file.replace(/[.*]/g, '\\$&')}\`[^)]*\\): needs an org owner`));
  });
});

it('approves the honest request the attacks imitate (the judge can say yes)', async () => {
  const pull = await openAttack({ ...CONTROL, verdict: { status: 'pending' } });
  expect(await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull))).toBe(200);
  expect(h.latestCheck(pull.head.sha)).toMatchObject({ status: 'completed', conclusion: 'success' });
});
