import { evaluateApproval, type ApprovalResult, type ChangedFile } from '../../src/core/approval/evaluate-approval.js';
import { toApprovalJson } from '../../src/render/approval-json.js';
import { APPROVAL_COMMENT_MARKER, renderApprovalComment, renderApprovalMarkdown, renderApprovalTitle } from '../../src/render/approval-markdown.js';
import { renderApprovalText } from '../../src/render/approval-text.js';
import { grantYaml, snapshot } from '../helpers/repo.js';

const HEAD = 'a'.repeat(40);
const grant = (over: Record<string, string> = {}) =>
  grantYaml({ user: 'dev', resource: 'prod-db', reason: 'debug', expires: '2026-11-28T00:00:00Z', approvalExpires: '2027-01-10T00:00:00Z', status: 'active', ...over });

function evaluate(changes: ChangedFile[], approvers: string[], author = 'dev'): ApprovalResult {
  return evaluateApproval({
    rulesAtBase: snapshot(),
    grantsAtBase: { dir: 'access', files: [] },
    changes,
    pr: {
      author,
      headSha: HEAD,
      baseSha: 'b'.repeat(40),
      changedFiles: changes.map((c) => c.path),
      reviews: approvers.map((reviewer) => ({ reviewer, state: 'APPROVED' as const, commitSha: HEAD, submittedAt: '2026-11-23T10:00:00Z' })),
    },
    now: new Date('2026-11-23T12:00:00Z'),
  });
}

const pending = () =>
  evaluate(
    [
      { path: 'access/grants/dev/prod-db.yaml', head: grant() },
      { path: 'access/grants/dev/logs-read.yaml', head: grant({ resource: 'logs-read' }) },
      { path: 'access/resources/aws-prod/logs-read.yaml', head: 'id: logs-read\nsystem: aws-prod\nsensitivity: none\nowners: [res-owner]\ngrants: { group: log-readers }\n' },
    ],
    ['res-owner'],
  );

describe('approval markdown (check-run summary)', () => {
  it('has one table row per grant: required roles, who approved, what is missing and who can approve it', () => {
    const md = renderApprovalMarkdown(pending());
    expect(renderApprovalTitle(pending())).toBe('2 approvals missing');
    expect(md).toMatch(/^\*\*2 approvals missing\*\*/);
    expect(md).toContain('| Grant | Change | Sensitivity | Required | Approved by | Missing (who can approve) |');
    expect(md).toContain('| `dev` → `prod-db`<br><sub>access/grants/dev/prod-db.yaml</sub> | new | high | manager, owner | owner: **res-owner** | manager: **mgr** |');
    expect(md).toContain('| `dev` → `logs-read`<br><sub>access/grants/dev/logs-read.yaml</sub> | new | low | nobody | — | — |');
    expect(md).toContain('**Rules change** (`access/resources/aws-prod/logs-read.yaml`): needs an org owner: **owner**');
  });

  it('links files when told how, and mentions people when asked', () => {
    const md = renderApprovalMarkdown(pending(), { linkFile: (f, l) => `https://example.test/blob/${HEAD}/${f}#L${l}`, mention: true });
    expect(md).toContain(`[\`dev\` → \`prod-db\`](https://example.test/blob/${HEAD}/access/grants/dev/prod-db.yaml#L1)`);
    expect(md).toContain('manager: @mgr');
  });

  it('lists located errors (capped) and keeps messages from breaking the table or becoming HTML', () => {
    const result = evaluate([{ path: 'access/grants/dev/prod-db.yaml', head: grant({ reason: '"a | b <script>"', expires: '2026-12-20T00:00:00Z' }) }], []);
    const md = renderApprovalMarkdown(result, { maxErrors: 0 });
    expect(renderApprovalTitle(result)).toBe('Invalid: 1 error');
    expect(md).toContain('invalid file, see errors');
    expect(md).toContain('- … and 1 more');
    const full = renderApprovalMarkdown(result);
    expect(full).toMatch(/- `access\/grants\/dev\/prod-db\.yaml:4:10` `grant\/max-access`: expires/);
    const injected = renderApprovalMarkdown({ ...result, errors: [{ ...result.errors[0]!, message: '<img src=x>' }] });
    expect(injected).toContain('&lt;img src=x&gt;');
    expect(injected).not.toContain('<img');
  });

  it('says when everything is approved', () => {
    const result = evaluate([{ path: 'access/grants/dev/prod-db.yaml', head: grant() }], ['mgr', 'res-owner']);
    expect(renderApprovalTitle(result)).toBe('Approved');
    expect(renderApprovalMarkdown(result)).toContain('| manager: **mgr**<br>owner: **res-owner** | — |');
  });
});

