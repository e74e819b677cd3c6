import { readFileSync } from 'node:fs';
import type { Review } from '../core/approval/pull-request.js';
import { outcomes, sayExpiry, type Demo } from './demo.js';

const GRANT = 'access/grants/kramer/prod-admin.yaml';
const SSO_USER = 'kramer@vandelay.example';
const ACCOUNTS = ['111122223333', '444455556666'];

interface IdentityCenterJson {
  Users: { UserId: string; UserName: string }[];
  PermissionSets: { Name: string; PermissionSetArn: string }[];
  AccountAssignments: { AccountId: string; PermissionSetArn: string; PrincipalType: string; PrincipalId: string }[];
}

/** The accounts in which an Identity Center user holds a permission set right now (`ACCOUNT:SET`), from the instance's state file. */
export function assignmentsOf(statePath: string, userName: string): string[] {
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as IdentityCenterJson;
  const user = state.Users.find((u) => u.UserName === userName);
  const setName = (arn: string) => state.PermissionSets.find((p) => p.PermissionSetArn === arn)?.Name ?? arn;
  return state.AccountAssignments.filter((a) => a.PrincipalType === 'USER' && a.PrincipalId === user?.UserId)
    .map((a) => `${a.AccountId}:${setName(a.PermissionSetArn)}`)
    .sort();
}

/**
 * The organisation, after the break-glass story: Kramer asks for `prod-admin`, the AdministratorAccess
 * permission set of IAM Identity Center in both accounts; his manager and the resource's owner approve;
 * apply creates one account assignment per account in the instance (its state file); a day later the
 * expire run deletes both. The audit tells it like any other grant.
 */
export async function walkOrganization(demo: Demo, identityCenterState: string): Promise<void> {
  const held = () => assignmentsOf(identityCenterState, SSO_USER).filter((a) => a.endsWith(':AdministratorAccess'));
  const branch = 'grant/kramer/prod-admin-2026-11-28';

  // 15. The request, across two accounts.
  demo.at('2026-11-28T09:00:00Z');
  demo.heading('15', 'Kramer asks for prod-admin: AdministratorAccess in both accounts, through Identity Center');
  demo.actAs('kramer');
  const request = await demo.grantops(['request', '--resource', 'prod-admin', '--for-duration', '1d', '--reason', 'Migrate the order queue to staging and back (OPS-151)', '--now', demo.now], { code: 0 });
  demo.expectLines(request.out, [new RegExp(`committed on branch ${branch}`), /manager\*\*: @george/, /owner\*\*: @elaine/]);
  demo.at('2026-11-28T09:30:00Z');
  const head = demo.git(['rev-parse', branch]);
  const reviews: Review[] = ['george', 'elaine'].map((reviewer) => ({ reviewer, state: 'APPROVED', commitSha: head, submittedAt: demo.now }));
  const approved = await demo.grantops(['check', '--base', 'main', '--head', branch, '--approvals', 'george,elaine', '--now', demo.now], { code: 0 });
  demo.expectLines(approved.out, [/^APPROVED/, /manager: approved by george/, /owner: approved by elaine/]);

  // 16. Merged: one assignment per account.
  demo.at('2026-11-28T10:00:00Z');
  demo.heading('16', 'Merged: apply creates an account assignment in each account');
  demo.merge(9, branch, 'kramer', 'kramer', reviews);
  demo.check(held().length === 0, 'Kramer held AdministratorAccess in Identity Center before apply');
  const applied = await demo.applyJson();
  for (const op of applied) demo.sayOperation(op);
  demo.check(
    applied.length === 2 && applied.every((op) => op.status === 'done' && op.system === 'sso' && op.action === 'create-account-assignment' && op.grant === GRANT),
    'apply should create exactly Kramer\'s two account assignments',
  );
  demo.check(held().join(' ') === ACCOUNTS.map((a) => `${a}:AdministratorAccess`).join(' '), `the instance should hold Kramer's assignment in both accounts, holds: ${held().join(', ') || 'none'}`);
  demo.say(`the Identity Center instance now assigns ${SSO_USER} AdministratorAccess in ${ACCOUNTS.join(' and ')}`);
  await demo.recordMerge(9, outcomes(applied));
  demo.next('nothing: the access ends by itself at expires (2026-11-29 09:00 UTC)');

  // 17. Expiry removes both.
  demo.at('2026-11-29T10:00:00Z');
  demo.heading('17', 'A day later the expire run deletes both assignments');
  demo.actAs('bot');
  const expired = await demo.expireJson();
  sayExpiry(demo, expired);
  const removed = expired.operations.filter((op) => op.grant === GRANT);
  demo.check(removed.length === 2 && removed.every((op) => op.action === 'delete-account-assignment' && op.status === 'done'), 'expire should delete Kramer\'s two account assignments');
  demo.check(expired.recorded.includes(GRANT), 'expire should record the revocation of prod-admin');
  demo.check(held().length === 0, `the instance still assigns Kramer AdministratorAccess in ${held().join(', ')}`);
  await demo.recordExpiry(outcomes(expired.operations), expired.recorded);
  demo.at('2026-11-29T10:05:00Z');
  demo.merge(10, 'grantops/revoke', 'github-actions', 'head-honcho', []);
  demo.check((await demo.applyJson()).length === 0, 'apply after the revocation should find nothing to do');
  await demo.recordMerge(10, []);
  const audit = await demo.grantops(['audit', '--user', 'kramer', '--resource', 'prod-admin', '--now', demo.now], { code: 0 });
  demo.expectLines(audit.out, [/\| approved \| george \| manager \|/, /\| approved \| elaine \| owner \|/, /\| provisioned \|/, /\| expired \|/, /\| revoked \|/]);
}
