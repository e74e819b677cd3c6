import { afterEach, describe, expect, it } from '@jest/globals';
import { ChannelNotifier, type ChannelNotifierOptions } from '../../../src/adapters/notify/channel-notifier.js';
import { MemoryDeliveryLedger } from '../../../src/adapters/notify/memory-ledger.js';
import { loadAccessRepo } from '../../../src/core/load-access-repo.js';
import type { NotificationEvent } from '../../../src/core/notify/notification-event.js';
import { verifyWebhookSignature } from '../../../src/core/notify/webhook-signature.js';
import { ORG, PEOPLE, snapshot } from '../../helpers/repo.js';
import { startHttpReceiver, startSmtpServer } from '../../helpers/notify-servers.js';

/* Every channel against a real server on 127.0.0.1: SMTP (smtp-server) and HTTP receivers. */
const NOW = new Date('2026-11-23T12:00:00Z');
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const PEOPLE_WITH_EMAIL = PEOPLE.replace(/\{ login: (\S+), /g, '{ login: $1, email: $1@test.example, ');

function rules(channels: string) {
  const { repo, diagnostics } = loadAccessRepo(
    snapshot({ 'access/grantops.yaml': `${ORG}notifications:\n  channels:\n${channels}`, 'access/people.yaml': PEOPLE_WITH_EMAIL }),
    NOW,
  );
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return repo;
}

const breakGlass: NotificationEvent = {
  kind: 'break-glass-used',
  at: NOW.toISOString(),
  repository: 'test/access',
  recipients: [{ login: 'owner', as: 'org-owner' }, { login: 'res-owner', as: 'owner' }],
  grant: { user: 'dev', resource: 'prod-db', sensitivity: 'high', expires: '2026-11-23T16:00:00Z' },
  pullRequest: { number: 42, url: 'https://github.test/test/access/pull/42', title: 'Break-glass: prod-db for dev' },
  reason: 'INC-123 orders down',
  ratifyBy: '2026-11-24T12:00:00Z',
};

const endingSoon: NotificationEvent = {
  kind: 'access-ending-soon',
  at: NOW.toISOString(),
  recipients: [{ login: 'dev', as: 'grantee' }],
  grant: { user: 'dev', resource: 'logs-read', expires: '2026-11-25T00:00:00Z' },
  renewal: 'grantops request --resource logs-read --for-duration 30d',
};

function notifier(env: Record<string, string>, extra: Partial<ChannelNotifierOptions> = {}) {
  const waits: number[] = [];
  const n = new ChannelNotifier({ env, ledger: new MemoryDeliveryLedger(), now: () => NOW, sleep: async (ms) => void waits.push(ms), random: () => 1, ...extra });
  return { n, waits };
}

describe('slack channel', () => {
  it('posts one Block Kit message per event to the incoming-webhook URL the environment names', async () => {
    const slack = await startHttpReceiver((request) => {
      const payload = JSON.parse(request.body) as { text: string; blocks: Array<{ type: string; text?: { text: string }; fields?: Array<{ text: string }> }> };
      // What Slack itself requires: text as the notification fallback, and well-formed blocks.
      const ok = payload.text.length > 0 && payload.blocks[0]?.type === 'header' && payload.blocks.every((b) => ['header', 'section', 'actions'].includes(b.type));
      return ok ? { status: 200 } : { status: 400, body: 'invalid_blocks' };
    });
    closers.push(slack.close);
    const { n } = notifier({ SLACK_URL: `${slack.url}/services/T1/B1/x` });
    const report = await n.notify([breakGlass], rules(`    oncall: { type: slack, webhookUrl: { env: SLACK_URL }, events: [break-glass-used] }\n`));

    expect(report.deliveries).toEqual([expect.objectContaining({ channel: 'oncall', kind: 'break-glass-used', status: 'sent', attempts: 1 })]);
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]!.path).toBe('/services/T1/B1/x');
    const payload = JSON.parse(slack.requests[0]!.body);
    expect(payload.blocks[0].text.text).toBe("BREAK-GLASS used: dev's access to prod-db");
    expect(payload.blocks[1].text.text).toContain('INC-123 orders down');
    expect(JSON.stringify(payload.blocks)).toContain('Org Owner (org-owner)');
    expect(payload.blocks.at(-1)).toMatchObject({ type: 'actions', elements: [{ url: 'https://github.test/test/access/pull/42' }] });
  });

  it('does not retry what Slack refuses (4xx), and says why', async () => {
    const slack = await startHttpReceiver(() => ({ status: 404, body: 'no_service' }));
    closers.push(slack.close);
    const { n } = notifier({ SLACK_URL: slack.url });
    const report = await n.notify([breakGlass], rules(`    oncall: { type: slack, webhookUrl: { env: SLACK_URL }, events: [all] }\n`));
    expect(report.deliveries).toEqual([expect.objectContaining({ status: 'failed', attempts: 1, error: expect.stringContaining('404') })]);
    expect(slack.requests).toHaveLength(1);
  });
});

