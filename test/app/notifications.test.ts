import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ChannelNotifier } from '../../src/adapters/notify/channel-notifier.js';
import { MemoryDeliveryLedger } from '../../src/adapters/notify/memory-ledger.js';
import { verifyWebhookSignature } from '../../src/core/notify/webhook-signature.js';
import { EvaluationMemory } from '../../src/usecases/evaluation-memory.js';
import type { PullState } from '../github-server/index.js';
import { startHttpReceiver } from '../helpers/notify-servers.js';
import { ORG, PEOPLE } from '../helpers/repo.js';
import { AppHarness } from './harness.js';
import { baseOrgFiles, grant, grantPath } from './fixtures.js';
import { pullRequestPayload, reviewPayload } from './payloads.js';

/* The app tells approvers they are awaited and requesters of each approval, through grantops.yaml's channels at the base. */
const KEY = 'app-hook-key';
let h: AppHarness;
let hook: Awaited<ReturnType<typeof startHttpReceiver>>;
let pull: PullState;

const events = () => hook.requests.map((r) => JSON.parse(r.body).event as { kind: string; approver?: string; recipients: Array<{ login: string; as: string }> });

beforeAll(async () => {
  hook = await startHttpReceiver((request) => {
    const signed = { signature: request.headers['x-grantops-signature'] as string, timestamp: request.headers['x-grantops-timestamp'] as string };
    return verifyWebhookSignature(request.body, signed, KEY, Math.floor(Date.now() / 1000)).valid ? { status: 200 } : { status: 401 };
  });
  h = await AppHarness.start({ env: { APP_HOOK_KEY: KEY } });
  const base = await h.repo.commit(
    {
      ...baseOrgFiles(),
      'access/grantops.yaml': `${ORG}notifications:\n  channels:\n    hook: { type: webhook, url: "${hook.url}", secret: { env: APP_HOOK_KEY }, events: [approval-requested, approval-given] }\n`,
      'access/people.yaml': PEOPLE,
    },
    'the organisation, with a channel',
  );
  pull = await h.openPullRequest('dev', base, { [grantPath('dev', 'prod-db')]: grant('dev', 'prod-db') });
});

afterAll(async () => {
  await h.close();
  await hook.close();
});

describe('the app notifies', () => {
  it('the people asked to approve, once, through a signed webhook', async () => {
    expect(await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 1 }))).toBe(200);
    expect(events()).toEqual([expect.objectContaining({ kind: 'approval-requested', recipients: [{ login: 'mgr', as: 'approver' }, { login: 'res-owner', as: 'approver' }] })]);
    const body = JSON.parse(hook.requests[0]!.body);
    expect(body.event).toMatchObject({ pullRequest: { number: pull.number, author: 'dev' }, headSha: pull.head.sha, grants: [{ user: 'dev', resource: 'prod-db', sensitivity: 'high', missing: ['manager', 'owner'] }] });
    // What was sent rides along in the app's comment, so a restarted app knows.
    expect(h.comments(pull)[0]!.body).toMatch(/<!-- grantops:notified [0-9a-f]{16} -->/);
  });

  it('the requester of an approval, with the role it met', async () => {
    const review = h.server.state.submitReview(pull, 'mgr', 'APPROVED');
    expect(await h.deliver('pull_request_review', reviewPayload('submitted', h.repoState, pull, review))).toBe(200);
    expect(events().map((e) => e.kind)).toEqual(['approval-requested', 'approval-given']);
    expect(JSON.parse(hook.requests[1]!.body).event).toMatchObject({ approver: 'mgr', roles: ['manager'], approved: false, recipients: [{ login: 'dev', as: 'requester' }, { login: 'dev', as: 'grantee' }] });
  });

  it('nobody twice: not on a re-delivered event, and not after a restart that lost the app\'s memory', async () => {
    h.deps.memory = new EvaluationMemory();
    h.deps.notifier = new ChannelNotifier({ env: { APP_HOOK_KEY: KEY }, ledger: new MemoryDeliveryLedger() });
    const review = pull.reviews.find((r) => r.user === 'mgr')!;
    expect(await h.deliver('pull_request_review', reviewPayload('submitted', h.repoState, pull, review))).toBe(200);
    expect(await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 1 }))).toBe(200);
    expect(hook.requests).toHaveLength(2);

    const second = h.server.state.submitReview(pull, 'res-owner', 'APPROVED');
    expect(await h.deliver('pull_request_review', reviewPayload('submitted', h.repoState, pull, second))).toBe(200);
    expect(events().slice(2)).toEqual([expect.objectContaining({ kind: 'approval-given', approver: 'res-owner' })]);
    expect(JSON.parse(hook.requests[2]!.body).event.approved).toBe(true);
  });
});
