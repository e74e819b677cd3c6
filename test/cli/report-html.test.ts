import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { parse } from 'yaml';
import { findChromium } from '../helpers/chromium.js';
import { EXAMPLE_STATES, REPO_ROOT, runCli } from '../helpers/cli.js';

/**
 * The report of the example organisation (access/ and examples/aws-state.json) opened in a real browser:
 * Debian's chromium, driven by playwright-core. A missing browser fails the test.
 */
const NOW = '2026-11-24T00:00:00Z';
const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');

let root: string;
let out: string;
let orgOut: string;
let context: BrowserContext;
let profile: string;

describe('grantops report --html in a browser', () => {
  // Only this block starts the browser; the tests of the git clone below need none.
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'grantops-report-'));
    cpSync(join(REPO_ROOT, 'access'), join(root, 'access'), { recursive: true });
    cpSync(join(REPO_ROOT, 'examples'), join(root, 'examples'), { recursive: true });
    out = join(root, 'report.html');
    // Each system of the organisation reads its own state file under examples/: no --state needed.
    const run = await runCli(['report', '--html', 'report.html', '--now', NOW], root);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toBe('wrote report.html: 9 people x 11 resources, 4 ending within 14 days, 8 attachments no live grant explains');

    // The organisation with two accounts and Identity Center, its instance grown by an assignment nobody
    // granted (Kramer's read-only in one account) and one of a user people.yaml does not know.
    const grown = join(root, 'grown');
    for (const dir of ['access', 'examples']) cpSync(join(REPO_ROOT, dir), join(grown, dir), { recursive: true });
    const ssoPath = join(grown, 'examples/state/sso.json');
    const sso = JSON.parse(readFileSync(ssoPath, 'utf8')) as { Users: object[]; PermissionSets: { Name: string; PermissionSetArn: string }[]; AccountAssignments: object[] };
    const arn = (name: string) => sso.PermissionSets.find((p) => p.Name === name)!.PermissionSetArn;
    sso.Users.push({ UserId: 'u-bob', UserName: 'bob.sacamano@vandelay.example' });
    sso.AccountAssignments.push(
      { AccountId: '111122223333', PermissionSetArn: arn('ReadOnlyAccess'), PrincipalType: 'USER', PrincipalId: '90670003-aaaa-bbbb-cccc-000000000003' },
      { AccountId: '444455556666', PermissionSetArn: arn('AdministratorAccess'), PrincipalType: 'USER', PrincipalId: 'u-bob' },
    );
    writeFileSync(ssoPath, JSON.stringify(sso));
    orgOut = join(grown, 'org-report.html');
    const org = await runCli(['report', '--html', 'org-report.html', '--now', NOW], grown);
    expect(org).toMatchObject({ code: 0, err: '' });
    expect(org.out).toBe('wrote org-report.html: 9 people x 11 resources, 4 ending within 14 days, 10 attachments no live grant explains');

    profile = mkdtempSync(join(tmpdir(), 'grantops-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: findChromium(),
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it('shows the example organisation with no request beyond the file itself, and filters rows', async () => {
    const requested: string[] = [];
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      requested.push(url);
      if (url.startsWith('file:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') failures.push(m.text());
    });
    await page.goto(pathToFileURL(out).href);

    expect(await page.title()).toBe('Access report: Vandelay Industries');
    // Columns: most sensitive first; a permission set in two accounts has a column per account.
    expect(await page.$$eval('table.matrix thead th.res', (ths) => ths.map((th) => `${th.getAttribute('data-resource')}${th.getAttribute('data-account') ? `@${th.getAttribute('data-account')}` : ''}`))).toEqual([
      'admin',
      'billing-admin',
      'prod-admin@111122223333',
      'prod-admin@444455556666',
      'prod-db-admin',
      'prod-deploy',
      'developers',
      'support-tickets',
      'prod-data-read',
      'read-only@111122223333',
      'read-only@444455556666',
      'staging-deploy',
      'billing-view',
    ]);
    // Every filled cell, as person/resource -> state (+ a flag where IAM differs from the grant).
    const cells = await page.$$eval('table.matrix tbody tr', (rows) =>
      Object.fromEntries(
        rows.flatMap((tr) =>
          [...tr.querySelectorAll('td[data-state]')].map((td) => [
            `${tr.getAttribute('data-person')}/${td.getAttribute('data-resource')}${td.getAttribute('data-account') ? `@${td.getAttribute('data-account')}` : ''}`,
            `${td.getAttribute('data-state')}${td.hasAttribute('data-flag') ? '!' : ''}`,
          ]),
        ),
      ),
    );
    expect(cells).toEqual({
      'bania/developers': 'unmanaged',
      'george/prod-deploy': 'expiring',
      'head-honcho/admin': 'unmanaged',
      'jerry/developers': 'expiring',
      'jerry/read-only@111122223333': 'active', // assigned in production
      'jerry/read-only@444455556666': 'active!', // the Identity Center assignment in staging is not made yet
      'kramer/prod-data-read': 'expiring!', // granted, not applied to the account yet
      'newman/support-tickets': 'expiring',
      'peterman/billing-admin': 'unmanaged',
      'puddy/prod-data-read': 'expired!', // expired, still attached in the account
      'puddy/staging-deploy': 'active!', // the role's trust statement is not written yet
      'susan/billing-view': 'active',
    });
    expect(await page.locator('td[data-resource="prod-data-read"][data-state="expiring"] .flag').innerText()).toBe('⚠ not in IAM yet');

    const expiring = await page.$$eval('table.expiring tbody tr', (rows) => rows.map((tr) => [...tr.querySelectorAll('td')].slice(0, 4).map((td) => (td as unknown as { innerText: string }).innerText.replace(/\s+/g, ' ').trim())));
    expect(expiring).toEqual([
      ['2026-11-27 in 3 days', 'access ends', 'george', 'prod-deploy high'],
      ['2026-11-30 in 6 days', 'access ends', 'newman', 'support-tickets medium'],
      ['2026-12-04 in 10 days', 'access ends', 'jerry', 'developers medium'],
      ['2026-12-07 in 13 days', 'access ends', 'kramer', 'prod-data-read low'],
    ]);
    // Each renewal line asks for what the resource allows (high 7d, medium 14d, low 30d), not one fixed number.
    expect(await page.locator('table.expiring code.renewal').allInnerTexts()).toEqual([
      'grantops request --resource prod-deploy --for-duration 1w',
      'grantops request --resource support-tickets --for-duration 2w',
      'grantops request --resource developers --for-duration 2w',
      'grantops request --resource prod-data-read --for-duration 30d',
    ]);
    expect(await page.locator('#activity .empty').innerText()).toBe('Not available: the access directory is not in a git clone, so there is no history to read.');
    expect(await page.locator('table.risk tbody tr').first().getAttribute('data-user')).toBe('art.vandelay');
    // 5 unmanaged IAM attachments, Puddy's ended grant, George's Billing assignment and the platform-admins group's.
    expect(await page.locator('table.unmanaged tbody tr').count()).toBe(8);

    await expectFiguresFromRows(page, join(root, 'access', 'people.yaml'));

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });

    await page.fill('#person-filter', 'kram');
    expect(await page.locator('table.matrix tbody tr:not([hidden])').count()).toBe(1);
    await page.fill('#person-filter', '');
    await page.selectOption('#state-filter', 'unmanaged');
    expect(await page.locator('#row-count').innerText()).toBe('3 people');

    expect(failures).toEqual([]);
    expect(blocked).toEqual([]);
    expect(requested).toEqual([pathToFileURL(out).href]);
    await page.close();
  });


  it('shows Identity Center assignments as person x permission set@account, with the same semantics and figures', async () => {
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    await page.goto(pathToFileURL(orgOut).href);
    // A resource giving a permission set in two accounts has a column per account.
    const columns = await page.$$eval('table.matrix thead th.res', (ths) => ths.map((th) => `${th.getAttribute('data-resource')}${th.getAttribute('data-account') ? `@${th.getAttribute('data-account')}` : ''}`));
    expect(columns.filter((c) => c.startsWith('prod-admin') || c.startsWith('read-only'))).toEqual(['prod-admin@111122223333', 'prod-admin@444455556666', 'read-only@111122223333', 'read-only@444455556666']);
    expect(await page.locator('th.res[data-resource="read-only"][data-account="444455556666"] .res-account').innerText()).toBe('ReadOnlyAccess@444455556666');
    const cells = await page.$$eval('table.matrix tbody tr', (rows) =>
      Object.fromEntries(
        rows.flatMap((tr) =>
          [...tr.querySelectorAll('td[data-account]')].map((td) => [`${tr.getAttribute('data-person')}/${td.getAttribute('data-resource')}@${td.getAttribute('data-account')}`, `${td.getAttribute('data-state')}${td.hasAttribute('data-flag') ? '!' : ''}`]),
        ),
      ),
    );
    expect(cells).toEqual({
      'jerry/read-only@111122223333': 'active', // assigned, as the grant says
      'jerry/read-only@444455556666': 'active!', // granted, not assigned yet: apply adds it
      'kramer/read-only@111122223333': 'unmanaged', // assigned, and no grant of Kramer's names it
    });
    // Jerry's one grant fills two cells and counts once.
    expect(await page.locator('td[data-grant$="jerry/read-only.yaml"]').count()).toBe(2);
    expect(await page.locator('tr[data-person="jerry"] .login').innerText()).toBe('jerry · IAM jerry.seinfeld · Identity Center jerry@vandelay.example');
    // Assignments nothing explains: George's Billing, the group's and Bob's (nobody in people.yaml), with Kramer's.
    const unmanaged = await page.$$eval('table.unmanaged tbody tr[data-system="sso"]', (rows) => rows.map((tr) => `${tr.getAttribute('data-principal') ?? 'user'} ${tr.getAttribute('data-user')} ${tr.getAttribute('data-person') ?? '-'}: ${(tr.children[1] as unknown as { innerText: string }).innerText}`));
    expect(unmanaged.sort()).toEqual([
      'group platform-admins -: permission set AdministratorAccess in account 111122223333',
      'user bob.sacamano@vandelay.example -: permission set AdministratorAccess in account 444455556666',
      'user george@vandelay.example george: permission set Billing in account 111122223333',
      'user kramer@vandelay.example kramer: permission set ReadOnlyAccess in account 111122223333',
    ]);
    expect(await page.locator('#unmanaged .recs li', { hasText: 'access/no-person' }).count()).toBe(1);
    await expectFiguresFromRows(page, join(root, 'grown', 'access/people.yaml'));
    // Bob is counted as a user with only unexplained access; the group is not a user.
    expect(await page.locator('.card', { hasText: 'people with access' }).locator('.note').innerText()).toMatch(/^\d+ more users? with only unexplained access; /);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report-organization.png'), fullPage: true });
    expect(failures).toEqual([]);
    await page.close();
  });
});

