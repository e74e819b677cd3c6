import {
  GetAccountAuthorizationDetailsCommand,
  type EntityType,
  type GetAccountAuthorizationDetailsCommandOutput,
  type IAMClient,
  type AttachedPermissionsBoundary,
  type AttachedPolicy as SdkAttachedPolicy,
  type ManagedPolicyDetail as SdkPolicy,
  type PolicyDetail,
  type Tag as SdkTag,
} from '@aws-sdk/client-iam';
import type { AccountSnapshot, AttachedPolicy, InlinePolicy, ManagedPolicyDetail, Tag, UserDetail } from '../../core/iam/account-snapshot.js';
import { decodePolicyDocument } from '../../core/iam/parse-account-snapshot.js';
import type { PolicyDocument } from '../../core/model.js';
import type { SnapshotPart } from '../../ports.js';

/** IAM's largest page. */
const PAGE_SIZE = 1000;

/** Sends one command through the caller's retrying path (so reads are retried like writes). */
export type SendPage = (command: GetAccountAuthorizationDetailsCommand) => Promise<GetAccountAuthorizationDetailsCommandOutput>;

function iso(date: Date | undefined): string | undefined {
  return date ? date.toISOString() : undefined;
}

function inline(list: PolicyDetail[] | undefined): InlinePolicy[] {
  return (list ?? []).map((p) => ({ PolicyName: p.PolicyName ?? '', PolicyDocument: decodePolicyDocument(p.PolicyDocument) }));
}

function attached(list: SdkAttachedPolicy[] | undefined): AttachedPolicy[] {
  return (list ?? []).map((a) => ({ PolicyName: a.PolicyName ?? '', PolicyArn: a.PolicyArn ?? '' }));
}

function tags(list: SdkTag[] | undefined): Tag[] {
  return (list ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
}

function boundary(b: AttachedPermissionsBoundary | undefined): Pick<UserDetail, 'PermissionsBoundary'> {
  return b ? { PermissionsBoundary: { PermissionsBoundaryType: b.PermissionsBoundaryType, PermissionsBoundaryArn: b.PermissionsBoundaryArn } } : {};
}

function managedPolicy(p: SdkPolicy): ManagedPolicyDetail {
  return {
    PolicyName: p.PolicyName ?? '',
    PolicyId: p.PolicyId,
    Arn: p.Arn ?? '',
    Path: p.Path,
    DefaultVersionId: p.DefaultVersionId,
    AttachmentCount: p.AttachmentCount,
    PermissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount,
    IsAttachable: p.IsAttachable,
    CreateDate: iso(p.CreateDate),
    UpdateDate: iso(p.UpdateDate),
    PolicyVersionList: (p.PolicyVersionList ?? []).map((v) => ({
      Document: decodePolicyDocument(v.Document) as PolicyDocument,
      VersionId: v.VersionId ?? '',
      IsDefaultVersion: v.IsDefaultVersion ?? false,
      CreateDate: iso(v.CreateDate),
    })),
  };
}

/**
 * The account in the get-account-authorization-details shape: every page of the call, with policy
 * documents URL-decoded and dates as ISO strings (what the CLI prints and the file provider stores).
 */
export async function readAuthorizationDetails(send: SendPage, parts: readonly SnapshotPart[]): Promise<AccountSnapshot> {
  const snapshot: AccountSnapshot = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  if (parts.length === 0) return snapshot;
  let marker: string | undefined;
  do {
    const page = await send(new GetAccountAuthorizationDetailsCommand({ Filter: [...parts] as EntityType[], MaxItems: PAGE_SIZE, Marker: marker }));
    for (const u of page.UserDetailList ?? []) {
      snapshot.UserDetailList.push({
        Path: u.Path,
        UserName: u.UserName ?? '',
        UserId: u.UserId,
        Arn: u.Arn ?? '',
        CreateDate: iso(u.CreateDate),
        GroupList: u.GroupList ?? [],
        AttachedManagedPolicies: attached(u.AttachedManagedPolicies),
        UserPolicyList: inline(u.UserPolicyList),
        ...boundary(u.PermissionsBoundary),
        Tags: tags(u.Tags),
      });
    }
    for (const g of page.GroupDetailList ?? []) {
      snapshot.GroupDetailList.push({
        Path: g.Path,
        GroupName: g.GroupName ?? '',
        GroupId: g.GroupId,
        Arn: g.Arn ?? '',
        CreateDate: iso(g.CreateDate),
        GroupPolicyList: inline(g.GroupPolicyList),
        AttachedManagedPolicies: attached(g.AttachedManagedPolicies),
      });
    }
    for (const r of page.RoleDetailList ?? []) {
      snapshot.RoleDetailList.push({
        Path: r.Path,
        RoleName: r.RoleName ?? '',
        RoleId: r.RoleId,
        Arn: r.Arn ?? '',
        CreateDate: iso(r.CreateDate),
        AssumeRolePolicyDocument: r.AssumeRolePolicyDocument ? decodePolicyDocument(r.AssumeRolePolicyDocument) : undefined,
        RolePolicyList: inline(r.RolePolicyList),
        AttachedManagedPolicies: attached(r.AttachedManagedPolicies),
        Tags: tags(r.Tags),
        ...(r.RoleLastUsed ? { RoleLastUsed: { LastUsedDate: iso(r.RoleLastUsed.LastUsedDate), Region: r.RoleLastUsed.Region } } : {}),
        ...boundary(r.PermissionsBoundary),
      });
    }
    for (const p of page.Policies ?? []) snapshot.Policies.push(managedPolicy(p));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return snapshot;
}
