import type { PolicyDocument } from '../model.js';

/**
 * One IAM Identity Center instance, in the API's own field names (sso-admin `ListInstances`,
 * `DescribePermissionSet`, the permission-set policy calls and `ListAccountAssignments`; identitystore
 * `ListUsers`/`ListGroups`). The file provider stores exactly this; the aws provider reads it. Inline
 * policies are decoded documents, as in the IAM state.
 */
export interface IdentityCenterState {
  Instance: { InstanceArn: string; IdentityStoreId: string; OwnerAccountId?: string; Name?: string };
  Users: IdentityCenterUser[];
  Groups?: IdentityCenterGroup[];
  PermissionSets: PermissionSetDetail[];
  AccountAssignments: AccountAssignment[];
}

export interface IdentityCenterUser {
  UserId: string;
  UserName: string;
  DisplayName?: string;
  Emails?: { Value?: string; Type?: string; Primary?: boolean }[];
}

export interface IdentityCenterGroup {
  GroupId: string;
  DisplayName?: string;
  Description?: string;
}

export interface PermissionSetDetail {
  Name: string;
  PermissionSetArn: string;
  Description?: string;
  SessionDuration?: string;
  /** `ListManagedPoliciesInPermissionSet`: AWS-managed policies. */
  AttachedManagedPolicies?: { Name?: string; Arn: string }[];
  /** `ListCustomerManagedPolicyReferencesInPermissionSet`: policies of that name in each assigned account. */
  CustomerManagedPolicyReferences?: { Name: string; Path?: string }[];
  /** `GetInlinePolicyForPermissionSet`, decoded. */
  InlinePolicy?: PolicyDocument;
  /** `GetPermissionsBoundaryForPermissionSet`. */
  PermissionsBoundary?: { CustomerManagedPolicyReference?: { Name: string; Path?: string }; ManagedPolicyArn?: string };
}

export interface AccountAssignment {
  AccountId: string;
  PermissionSetArn: string;
  PrincipalType: 'USER' | 'GROUP';
  PrincipalId: string;
}

/** The state of an instance nobody has assigned anything in yet. */
export function emptyIdentityCenterState(instanceArn: string, identityStoreId: string): IdentityCenterState {
  return { Instance: { InstanceArn: instanceArn, IdentityStoreId: identityStoreId }, Users: [], Groups: [], PermissionSets: [], AccountAssignments: [] };
}
