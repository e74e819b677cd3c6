import { readFile, writeFile } from 'node:fs/promises';
import type { AccountSnapshot, ManagedPolicyDetail, UserDetail } from '../../src/core/iam/account-snapshot.js';

/** A small organisation for the lifecycle scenarios; each test adds the grants it is about. */
export const ORG_FILES: Record<string, string> = {
  'access/grantops.yaml': `org: Lifecycle Test
owners: [owner]
sensitivity:
  low:    { approvers: [], maxAccess: 30d, approvalTtl: 60d }
  medium: { approvers: [manager], maxAccess: 14d, approvalTtl: 40d }
  high:   { approvers: [manager, owner], maxAccess: 7d, approvalTtl: 30d }
defaults:
  - { resources: "prod-*", sensitivity: high }
expiry: { warnBefore: 3d }
systems:
  aws-prod: { type: aws, accountId: "111122223333" }
`,
  'access/people.yaml': `- { login: owner, name: Org Owner, aws: { user: owner } }
- { login: mgr, name: Manager, manager: owner, aws: { user: mgr } }
- { login: dev, name: Developer, manager: mgr, email: dev@example.com, aws: { user: dev.user } }
- { login: dev2, name: Developer Two, manager: mgr, aws: { user: dev2.user } }
- { login: res-owner, name: Resource Owner, manager: owner, aws: { user: res-owner } }
- { login: finance, name: Finance, manager: owner, aws: { user: finance } }
`,
  'access/resources/aws-prod/logs-read.yaml': `id: logs-read
system: aws-prod
sensitivity: low
owners: [res-owner]
grants: { group: log-readers }
`,
  'access/resources/aws-prod/db-read.yaml': `id: db-read
system: aws-prod
sensitivity: medium
owners: [res-owner]
grants: { managedPolicy: "arn:aws:iam::aws:policy/AmazonRDSReadOnlyAccess" }
`,
  'access/resources/aws-prod/prod-db.yaml': `id: prod-db
system: aws-prod
owners: [res-owner]
grants: { managedPolicy: "arn:aws:iam::aws:policy/AmazonRDSFullAccess" }
`,
  'access/resources/aws-prod/s3-read.yaml': `id: s3-read
system: aws-prod
sensitivity: low
owners: [res-owner]
grants: { managedPolicy: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" }
`,
  'access/resources/aws-prod/lake-read.yaml': `id: lake-read
system: aws-prod
sensitivity: low
owners: [res-owner]
grants: { managedPolicy: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" }
`,
  'access/resources/aws-prod/billing-admin.yaml': `id: billing-admin
system: aws-prod
sensitivity: low
owners: [finance, owner]
provision: manual
grants: { group: billing-admins }
`,
};

export function grantFile(user: string, resource: string, expires: string, approvalExpires: string, status = 'active', reason = 'Investigate OPS-1'): Record<string, string> {
  return {
    [`access/grants/${user}/${resource}.yaml`]: `# Asked for in OPS-1; keep this comment.
user: ${user}
resource: ${resource}
reason: ${reason}
expires: ${expires}
approvalExpires: ${approvalExpires}
status: ${status}
`,
  };
}

/** What each IAM user holds: groups and managed policy ARNs. */
export type Holdings = Record<string, { groups?: string[]; policies?: string[] }>;

const ACCOUNT = '111122223333';

/** What the account read-out adds beyond holdings: usage facts per IAM user, and managed policies' documents. */
export interface StateExtras {
  usage?: Record<string, Partial<Pick<UserDetail, 'CreateDate' | 'PasswordEnabled' | 'PasswordLastUsed' | 'AccessKeys' | 'ServiceLastAccessed'>>>;
  policies?: ManagedPolicyDetail[];
}

export function accountState(holdings: Holdings, extras: StateExtras = {}): AccountSnapshot {
  const users: UserDetail[] = ['owner', 'mgr', 'dev.user', 'dev2.user', 'res-owner', 'finance'].map((name) => ({
    UserName: name,
    Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    GroupList: holdings[name]?.groups ?? [],
    AttachedManagedPolicies: (holdings[name]?.policies ?? []).map((arn) => ({ PolicyArn: arn, PolicyName: arn.split('/').pop()! })),
    UserPolicyList: [],
    ...extras.usage?.[name],
  }));
  return {
    UserDetailList: users,
    GroupDetailList: ['log-readers', 'billing-admins'].map((g) => ({ GroupName: g, Arn: `arn:aws:iam::${ACCOUNT}:group/${g}`, GroupPolicyList: [], AttachedManagedPolicies: [] })),
    RoleDetailList: [],
    Policies: extras.policies ?? [],
  };
}

export async function writeState(path: string, holdings: Holdings, extras: StateExtras = {}): Promise<void> {
  await writeFile(path, `${JSON.stringify(accountState(holdings, extras), null, 2)}\n`);
}

/** AWS's AmazonS3ReadOnlyAccess as the read-out carries it: the resources s3-read and lake-read hand it out. */
export const S3_READ_POLICY: ManagedPolicyDetail = {
  PolicyName: 'AmazonS3ReadOnlyAccess',
  Arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
  DefaultVersionId: 'v1',
  PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }] } }],
};

/** What each IAM user holds now, read back from the state file. */
export async function readHoldings(path: string): Promise<Record<string, { groups: string[]; policies: string[] }>> {
  const state = JSON.parse(await readFile(path, 'utf8')) as AccountSnapshot;
  return Object.fromEntries(
    state.UserDetailList.map((u) => [u.UserName, { groups: [...(u.GroupList ?? [])].sort(), policies: (u.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn).sort() }]),
  );
}

export const RDS_READ = 'arn:aws:iam::aws:policy/AmazonRDSReadOnlyAccess';
export const RDS_FULL = 'arn:aws:iam::aws:policy/AmazonRDSFullAccess';
export const S3_READ = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