describe('email channel', () => {
  it('mails the people an event concerns, and the roles its level notifies, over SMTP with the password from the environment', async () => {
    const smtp = await startSmtpServer({ user: 'grantops', password: 's3cret' });
    closers.push(smtp.close);
    const { n } = notifier({ SMTP_PASSWORD: 's3cret' });
    // logs-read is "low", whose notify: [owner] adds res-owner to the grantee.
    const report = await n.notify(
      [endingSoon],
      rules(`    mail:\n      type: email\n      smtp: { host: 127.0.0.1, port: ${smtp.port}, user: grantops, password: { env: SMTP_PASSWORD } }\n      from: grantops <grantops@test.example>\n      events: [access-ending-soon]\n`),
    );
    expect(report.deliveries).toEqual([expect.objectContaining({ channel: 'mail', status: 'sent' })]);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.user).toBe('grantops');
    expect(mail.to.sort()).toEqual(['dev@test.example', 'res-owner@test.example']);
    expect(mail.raw).toMatch(/^Subject: Access ending soon: dev's access to logs-read/m);
    expect(mail.text).toContain('To renew: grantops request --resource logs-read --for-duration 30d');
    expect(mail.text).toMatch(/For: +Developer \(grantee\); Resource Owner \(owner\)/);
    expect(mail.text).toContain('dev → logs-read');
  });

  it('sends to fixed addresses when the channel has them, and fails cleanly on a wrong password (no retry)', async () => {
    const smtp = await startSmtpServer({ user: 'grantops', password: 's3cret' });
    closers.push(smtp.close);
    const channel = (env: string) =>
      rules(`    list:\n      type: email\n      smtp: { host: 127.0.0.1, port: ${smtp.port}, user: grantops, password: { env: ${env} } }\n      from: grantops@test.example\n      to: [security@test.example]\n      events: [all]\n`);
    const good = await notifier({ P: 's3cret' }).n.notify([breakGlass], channel('P'));
    expect(good.deliveries[0]).toMatchObject({ status: 'sent' });
    expect(smtp.mails.map((m) => m.to)).toEqual([['security@test.example']]);

    const { n, waits } = notifier({ P: 'wrong' });
    const bad = await n.notify([breakGlass], channel('P'));
    expect(bad.deliveries[0]).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringMatching(/535|Invalid/) });
    expect(waits).toEqual([]);
  });
});

