import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Review } from '../core/approval/pull-request.js';
import { walkBreakGlass } from './break-glass-steps.js';
import { Demo, outcomes, sayExpiry } from './demo.js';
import { assignmentsOf, walkOrganization } from './organization-steps.js';

/**
 * `npm run demo`: the whole life of one grant, with the real commands, on a temporary copy of the Vandelay
 * Industries example (`access/`) and its systems (two accounts and an Identity Center instance: the file
 * provider's states, `examples/aws-state.json` and `examples/state/<system>.json`).
 * It stands in only for what needs GitHub: the reviews, the merge button, and the decision notes the
 * Action writes after applying a merge and after an expire run. Every step's exit code and key facts are checked; the demo fails
 * at the first step that does not behave as the rules say.
 */

export interface DemoOptions {
  /** The project root: where `access/` and the example's state files (`examples/`) are. */
  source: string;
  print: (line: string) => void;
  /** Leave the temporary repository in place (its path is printed). */
  keep?: boolean;
}

export interface DemoResult {
  ok: boolean;
  /** Facts checked along the way. */
  checks: number;
  failure?: string;
}

const GRANT = 'access/grants/kramer/prod-deploy.yaml';
const POLICY = 'arn:aws:iam::aws:policy/AWSCodeDeployFullAccess';
const IAM_USER = 'cosmo.kramer';
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { print } = options;
  const work = mkdtempSync(join(tmpdir(), 'grantops-demo-'));
  const repo = join(work, 'vandelay-access');
  const state = join(work, 'aws', 'aws-prod.json');
  // Commands run in the repository; each system's state file lies beside it, as the AWS accounts would.
  const flags = ['--state', join('..', 'aws', 'aws-prod.json'), ...['aws-staging', 'sso'].flatMap((id) => ['--state', `${id}=${join('..', 'aws', `${id}.json`)}`])];
  const demo = new Demo(repo, state, flags, print);
  print('grantops demo: the life of one grant at Vandelay Industries, with the real commands.');
  print(`A git repository with the example organisation (access/) is made in ${work}, beside copies of its two AWS`);
  print('accounts and its Identity Center instance (aws/*.json, the file provider). The demo plays GitHub\'s part: the');
  print('reviews, the merge button, and the decision notes the Action records after apply and expire runs. The clock moves with --now.');
  try {
    await walk(demo, options.source, work);
    print('');
    print(`Demo complete: every step behaved as the rules say (${demo.checks} checks).`);
    return { ok: true, checks: demo.checks };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    print('');
    print(`DEMO FAILED at ${demo.now}: ${message}`);
    return { ok: false, checks: demo.checks, failure: message };
  } finally {
    if (options.keep) print(`(the repository is kept in ${repo})`);
    else rmSync(work, { recursive: true, force: true });
  }
}