describe('approval comment (plain words)', () => {
  it('carries the marker the app finds its comment by, and explains each grant in a sentence', () => {
    const comment = renderApprovalComment(pending(), { mention: true });
    expect(comment.startsWith(APPROVAL_COMMENT_MARKER)).toBe(true);
    expect(comment).toContain('### ⏳ 2 approvals missing');
    expect(comment).toContain('- @dev → `prod-db` (high): a new grant, which needs approval from the manager and the owner; approved by owner (@res-owner); still waiting for the manager: @mgr.');
    expect(comment).toContain('- @dev → `logs-read` (low): a new grant, so nobody needs to approve it.');
    expect(comment).toContain('an org owner must approve it: @owner.');
  });

  it('asks stale approvers to approve again', () => {
    const result = evaluateApproval({
      rulesAtBase: snapshot(),
      changes: [{ path: 'access/grants/dev/prod-db.yaml', head: grant() }],
      pr: { author: 'dev', headSha: HEAD, baseSha: 'b'.repeat(40), changedFiles: [], reviews: [{ reviewer: 'mgr', state: 'APPROVED', commitSha: 'c'.repeat(40), submittedAt: '2026-11-23T10:00:00Z' }] },
      now: new Date('2026-11-23T12:00:00Z'),
    });
    expect(renderApprovalComment(result)).toContain('Approvals given before the latest push no longer count; **mgr** may approve again.');
  });
});

describe('approval text and JSON', () => {
  it('text: the verdict first, then each grant with its roles and why', () => {
    const text = renderApprovalText(pending(), ['base main (1234567)']);
    const lines = text.split('\n');
    expect(lines[0]).toBe('APPROVALS MISSING: 2 approvals missing across 2 changed grants and the rules change');
    expect(lines[1]).toBe('base main (1234567)');
    expect(text).toContain('access/grants/dev/prod-db.yaml: dev -> prod-db (high), new: pending\n  manager: MISSING (can approve: mgr)\n  owner: approved by res-owner\n  why: a new grant; dev asks for themselves;');
    expect(text).toContain('rules change: access/resources/aws-prod/logs-read.yaml\n  org-owner: MISSING (can approve: owner)');
  });

  it('JSON: approved, grants with required/satisfiedBy/missing, located errors', () => {
    const body = toApprovalJson(pending(), { head: HEAD });
    expect(body).toMatchObject({ head: HEAD, status: 'pending', approved: false, errors: [], approvals: ['res-owner'] });
    expect(body.grants.find((g) => g.resource === 'prod-db')).toEqual({
      file: 'access/grants/dev/prod-db.yaml',
      line: 1,
      user: 'dev',
      resource: 'prod-db',
      change: 'new',
      status: 'pending',
      sensitivity: 'high',
      required: ['manager', 'owner'],
      satisfiedBy: [{ role: 'owner', login: 'res-owner' }],
      missing: [{ role: 'manager', candidates: ['mgr'], why: expect.stringMatching(/mgr manages dev/) }],
      why: expect.any(String),
    });
    expect(body.rulesChange).toMatchObject({ status: 'missing', candidates: ['owner'], satisfiedBy: null });
  });
});
