import type { IdentityCenterState } from '../identity-center/identity-center-state.js';
import type { PolicyDocument } from '../model.js';

/**
 * One AWS account's IAM, in the shape `aws iam get-account-authorization-details` prints (with policy
 * documents already decoded from URL encoding). The file provider stores exactly this; the aws provider
 * builds it from `GetAccountAuthorizationDetails` pages. Extra optional fields (credential reports,
 * last use) ride along under names AWS does not use.
 */
export interface AccountSnapshot {
  UserDetailList: UserDetail[];
  GroupDetailList: GroupDetail[];
  RoleDetailList: RoleDetail[];
  Policies: ManagedPolicyDetail[];
  /** `GetAccountSummary` SummaryMap (e.g. AttachedPoliciesPerUserQuota); absent in plain CLI output. */
  SummaryMap?: Record<string, number>;
  /** Not in AWS's output: for an `aws-identity-center` system, the instance (its IAM lists stay empty). */
  IdentityCenter?: IdentityCenterState;
}

export interface AttachedPolicy {
  PolicyName: string;
  PolicyArn: string;
}

export interface InlinePolicy {
  PolicyName: string;
  PolicyDocument: PolicyDocument;
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface AccessKeyInfo {
  AccessKeyId: string;
  Status: 'Active' | 'Inactive';
  CreateDate: string;
  LastUsedDate?: string;
  LastUsedService?: string;
}

/** When a principal last used a service (`GetServiceLastAccessedDetails`); not in AWS's authorization details. */
export interface ServiceLastAccessed {
  /** The service prefix, e.g. `s3`. */
  ServiceNamespace: string;
  /** Absent when the service was not used within IAM's tracking period. */
  LastAuthenticated?: string;
}

export interface UserDetail {
  Path?: string;
  UserName: string;
  UserId?: string;
  Arn: string;
  CreateDate?: string;
  GroupList?: string[];
  AttachedManagedPolicies?: AttachedPolicy[];
  UserPolicyList?: InlinePolicy[];
  PermissionsBoundary?: { PermissionsBoundaryType?: string; PermissionsBoundaryArn?: string };
  Tags?: Tag[];
  /** Not in AWS's output: credential facts grantops collects beside it (inventory). */
  PasswordEnabled?: boolean;
  PasswordLastUsed?: string;
  MfaEnabled?: boolean;
  AccessKeys?: AccessKeyInfo[];
  /** Not in AWS's output: per-service last use, when it was collected (usage tracking). */
  ServiceLastAccessed?: ServiceLastAccessed[];
}

export interface GroupDetail {
  Path?: string;
  GroupName: string;
  GroupId?: string;
  Arn: string;
  CreateDate?: string;
  GroupPolicyList?: InlinePolicy[];
  AttachedManagedPolicies?: AttachedPolicy[];
}

export interface RoleDetail {
  Path?: string;
  RoleName: string;
  RoleId?: string;
  Arn: string;
  CreateDate?: string;
  AssumeRolePolicyDocument?: PolicyDocument;
  InstanceProfileList?: unknown[];
  RolePolicyList?: InlinePolicy[];
  AttachedManagedPolicies?: AttachedPolicy[];
  Tags?: Tag[];
  RoleLastUsed?: { LastUsedDate?: string; Region?: string };
  PermissionsBoundary?: { PermissionsBoundaryType?: string; PermissionsBoundaryArn?: string };
  /** Not in AWS's output: per-service last use, when it was collected (usage tracking). */
  ServiceLastAccessed?: ServiceLastAccessed[];
}

export interface PolicyVersion {
  Document: PolicyDocument;
  VersionId: string;
  IsDefaultVersion: boolean;
  CreateDate?: string;
}

export interface ManagedPolicyDetail {
  PolicyName: string;
  PolicyId?: string;
  Arn: string;
  Path?: string;
  DefaultVersionId?: string;
  AttachmentCount?: number;
  PermissionsBoundaryUsageCount?: number;
  IsAttachable?: boolean;
  CreateDate?: string;
  UpdateDate?: string;
  PolicyVersionList: PolicyVersion[];
}

export function emptySnapshot(): AccountSnapshot {
  return { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
}

/** The document of a managed policy's default version. */
export function defaultPolicyDocument(policy: ManagedPolicyDetail): PolicyDocument | undefined {
  return (policy.PolicyVersionList.find((v) => v.IsDefaultVersion) ?? policy.PolicyVersionList[0])?.Document;
}
