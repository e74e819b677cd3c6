import { CreateGroupCommand, CreateUserCommand, type IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  AttachCustomerManagedPolicyReferenceToPermissionSetCommand,
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  ListInstancesCommand,
  PutInlinePolicyToPermissionSetCommand,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { PolicyDocument } from '../../src/core/model.js';

/** What a test puts in moto's Identity Center instance: permission sets, users, groups and assignments. */
export interface IdentityCenterSeed {
  permissionSets: Record<string, { managedPolicies?: string[]; inlinePolicy?: PolicyDocument; customerManaged?: { Name: string; Path?: string }[] }>;
  /** Every permission set's SessionDuration, when one is set. */
  sessionDuration?: string;
  /** Identity store users, by UserName. */
  users: string[];
  /** Identity store groups, by DisplayName. */
  groups?: string[];
  /** [user name or group display name, its type, permission set name, account id]. */
  assignments: [principal: string, type: 'USER' | 'GROUP', permissionSet: string, account: string][];
}

export interface SeededIdentityCenter {
  instanceArn: string;
  identityStoreId: string;
  /** The id moto gave each permission set (its ARN), user and group, by the name the seed gave it. */
  ids: Map<string, string>;
}

/**
 * Fills moto's Identity Center instance (the one of the account `sso` and `store` sign for) through the
 * real sso-admin and identitystore APIs, as an administrator would before grantops reads it.
 */
export async function seedIdentityCenter(sso: SSOAdminClient, store: IdentitystoreClient, seed: IdentityCenterSeed): Promise<SeededIdentityCenter> {
  const instance = (await sso.send(new ListInstancesCommand({}))).Instances![0]!;
  const InstanceArn = instance.InstanceArn!;
  const IdentityStoreId = instance.IdentityStoreId!;
  const ids = new Map<string, string>();
  for (const [Name, content] of Object.entries(seed.permissionSets)) {
    const PermissionSetArn = (await sso.send(new CreatePermissionSetCommand({ InstanceArn, Name, ...(seed.sessionDuration ? { SessionDuration: seed.sessionDuration } : {}) }))).PermissionSet!.PermissionSetArn!;
    ids.set(Name, PermissionSetArn);
    for (const ManagedPolicyArn of content.managedPolicies ?? []) await sso.send(new AttachManagedPolicyToPermissionSetCommand({ InstanceArn, PermissionSetArn, ManagedPolicyArn }));
    if (content.inlinePolicy) await sso.send(new PutInlinePolicyToPermissionSetCommand({ InstanceArn, PermissionSetArn, InlinePolicy: JSON.stringify(content.inlinePolicy) }));
    for (const reference of content.customerManaged ?? []) await sso.send(new AttachCustomerManagedPolicyReferenceToPermissionSetCommand({ InstanceArn, PermissionSetArn, CustomerManagedPolicyReference: reference }));
  }
  for (const UserName of seed.users) {
    ids.set(UserName, (await store.send(new CreateUserCommand({ IdentityStoreId, UserName, DisplayName: UserName, Name: { GivenName: 'x', FamilyName: 'y' } }))).UserId!);
  }
  for (const DisplayName of seed.groups ?? []) ids.set(DisplayName, (await store.send(new CreateGroupCommand({ IdentityStoreId, DisplayName }))).GroupId!);
  for (const [principal, PrincipalType, set, TargetId] of seed.assignments) {
    await sso.send(new CreateAccountAssignmentCommand({ InstanceArn, PermissionSetArn: ids.get(set), PrincipalId: ids.get(principal), PrincipalType, TargetId, TargetType: 'AWS_ACCOUNT' }));
  }
  return { instanceArn: InstanceArn, identityStoreId: IdentityStoreId, ids };
}
