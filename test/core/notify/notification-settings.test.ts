import { describe, expect, it } from '@jest/globals';
import { loadAccessRepo } from '../../../src/core/load-access-repo.js';
import { ORG, snapshot } from '../../helpers/repo.js';

const NOW = new Date('2026-11-23T12:00:00Z');

function load(notifications: string) {
  const result = loadAccessRepo(snapshot({ 'access/grantops.yaml': `${ORG}notifications:\n${notifications}` }), NOW);
  return { ...result, errors: result.diagnostics.filter((d) => d.severity === 'error') };
}

// Line numbers: ORG has 12 lines, `notifications:` is line 13.
describe('notifications in grantops.yaml', () => {
  it('accepts the three channel types with secrets named by environment variable', () => {
    const { errors, repo } = load(`  channels:
    oncall:
      type: slack
      webhookUrl: { env: GRANTOPS_SLACK_WEBHOOK }
      events: [break-glass-used, drift-found]
      sensitivity: [high, critical]
    mail:
      type: email
      smtp: { host: smtp.test.example, port: 587, user: grantops, password: { env: SMTP_PASSWORD } }
      from: grantops <grantops@test.example>
      events: [approval-requested, access-ending-soon]
    siem:
      type: webhook
      url: https://siem.test.example/grantops
      secret: { env: GRANTOPS_WEBHOOK_KEY }
      events: [all]
`);
    expect(errors).toEqual([]);
    expect(Object.keys(repo.org?.value.notifications?.channels ?? {})).toEqual(['oncall', 'mail', 'siem']);
  });

  it('refuses a Slack webhook URL written in the file, located, with what to do instead', () => {
    const { errors } = load(`  channels:
    oncall:
      type: slack
      webhookUrl: https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX
      events: [all]
`);
    const secret = errors.find((d) => d.rule === 'notify/literal-secret');
    expect(secret).toMatchObject({ file: 'access/grantops.yaml', line: 17, column: 19 });
    expect(secret?.message).toMatch(/Slack webhook URL.*\{ env: NAME \}/);
  });

  it('refuses a credential in a webhook URL, and a key-like string anywhere under notifications', () => {
    const { errors } = load(`  channels:
    siem:
      type: webhook
      url: https://siem.test.example/hook?token=abc
      secret: { env: KEY }
      events: [all]
    mail:
      type: email
      smtp: { host: smtp.test.example, user: grantops, password: { env: P } }
      from: grantops@test.example
      to: [a9F3kLmN0pQrS7tUvWxYz1B2c3D4e5F6g7H8@x.example]
      events: [all]
`);
    expect(errors.filter((d) => d.rule === 'notify/literal-secret').map((d) => d.line)).toEqual([17]);
  });

  it('names the branch the type picks when a channel is incomplete, and an unknown event or level', () => {
    const { errors } = load(`  channels:
    siem:
      type: webhook
      url: https://siem.test.example/hook
      events: [access-granted]
`);
    expect(errors.map((d) => [d.rule, d.line, d.message])).toEqual(
      expect.arrayContaining([
        ['schema/required', 16, expect.stringMatching(/"secret"/)],
        ['schema/enum', 18, expect.stringMatching(/approval-requested/)],
      ]),
    );
    expect(load(`  channels:\n    x: { type: pager, events: [all] }\n`).errors[0]).toMatchObject({ rule: 'schema/enum', line: 15, message: expect.stringMatching(/"notifications.channels.x.type" must be one of: slack, email, webhook/) });
    const level = load(`  channels:\n    x: { type: slack, webhookUrl: { env: X }, events: [all], sensitivity: [severe] }\n`).errors;
    expect(level).toEqual([expect.objectContaining({ rule: 'ref/unknown-sensitivity', line: 15 })]);
  });
});