async function walk(demo: Demo, source: string, work: string): Promise<void> {
  const branch1 = 'grant/kramer/prod-deploy-2026-11-22';
  const branch2 = 'grant/kramer/prod-deploy-2026-11-24';

  // 0. The organisation's repository and its AWS account.
  demo.at('2026-11-22T09:00:00Z');
  mkdirSync(demo.repo);
  cpSync(join(source, 'access'), join(demo.repo, 'access'), { recursive: true });
  mkdirSync(join(work, 'aws'));
  cpSync(join(source, 'examples', 'aws-state.json'), demo.state);
  for (const id of ['aws-staging', 'sso']) cpSync(join(source, 'examples', 'state', `${id}.json`), join(work, 'aws', `${id}.json`));
  demo.git(['init', '-q', '-b', 'main']);
  demo.actAs('art');
  demo.git(['add', 'access']);
  demo.git(['commit', '-q', '-m', 'Vandelay Industries: people, resources and grants']);
  demo.heading('0', 'Vandelay Industries keeps its access in git');
  demo.say('a new repository with the example organisation (access/): the production and staging accounts and the Identity');
  demo.say('Center instance are files beside it (aws/aws-prod.json, aws/aws-staging.json, aws/sso.json)');
  await demo.grantops(['validate'], { code: 0 });
  await demo.grantops(['apply', ...demo.stateFlags, '--now', demo.now], { code: 0 });
  demo.check(assignmentsOf(join(work, 'aws', 'sso.json'), 'jerry@vandelay.example').includes('444455556666:ReadOnlyAccess'), 'apply should give Jerry ReadOnlyAccess in the staging account through Identity Center');
  demo.say('the accounts now match the grants; from here on, one grant is followed through its whole life');

  // 1. The request.
  demo.at('2026-11-22T09:05:00Z');
  demo.heading('1', 'Kramer asks for prod-deploy (high sensitivity) for one day');
  demo.actAs('kramer');
  const request = await demo.grantops(
    ['request', '--resource', 'prod-deploy', '--for-duration', '1d', '--approval-ttl', '3d', '--reason', 'Deploy the new order pipeline (OPS-140)', '--now', demo.now],
    { code: 0 },
  );
  demo.expectLines(request.out, [new RegExp(`committed on branch ${branch1}`), /manager\*\*: @george/, /owner\*\*: @elaine/]);
  demo.next('Kramer pushes the branch and opens the pull request (#1); George (his manager) and Elaine (the owner of prod-deploy) must approve');

  // 2-4. The approvals.
  demo.at('2026-11-22T09:10:00Z');
  demo.heading('2', 'The grantops check on pull request #1: who must still approve?');
  const none = await demo.grantops(['check', '--base', 'main', '--head', branch1, '--now', demo.now], { code: 1 });
  demo.expectLines(none.out, [/manager: MISSING \(can approve: george\)/, /owner: MISSING \(can approve: elaine\)/]);
  demo.next('George and Elaine review');

  demo.at('2026-11-22T09:30:00Z');
  demo.heading('3', 'George, Kramer\'s manager, approves');
  const head1 = demo.git(['rev-parse', branch1]);
  const georgeReview: Review = { reviewer: 'george', state: 'APPROVED', commitSha: head1, submittedAt: demo.now };
  const one = await demo.grantops(['check', '--base', 'main', '--head', branch1, '--approvals', 'george', '--now', demo.now], { code: 1 });
  demo.expectLines(one.out, [/manager: approved by george/, /owner: MISSING \(can approve: elaine\)/]);
  demo.next('still missing the owner: Elaine');

  demo.at('2026-11-22T09:45:00Z');
  demo.heading('4', 'Elaine, the owner of prod-deploy, approves');
  const elaineReview: Review = { reviewer: 'elaine', state: 'APPROVED', commitSha: head1, submittedAt: demo.now };
  const both = await demo.grantops(['check', '--base', 'main', '--head', branch1, '--approvals', 'george,elaine', '--now', demo.now], { code: 0 });
  demo.expectLines(both.out, [/^APPROVED/, /owner: approved by elaine/]);
  demo.next('the check passes, so the pull request may be merged');

  // 5. Merge and apply.
  demo.at('2026-11-22T10:00:00Z');
  demo.heading('5', 'Merged: the apply workflow gives Kramer the access');
  demo.merge(1, branch1, 'kramer', 'kramer', [georgeReview, elaineReview]);
  demo.check(!demo.policiesOf(IAM_USER).includes(POLICY), 'Kramer held the policy before apply');
  const applied = await demo.applyJson();
  for (const op of applied) demo.sayOperation(op);
  demo.check(applied.length === 1 && applied[0]!.action === 'attach-user-policy' && applied[0]!.grant === GRANT, 'apply should attach exactly Kramer\'s new policy');
  demo.check(demo.policiesOf(IAM_USER).includes(POLICY), 'the account does not hold the policy after apply');
  await demo.recordMerge(1, outcomes(applied));
  demo.next('nothing: the access ends by itself at expires (2026-11-23 09:05 UTC)');

  // 6. Expiry.
  demo.at('2026-11-23T10:00:00Z');
  demo.heading('6', 'A day later, past expires: the scheduled expire run removes the access');
  demo.actAs('bot');
  const expired = await demo.expireJson();
  sayExpiry(demo, expired);
  demo.check(expired.recorded.length === 1 && expired.recorded[0] === GRANT, 'expire should revoke exactly Kramer\'s grant');
  demo.check(expired.revocations[0]?.action === 'mark-expired', 'while the approval is valid, the grant is kept as expired');
  demo.check(Date.parse(demo.git(['log', '-1', '--format=%cI', 'grantops/revoke'])) === Date.parse(demo.now), 'the revocation commit is not dated by --now');
  demo.check(!demo.policiesOf(IAM_USER).includes(POLICY), 'the account still holds the policy after expire');
  await demo.recordExpiry(outcomes(expired.operations), expired.recorded);
  const revoke1 = await demo.grantops(['check', '--base', 'main', '--head', 'grantops/revoke', '--author', 'github-actions', '--now', demo.now], { code: 0 });
  demo.expectLines(revoke1.out, [/give-up: approved/, /needs nobody's approval/]);
  demo.at('2026-11-23T10:05:00Z');
  demo.merge(2, 'grantops/revoke', 'github-actions', 'head-honcho', []);
  const noop1 = await demo.applyJson();
  demo.check(noop1.length === 0, 'apply after the revocation should find nothing to do');
  await demo.recordMerge(2, []);
  demo.next('Kramer may renew without anyone\'s approval until approvalExpires (2026-11-25 09:05 UTC)');

  // 7. Renewal inside the approval window.
  demo.at('2026-11-24T09:00:00Z');
  demo.heading('7', 'Kramer renews inside the approval window');
  demo.actAs('kramer');
  const renewal = await demo.grantops(['request', '--resource', 'prod-deploy', '--for-duration', '1d', '--now', demo.now], { code: 0 });
  demo.expectLines(renewal.out, [/^Renew prod-deploy/m, /Approved at once, no reviewer needed/, new RegExp(`committed on branch ${branch2}`)]);
  demo.at('2026-11-24T09:01:00Z');
  const renewCheck = await demo.grantops(['check', '--base', 'main', '--head', branch2, '--now', demo.now], { code: 0 });
  demo.expectLines(renewCheck.out, [/renewal: approved/, /needs nobody's approval/]);
  demo.at('2026-11-24T09:10:00Z');
  demo.merge(3, branch2, 'kramer', 'kramer', []);
  const reapplied = await demo.applyJson();
  for (const op of reapplied) demo.sayOperation(op);
  demo.check(reapplied.length === 1 && reapplied[0]!.action === 'attach-user-policy', 'apply should attach the policy again');
  await demo.recordMerge(3, outcomes(reapplied));
  demo.next('nothing: the renewed access ends at 2026-11-25 09:00 UTC, and the approval at 09:05');

  // 8. Past the approval: the grant is deleted.
  demo.at('2026-11-25T10:00:00Z');
  demo.heading('8', 'Past approvalExpires: the next expire run deletes the grant');
  demo.actAs('bot');
  const deleted = await demo.expireJson();
  sayExpiry(demo, deleted);
  demo.check(deleted.recorded.length === 1 && deleted.revocations[0]?.action === 'delete', 'once the approval has expired too, the grant file is deleted');
  demo.check(!demo.policiesOf(IAM_USER).includes(POLICY), 'the account still holds the policy after the second expire');
  await demo.recordExpiry(outcomes(deleted.operations), deleted.recorded);
  demo.at('2026-11-25T10:05:00Z');
  demo.merge(4, 'grantops/revoke', 'github-actions', 'head-honcho', []);
  const noop2 = await demo.applyJson();
  demo.check(noop2.length === 0, 'apply after the deletion should find nothing to do');
  await demo.recordMerge(4, []);
  demo.check(demo.git(['ls-tree', '--name-only', 'HEAD', GRANT]) === '', 'the grant file is still on main');
  demo.next('from now on Kramer must ask again, with the full approval');

  // 9. The audit.
  demo.at('2026-11-25T10:10:00Z');
  demo.heading('9', 'The auditor reads the whole story from git');
  demo.check(demo.datedByClock(['main', 'refs/notes/grantops']), 'a commit of the history is not dated by the demo\'s clock');
  const audit = await demo.grantops(['audit', '--user', 'kramer', '--resource', 'prod-deploy', '--now', demo.now], { code: 0 });
  demo.expectLines(audit.out, [
    /\| requested \| kramer \|/,
    /\| approved \| george \| manager \|/,
    /\| approved \| elaine \| owner \|/,
    /\| merged \|/,
    /\| provisioned \|/,
    /\| expired \|/,
    /\| revoked \|/,
    /\| renewed \|/,
    /\| deleted \|/,
    /Changes that reached the default branch without a valid decision record: 0/,
  ]);
  demo.say('--verify judges every recorded decision again, with the rules as they stood at the time:');
  const verify = await demo.grantops(['audit', '--verify', '--user', 'kramer', '--resource', 'prod-deploy', '--format', 'json', '--now', demo.now], { code: 0, show: 'none' });
  const findings = (JSON.parse(verify.out) as { findings?: unknown[] }).findings;
  demo.check(Array.isArray(findings) && findings.length === 0, `audit --verify found problems: ${JSON.stringify(findings)}`);
  demo.say('  0 findings: each change of the grant has a decision record that satisfies the rules of its time');

  await walkBreakGlass(demo);
  await walkOrganization(demo, join(work, 'aws', 'sso.json'));
}

