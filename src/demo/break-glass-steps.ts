import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalGitRefReader } from '../adapters/git/git-ref-reader.js';
import { GitGrantLandings } from '../adapters/git/grant-landings.js';
import { GitDecisionNotes } from '../adapters/git/notes.js';
import type { Review } from '../core/approval/pull-request.js';
import { loadAccessRepo } from '../core/load-access-repo.js';
import { judgeBreakGlassGrants } from '../usecases/judge-break-glass-grants.js';
import { readAccessDir } from '../adapters/file/read-access-dir.js';
import { outcomes, sayExpiry, type Demo, type ExpireJson } from './demo.js';

const GRANT = 'access/grants/jerry/admin.yaml';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const IAM_USER = 'jerry.seinfeld';

interface BreakGlassJson {
  breakGlass: { file: string; status: string; source: string; why: string; deadline: string }[];
}

/**
 * Break-glass, after the grant's ordinary life: Jerry, on call, takes `admin` (critical: manager, owner and
 * an executive must approve) at once, twice. The first use is ratified by the three approvers after the
 * merge; the second is not, and the expire run revokes it while it still runs. The audit shows both uses,
 * the ratification, and flags the one nobody ratified.
 */
export async function walkBreakGlass(demo: Demo): Promise<void> {
  /** The expire run's record, then the revocation pull request merged and applied (nothing left to do). */
  const recordRevocation = async (report: ExpireJson, number: number) => {
    await demo.recordExpiry(outcomes(report.operations), report.recorded);
    demo.merge(number, 'grantops/revoke', 'github-actions', 'head-honcho', []);
    demo.check((await demo.applyJson()).length === 0, 'apply after the revocation should find nothing to do');
    await demo.recordMerge(number, []);
  };

  // 10. The emergency.
  demo.at('2026-11-26T03:00:00Z');
  demo.heading('10', 'Production is down: Jerry, on call, breaks glass on admin');
  demo.actAs('jerry');
  const branch1 = 'grant/jerry/admin-2026-11-26';
  const request = await demo.grantops(['request', '--resource', 'admin', '--for-duration', '3h', '--break-glass', '--reason', 'INC-204 orders are not shipping', '--as', 'jerry', '--now', demo.now], { code: 0 });
  demo.expectLines(request.out, [/^BREAK-GLASS: Request admin/m, /\*\*BREAK-GLASS\*\*: approved at once/, /to ratify within 4h of the merge/]);
  const check = await demo.grantops(['check', '--base', 'main', '--head', branch1, '--author', 'jerry', '--now', demo.now], { code: 0 });
  demo.expectLines(check.out, [/^APPROVED/, /new: approved as BREAK-GLASS/, /manager: elaine/, /owner: wilhelm/, /executive: head-honcho or peterman/]);
  demo.at('2026-11-26T03:05:00Z');
  demo.merge(5, branch1, 'jerry', 'jerry', []);
  const applied = await demo.applyJson();
  demo.check(applied.length === 1 && applied[0]!.action === 'attach-user-policy' && demo.policiesOf(IAM_USER).includes(ADMIN), 'apply should give Jerry AdministratorAccess at once');
  await demo.recordMerge(5, outcomes(applied));
  demo.say('the grantops app tells Wilhelm (the owner) and Art (the org owner) at once, and asks Elaine, Wilhelm and an executive to ratify');
  demo.next('the approvers of critical have until 07:05 UTC to ratify it with an approving review of the merged pull request');

  // 11. Ratified, then over.
  demo.at('2026-11-26T04:00:00Z');
  demo.heading('11', 'Elaine, Wilhelm and Art ratify the merged pull request');
  const head1 = demo.pulls.get(5)!.headSha;
  const ratifying: Review[] = ['elaine', 'wilhelm', 'head-honcho'].map((reviewer) => ({ reviewer, state: 'APPROVED', commitSha: head1, submittedAt: demo.now }));
  demo.pulls.get(5)!.reviews.push(...ratifying);
  await recordRatifications(demo);
  demo.at('2026-11-26T06:30:00Z');
  demo.actAs('bot');
  const over = await demo.expireJson<ExpireJson & BreakGlassJson>();
  sayExpiry(demo, over);
  sayStanding(demo, over);
  demo.check(over.breakGlass[0]?.status === 'ratified' && over.breakGlass[0].source === 'record', 'the ratification recorded by the Action should be trusted');
  demo.check(over.revocations.find((r) => r.file === GRANT)?.action === 'delete' && !demo.policiesOf(IAM_USER).includes(ADMIN), 'at its end the ratified grant should go like any other, file and all');
  await recordRevocation(over, 6);

  // 12. Again, and nobody ratifies.
  demo.at('2026-11-27T02:00:00Z');
  demo.heading('12', 'The next night Jerry breaks glass again, for 8 hours; nobody ratifies');
  demo.actAs('jerry');
  const branch2 = 'grant/jerry/admin-2026-11-27';
  await demo.grantops(['request', '--resource', 'admin', '--for-duration', '8h', '--break-glass', '--reason', 'INC-211 payments queue stuck', '--as', 'jerry', '--now', demo.now], { code: 0, show: 'none' });
  demo.at('2026-11-27T02:05:00Z');
  demo.merge(7, branch2, 'jerry', 'jerry', []);
  const again = await demo.applyJson();
  demo.check(again.some((op) => op.grant === GRANT && op.action === 'attach-user-policy') && demo.policiesOf(IAM_USER).includes(ADMIN), 'apply should give Jerry AdministratorAccess again');
  await demo.recordMerge(7, outcomes(again));
  demo.next('the window closes at 06:05 UTC; the access would run until 10:00');

  // 13. Not ratified: revoked while it still runs.
  demo.at('2026-11-27T07:00:00Z');
  demo.heading('13', 'Past the ratification window: the expire run revokes the access at once');
  await recordRatifications(demo);
  demo.actAs('bot');
  const revoked = await demo.expireJson<ExpireJson & BreakGlassJson>();
  sayExpiry(demo, revoked);
  sayStanding(demo, revoked);
  demo.check(revoked.breakGlass[0]?.status === 'unratified', 'the second use should be found unratified');
  demo.check(revoked.revocations.find((r) => r.file === GRANT)?.action === 'delete' && !demo.policiesOf(IAM_USER).includes(ADMIN), 'the unratified access should be removed though it still runs');
  await recordRevocation(revoked, 8);
  demo.say('the owners, the org owners and Jerry are told: break-glass not ratified');

  // 14. The audit.
  demo.at('2026-11-27T07:10:00Z');
  demo.heading('14', 'The auditor sees both uses, the ratification, and the one nobody ratified');
  const audit = await demo.grantops(['audit', '--user', 'jerry', '--resource', 'admin', '--now', demo.now], { code: 0 });
  demo.expectLines(audit.out, [/\| break-glass \| jerry \|/, /\| ratified \| elaine \| manager \|/, /\| ratified \| wilhelm \| owner \|/, /\| ratified \| head-honcho \| executive \|/]);
  const verify = await demo.grantops(['audit', '--verify', '--user', 'jerry', '--resource', 'admin', '--format', 'json', '--now', demo.now], { code: 1, show: 'none' });
  const findings = (JSON.parse(verify.out) as { findings: { rule: string; message: string }[] }).findings;
  for (const f of findings) demo.say(`  finding ${f.rule}: ${f.message}`);
  demo.check(findings.length === 1 && findings[0]!.rule === 'verify/break-glass-unratified' && /#7/.test(findings[0]!.message), 'audit --verify should flag exactly the unratified break-glass use');
  await demo.grantops(['report', '--html', 'report.html', ...demo.stateFlags, '--now', demo.now], { code: 0, show: 'none' });
  const html = readFileSync(join(demo.repo, 'report.html'), 'utf8');
  demo.check(/<tr class="break-glass"><td>jerry<\/td><td>2<\/td><td>1<\/td>/.test(html), 'the access report should count two break-glass uses by Jerry, one ratified');
  demo.say('the access report (grantops report --html) counts Jerry\'s break-glass uses: 2, of which 1 ratified');
}

/** What the Action's scheduled expire run does first: read the merged pull requests' reviews and record each ratification. */
async function recordRatifications(demo: Demo): Promise<void> {
  const snapshot = await readAccessDir(demo.repo, 'access');
  const { repo } = loadAccessRepo(snapshot, new Date(demo.now));
  const judged = await judgeBreakGlassGrants(
    repo,
    {
      refs: new LocalGitRefReader(demo.repo),
      landings: new GitGrantLandings(demo.repo),
      notes: new GitDecisionNotes(demo.repo),
      pulls: { readMergedPullRequest: async (n) => demo.pulls.get(n)! },
      record: { notes: demo.notes() },
    },
    { now: new Date(demo.now) },
  );
  for (const s of judged.standings) demo.say(`the expire workflow reads pull request #${s.pullRequest} on GitHub: ${s.status}${s.recorded ? ', recorded as a decision note (refs/notes/grantops)' : ''}`);
}

function sayStanding(demo: Demo, report: BreakGlassJson): void {
  for (const b of report.breakGlass) demo.say(`  break-glass ${b.file}: ${b.status.toUpperCase()} (${b.source === 'record' ? 'from the recorded ratification' : 'no ratification recorded'}): ${b.why}`);
}
