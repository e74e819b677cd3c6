import { decodePolicyDocument, list } from '../iam/parse-account-snapshot.js';
import type { AccountAssignment, IdentityCenterState, PermissionSetDetail } from './identity-center-state.js';

function text(value: unknown, what: string, origin: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${origin}: ${what} must be a non-empty string`);
  return value;
}

/**
 * Reads an Identity Center state (`Instance`, `Users`, `Groups`, `PermissionSets`, `AccountAssignments`,
 * in the API's field names). Entries without the ids the plan keys on are refused, naming `origin`.
 */
export function parseIdentityCenterState(data: Record<string, unknown>, origin: string): IdentityCenterState {
  const instance = data.Instance as Record<string, unknown> | undefined;
  if (!instance || typeof instance !== 'object') throw new Error(`${origin}: "Instance" must be an object with InstanceArn and IdentityStoreId`);
  const users = list<Record<string, unknown>>(data.Users, 'Users', origin).map((u, i) => ({ ...u, UserId: text(u?.UserId, `Users[${i}].UserId`, origin), UserName: text(u?.UserName, `Users[${i}].UserName`, origin) }));
  const sets = list<PermissionSetDetail>(data.PermissionSets, 'PermissionSets', origin).map(({ InlinePolicy, ...p }, i): PermissionSetDetail => ({
    ...p,
    Name: text(p?.Name, `PermissionSets[${i}].Name`, origin),
    PermissionSetArn: text(p?.PermissionSetArn, `PermissionSets[${i}].PermissionSetArn`, origin),
    // The API hands an absent inline policy out as an empty string.
    ...(InlinePolicy ? { InlinePolicy: decodePolicyDocument(InlinePolicy) } : {}),
  }));
  const assignments = list<AccountAssignment>(data.AccountAssignments, 'AccountAssignments', origin).map((a, i) => {
    for (const key of ['AccountId', 'PermissionSetArn', 'PrincipalId'] as const) text(a?.[key], `AccountAssignments[${i}].${key}`, origin);
    if (a.PrincipalType !== 'USER' && a.PrincipalType !== 'GROUP') throw new Error(`${origin}: AccountAssignments[${i}].PrincipalType must be USER or GROUP`);
    return a;
  });
  return {
    Instance: { ...instance, InstanceArn: text(instance.InstanceArn, 'Instance.InstanceArn', origin), IdentityStoreId: text(instance.IdentityStoreId, 'Instance.IdentityStoreId', origin) },
    Users: users as IdentityCenterState['Users'],
    Groups: list(data.Groups, 'Groups', origin),
    PermissionSets: sets,
    AccountAssignments: assignments,
  };
}