describe('webhook channel', () => {
  const KEY = 'whsec-test-key-0001';

  it('POSTs the event as JSON, signed so the receiver can verify it and refuse a replay', async () => {
    const hook = await startHttpReceiver((request) => {
      const verdict = verifyWebhookSignature(
        request.body,
        { signature: request.headers['x-grantops-signature'] as string, timestamp: request.headers['x-grantops-timestamp'] as string },
        KEY,
        Math.floor(NOW.getTime() / 1000),
      );
      return verdict.valid ? { status: 204 } : { status: 401, body: verdict.reason };
    });
    closers.push(hook.close);
    const { n } = notifier({ HOOK_KEY: KEY });
    const report = await n.notify([breakGlass, endingSoon], rules(`    siem: { type: webhook, url: "${hook.url}/grantops", secret: { env: HOOK_KEY }, events: [all] }\n`));

    expect(report.deliveries.map((d) => [d.kind, d.status])).toEqual([['break-glass-used', 'sent'], ['access-ending-soon', 'sent']]);
    const body = JSON.parse(hook.requests[0]!.body);
    expect(body.event).toMatchObject({ kind: 'break-glass-used', reason: 'INC-123 orders down', grant: { user: 'dev', resource: 'prod-db' } });
    expect(body.delivery).toBe('test/access:break-glass-used:dev/prod-db#42>siem');
    expect(hook.requests[0]!.headers['x-grantops-event']).toBe('break-glass-used');

    // The receiver's side: the same body a minute out of the window, or with another key, is refused.
    const { body: raw, headers } = hook.requests[0]!;
    const signed = { signature: headers['x-grantops-signature'] as string, timestamp: headers['x-grantops-timestamp'] as string };
    expect(verifyWebhookSignature(raw, signed, KEY, Math.floor(NOW.getTime() / 1000) + 301)).toEqual({ valid: false, reason: expect.stringMatching(/replay/) });
    expect(verifyWebhookSignature(raw, signed, 'another-key', Math.floor(NOW.getTime() / 1000))).toEqual({ valid: false, reason: 'signature does not match' });
    expect(verifyWebhookSignature(raw.replace('INC-123', 'INC-999'), signed, KEY, Math.floor(NOW.getTime() / 1000)).valid).toBe(false);
  });

  it('a receiver holding another key refuses the delivery; the report says so and the run goes on', async () => {
    const hook = await startHttpReceiver((request) => {
      const verdict = verifyWebhookSignature(request.body, { signature: request.headers['x-grantops-signature'] as string, timestamp: request.headers['x-grantops-timestamp'] as string }, 'receiver-key', Math.floor(NOW.getTime() / 1000));
      return verdict.valid ? { status: 200 } : { status: 401, body: verdict.reason };
    });
    closers.push(hook.close);
    const report = await notifier({ HOOK_KEY: 'sender-key' }).n.notify([breakGlass], rules(`    siem: { type: webhook, url: "${hook.url}", secret: { env: HOOK_KEY }, events: [all] }\n`));
    expect(report.deliveries[0]).toMatchObject({ status: 'failed', attempts: 1, error: 'HTTP 401: signature does not match' });
  });
});

describe('delivery', () => {
  it('retries a receiver that fails first, waiting longer each time, and reports the attempts', async () => {
    const hook = await startHttpReceiver((_request, index) => (index < 2 ? { status: 503 } : { status: 200 }));
    closers.push(hook.close);
    const { n, waits } = notifier({ HOOK_KEY: 'k' }, { baseDelayMs: 100 });
    const report = await n.notify([breakGlass], rules(`    siem: { type: webhook, url: "${hook.url}", secret: { env: HOOK_KEY }, events: [all] }\n`));
    expect(report.deliveries[0]).toMatchObject({ status: 'sent', attempts: 3 });
    expect(hook.requests).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
  });

  it('never throws: an unreachable server and an unset secret are failed deliveries; the other channel still gets its message', async () => {
    const dead = await startHttpReceiver();
    await dead.close();
    const live = await startHttpReceiver();
    closers.push(live.close);
    const { n, waits } = notifier({ HOOK_KEY: 'k' }, { attempts: 3 });
    const report = await n.notify(
      [breakGlass],
      rules(
        `    down: { type: webhook, url: "${dead.url}", secret: { env: HOOK_KEY }, events: [all] }\n` +
          `    unset: { type: slack, webhookUrl: { env: NOT_SET }, events: [all] }\n` +
          `    up: { type: webhook, url: "${live.url}", secret: { env: HOOK_KEY }, events: [all] }\n`,
      ),
    );
    expect(report.deliveries.map((d) => [d.channel, d.status, d.attempts])).toEqual([
      ['down', 'failed', 3],
      ['unset', 'failed', 1],
      ['up', 'sent', 1],
    ]);
    expect(report.deliveries[1]!.error).toBe('the environment variable NOT_SET is not set');
    expect(waits).toHaveLength(2);
    expect(live.requests).toHaveLength(1);
  });

  it('sends each event once per channel, skipping channels whose events or sensitivity filter do not match', async () => {
    const hook = await startHttpReceiver();
    closers.push(hook.close);
    const { n } = notifier({ K: 'k' });
    const report = await n.notify(
      [breakGlass, breakGlass, endingSoon],
      rules(
        `    high-only: { type: webhook, url: "${hook.url}/high", secret: { env: K }, events: [all], sensitivity: [high] }\n` +
          `    ending: { type: webhook, url: "${hook.url}/ending", secret: { env: K }, events: [access-ending-soon] }\n`,
      ),
    );
    expect(report.deliveries.map((d) => `${d.kind}>${d.channel}`)).toEqual(['break-glass-used>high-only', 'access-ending-soon>ending']);
    expect(hook.requests.map((r) => r.path).sort()).toEqual(['/ending', '/high']);
  });
});
