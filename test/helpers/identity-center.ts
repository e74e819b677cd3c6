import { emptySnapshot, type AccountSnapshot } from '../../src/core/iam/account-snapshot.js';
import type { IdentityCenterState } from '../../src/core/identity-center/identity-center-state.js';

export const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
export const IDENTITY_STORE_ID = 'd-1234567890';
export const permissionSetArn = (name: string) => `${INSTANCE_ARN}/ps-${name.toLowerCase().replace(/[^a-z0-9]/g, '').padEnd(16, '0').slice(0, 16)}`;
export const userId = (name: string) => `user-${name}`;

/** An Identity Center instance written inline: users, permission sets, and `user permissionSet account` assignments. */
export function identityCenterState(spec: { users: string[]; permissionSets: string[]; assignments?: string[]; groupAssignments?: string[] }): IdentityCenterState {
  return {
    Instance: { InstanceArn: INSTANCE_ARN, IdentityStoreId: IDENTITY_STORE_ID, OwnerAccountId: '999988887777' },
    Users: spec.users.map((name) => ({ UserId: userId(name), UserName: name })),
    Groups: [{ GroupId: 'group-admins', DisplayName: 'admins' }],
    PermissionSets: spec.permissionSets.map((name) => ({ Name: name, PermissionSetArn: permissionSetArn(name) })),
    AccountAssignments: [
      ...(spec.assignments ?? []).map((line) => {
        const [user, set, account] = line.split(' ') as [string, string, string];
        return { AccountId: account, PermissionSetArn: permissionSetArn(set), PrincipalType: 'USER' as const, PrincipalId: userId(user) };
      }),
      ...(spec.groupAssignments ?? []).map((line) => {
        const [set, account] = line.split(' ') as [string, string];
        return { AccountId: account, PermissionSetArn: permissionSetArn(set), PrincipalType: 'GROUP' as const, PrincipalId: 'group-admins' };
      }),
    ],
  };
}

export function identityCenterSnapshot(spec: Parameters<typeof identityCenterState>[0]): AccountSnapshot {
  return { ...emptySnapshot(), IdentityCenter: identityCenterState(spec) };
}