describe('grantops report --html in a git clone', () => {
  it('lists the changes of the access directory from its history', async () => {
    const clone = mkdtempSync(join(tmpdir(), 'grantops-report-git-'));
    try {
      cpSync(join(REPO_ROOT, 'access'), join(clone, 'access'), { recursive: true });
      // A fixed commit time (simple-git refuses to pass GIT_*_DATE), so the 30-day window is certain.
      const git = (...args: string[]) =>
        execFileSync('git', args, { cwd: clone, env: { ...process.env, GIT_AUTHOR_DATE: '2026-11-20T09:00:00Z', GIT_COMMITTER_DATE: '2026-11-20T09:00:00Z' } });
      git('init', '-q', '-b', 'main');
      git('config', 'user.name', 'Art Vandelay');
      git('config', 'user.email', 'art@vandelay.example');
      git('add', 'access');
      git('commit', '-q', '-m', 'Vandelay Industries: the first grants');
      const run = await runCli(['report', '--html', 'out.html', '--now', NOW, ...EXAMPLE_STATES], clone);
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/, 8 approvals and revocations in 30 days$/);
      const html = readFileSync(join(clone, 'out.html'), 'utf8');
      // Pushed straight to the branch, with no pull request: flagged, not counted as approved.
      expect(html.match(/<tr class="unreviewed" data-type="pushed">/g)).toHaveLength(8);
      expect(html).toContain('2026-11-20 09:00 UTC');
      expect(html).toContain('<td>head-honcho</td>'); // the author, resolved to a login by the e-mail of people.yaml
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it('refuses an access directory that does not validate, and writes nothing', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'grantops-report-bad-'));
    try {
      cpSync(join(REPO_ROOT, 'access'), join(broken, 'access'), { recursive: true });
      cpSync(join(REPO_ROOT, 'test', 'cli', 'report-html.test.ts'), join(broken, 'access', 'people.yaml'));
      const run = await runCli(['report', '--html', 'out.html', '--now', NOW], broken);
      expect(run.code).toBe(2);
      expect(run.err).toMatch(/access\/people\.yaml:\d+:\d+/);
      expect(() => readFileSync(join(broken, 'out.html'))).toThrow();
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});

/** Every figure of the header is counted from the rows the same page shows. */
async function expectFiguresFromRows(page: Page, peopleFile: string): Promise<void> {
  const cards = await page.$$eval('.card', (els) =>
    Object.fromEntries(els.map((el) => [el.querySelector('.label')!.textContent!, { value: Number(el.querySelector('.value')!.textContent), note: el.querySelector('.note')!.textContent! }])),
  );
  const count = (selector: string) => page.locator(selector).count();
  expect(cards['people with access']!.value).toBe(await count('table.matrix tbody tr'));
  const grantsIn = async (states: string) => new Set(await page.$$eval(states, (tds) => tds.map((td) => td.getAttribute('data-grant')))).size;
  expect(cards['live grants']!.value).toBe(await grantsIn('table.matrix td[data-state="active"], table.matrix td[data-state="expiring"]'));
  const expired = await grantsIn('table.matrix td[data-state="expired"]');
  expect(cards['live grants']!.note).toBe(`${expired} expired grant${expired === 1 ? '' : 's'} kept for renewal`);
  expect(cards['ending within 14 days']!.value).toBe(await page.locator('table.expiring tbody tr', { hasText: 'access ends' }).count());
  expect(cards['attachments no live grant explains']!.value).toBe(await count('table.unmanaged tbody tr'));
  expect(cards['attachments no live grant explains']!.note).toBe(`${await count('table.unmanaged tr.unmanaged')} with no grant, ${await count('table.unmanaged tr.expired-grant')} whose grant has ended`);
  expect(await page.locator('#unmanaged h2').innerText()).toBe(`Unmanaged access (${await count('table.unmanaged tbody tr')})`);
  const everyone = (parse(readFileSync(peopleFile, 'utf8')) as { login: string }[]).map((p) => p.login);
  const holdSomething = new Set([
    ...(await page.$$eval('table.matrix tbody tr', (rows) => rows.map((tr) => tr.getAttribute('data-person')!))),
    ...(await page.$$eval('table.unmanaged tbody tr[data-person]', (rows) => rows.map((tr) => tr.getAttribute('data-person')!))),
  ]);
  const holdNothing = everyone.filter((login) => !holdSomething.has(login));
  expect(cards['people with access']!.note).toMatch(new RegExp(`(^|; )${holdNothing.length} in people\\.yaml hold nothing$`));
  const withOnlyUnexplained = new Set(
    await page.$$eval('table.unmanaged tbody tr:not([data-principal="group"])', (rows) => rows.map((tr) => tr.getAttribute('data-person') ?? `${tr.getAttribute('data-system')}:${tr.getAttribute('data-user')}`)),
  );
  for (const p of await page.$$eval('table.matrix tbody tr', (rows) => rows.map((tr) => tr.getAttribute('data-person')!))) withOnlyUnexplained.delete(p);
  const more = withOnlyUnexplained.size;
  expect(cards['people with access']!.note.startsWith(more === 0 ? `${holdNothing.length} ` : `${more} more user${more === 1 ? '' : 's'} with only unexplained access; `)).toBe(true);
}
