import type { AccessReport } from '../../src/core/report/access-report.js';
import { esc, renderReportHtml } from '../../src/render/report-html.js';

const HOSTILE = `<img src=x onerror="alert(1)">&'`;

function report(overrides: Partial<AccessReport> = {}): AccessReport {
  return {
    org: `Evil <script>alert("org")</script> Corp`,
    at: '2026-11-24T00:00:00.000Z',
    horizonDays: 14,
    levels: [
      { name: 'low', rank: 0 },
      { name: 'medium', rank: 1 },
      { name: 'high', rank: 2 },
    ],
    systems: ['aws-prod'],
    resources: [
      { id: 'prod-db', system: 'aws-prod', description: HOSTILE, sensitivity: 'high', rank: 2, owners: ['george'], provision: 'auto', grants: 'policy arn:aws:iam::aws:policy/X' },
      { id: 'logs', system: 'aws-prod', sensitivity: 'low', rank: 0, owners: ['elaine'], provision: 'manual', grants: 'group logs' },
    ],
    people: [{ login: 'kramer', name: `Cosmo ${HOSTILE}`, iamUser: 'cosmo.kramer' }],
    peopleWithoutAccess: 2,
    cells: [
      { person: 'kramer', resource: 'prod-db', state: 'expiring', grant: 'access/grants/kramer/prod-db.yaml', reason: HOSTILE, expires: '2026-11-27T00:00:00Z', inIam: false },
      { person: 'kramer', resource: 'logs', state: 'unmanaged', inIam: true },
    ],
    expiring: [{ what: 'access', person: 'kramer', resource: 'prod-db', grant: 'access/grants/kramer/prod-db.yaml', at: '2026-11-27T00:00:00Z', inDays: 3, renewable: true }],
    risk: [{ person: 'kramer', name: 'Cosmo', system: 'aws-prod', iamUser: 'cosmo.kramer', score: 37, categories: ['service-wildcard'], holds: 2 }],
    unexplained: [{ system: 'aws-prod', iamUser: 'cosmo.kramer', person: 'kramer', kind: 'group', target: 'logs', status: 'unmanaged', resources: ['logs'], grants: [] }],
    recommendations: [{ rule: 'access/no-expiry', subject: 'user/cosmo.kramer', reason: `holds ${HOSTILE}`, action: 'adopt it with `grantops import`' }],
    activity: { available: false, why: 'the access directory is not in a git clone' },
    ...overrides,
  };
}

describe('renderReportHtml', () => {
  it('escapes every value from the repository and the account', () => {
    const html = renderReportHtml(report());
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('Evil &lt;script&gt;alert(&quot;org&quot;)&lt;/script&gt; Corp');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;');
    // Exactly one script: the page's own filter.
    expect(html.match(/<script/g)).toHaveLength(1);
    // Backticked commands in recommendations become code, still escaped around them.
    expect(html).toContain('adopt it with <code>grantops import</code>');
  });

  it('is self-contained: a policy that forbids every request, and no URL to load', () => {
    const html = renderReportHtml(report());
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    expect(html).not.toMatch(/(src|href)="(?!#)/);
    expect(html).not.toMatch(/@import|url\(|https?:\/\//);
  });

  it('colours each sensitivity level from green to red, and marks cells by state and by what IAM holds', () => {
    const html = renderReportHtml(report());
    expect(html).toContain('.s0{--tint:hsl(140 70% 90%)');
    expect(html).toContain('.s2{--tint:hsl(0 70% 90%)');
    expect(html).toContain('<td class="cell expiring s2" data-resource="prod-db" data-state="expiring" data-grant="access/grants/kramer/prod-db.yaml" data-flag="1"');
    expect(html).toContain('⚠ not in IAM yet');
    expect(html).toMatch(/<td class="cell unmanaged s0" data-resource="logs" data-state="unmanaged"/);
  });

  it('says why approvals and revocations are missing, and lists them when the history is there', () => {
    expect(renderReportHtml(report())).toContain('Not available: the access directory is not in a git clone.');
    const html = renderReportHtml(
      report({
        activity: {
          available: true,
          sinceDays: 30,
          truncated: 3,
          events: [{ kind: 'approval', type: 'approved', at: '2026-11-20T10:00:00Z', person: 'kramer', resource: 'prod-db', grant: 'g', by: 'george', role: 'owner', pr: 12, commit: 'abcdef1234', details: 'owner met' }],
        },
      }),
    );
    expect(html).toContain('<span class="kind approval">approval</span> approved');
    expect(html).toContain('george <small>as owner</small>');
    expect(html).toContain('#12 <code>abcdef1</code>');
    expect(html).toContain('3 older events not shown');
  });

  it('gives each ending access its renewal line, and no fixed duration in the section\'s text', () => {
    const html = renderReportHtml(
      report({ expiring: [{ what: 'access', person: 'kramer', resource: 'prod-db', grant: 'g', at: '2026-11-27T00:00:00Z', inDays: 3, renewable: true, renewal: 'grantops request --resource prod-db --for-duration 1w' }] }),
    );
    const section = html.slice(html.indexOf('<section id="expiring">'), html.indexOf('</section>', html.indexOf('<section id="expiring">')));
    expect(section).toContain('renewable without review (the approval outlives the access)<br><code class="renewal">grantops request --resource prod-db --for-duration 1w</code>');
    expect(section).toContain('--for-duration &lt;up to the resource\'s maxAccess&gt;');
    expect(section).not.toMatch(/--resource ID --for-duration \d/);
  });

  it('esc leaves plain text alone and escapes the five characters that matter', () => {
    expect(esc('prod-db 2026')).toBe('prod-db 2026');
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
