import type { PolicyDocument } from '../model.js';
import { parseIdentityCenterState } from '../identity-center/parse-identity-center-state.js';
import { emptySnapshot, type AccountSnapshot, type GroupDetail, type InlinePolicy, type ManagedPolicyDetail, type RoleDetail, type UserDetail } from './account-snapshot.js';

/**
 * A policy document as IAM hands it out: the API sends it URL-encoded, the CLI prints it decoded, and
 * some tools keep it as a JSON string. Every form becomes the document object.
 */
export function decodePolicyDocument(value: unknown): PolicyDocument {
  if (typeof value !== 'string') return value as PolicyDocument;
  const text = value.trimStart().startsWith('{') ? value : decodeURIComponent(value.replace(/\+/g, '%20'));
  return JSON.parse(text) as PolicyDocument;
}

/** A list field of a state file: absent is empty, anything else but a list is refused, naming `origin`. */
export function list<T>(value: unknown, name: string, origin: string): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${origin}: "${name}" must be a list`);
  return value as T[];
}

function decodeInline(policies: InlinePolicy[] | undefined): InlinePolicy[] | undefined {
  return policies?.map((p) => ({ ...p, PolicyDocument: decodePolicyDocument(p.PolicyDocument) }));
}

/**
 * Reads a state in the `aws iam get-account-authorization-details` format. Missing lists count as
 * empty (the CLI omits what a filter left out); anything that is not that format is refused, naming
 * `origin`, rather than read as an empty account, which would plan to grant everything again.
 */
export function parseAccountSnapshot(text: string, origin: string): AccountSnapshot {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${origin}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${origin}: expected an object with UserDetailList, GroupDetailList, RoleDetailList and Policies (an IAM account) or Instance (an Identity Center instance)`);
  const data = raw as Record<string, unknown>;
  if ('Instance' in data) return { ...emptySnapshot(), IdentityCenter: parseIdentityCenterState(data, origin) };
  if (!['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'].some((k) => k in data)) {
    throw new Error(`${origin}: none of UserDetailList, GroupDetailList, RoleDetailList, Policies is present; is this get-account-authorization-details output?`);
  }
  const users = list<UserDetail>(data.UserDetailList, 'UserDetailList', origin).map((u) => {
    if (typeof u?.UserName !== 'string') throw new Error(`${origin}: a UserDetailList entry has no UserName`);
    return { ...u, UserPolicyList: decodeInline(u.UserPolicyList) };
  });
  const groups = list<GroupDetail>(data.GroupDetailList, 'GroupDetailList', origin).map((g) => {
    if (typeof g?.GroupName !== 'string') throw new Error(`${origin}: a GroupDetailList entry has no GroupName`);
    return { ...g, GroupPolicyList: decodeInline(g.GroupPolicyList) };
  });
  const roles = list<RoleDetail>(data.RoleDetailList, 'RoleDetailList', origin).map((r) => ({
    ...r,
    AssumeRolePolicyDocument: r.AssumeRolePolicyDocument === undefined ? undefined : decodePolicyDocument(r.AssumeRolePolicyDocument),
    RolePolicyList: decodeInline(r.RolePolicyList),
  }));
  const policies = list<ManagedPolicyDetail>(data.Policies, 'Policies', origin).map((p) => ({
    ...p,
    PolicyVersionList: (p.PolicyVersionList ?? []).map((v) => ({ ...v, Document: decodePolicyDocument(v.Document) })),
  }));
  const snapshot: AccountSnapshot = { UserDetailList: users, GroupDetailList: groups, RoleDetailList: roles, Policies: policies };
  if (data.SummaryMap && typeof data.SummaryMap === 'object') snapshot.SummaryMap = data.SummaryMap as Record<string, number>;
  return snapshot;
}
