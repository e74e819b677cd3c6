import type { RepoFile, RepoSnapshot } from '../../src/core/repo-file.js';

/** A small org, written inline so each test shows the data it depends on. */
export const ORG = `org: Test Org
owners: [owner]
sensitivity:
  none:     { approvers: [], maxAccess: 90d, approvalTtl: 365d }
  low:      { approvers: [], notify: [owner], maxAccess: 30d, approvalTtl: 180d }
  medium:   { approvers: [manager], maxAccess: 14d, approvalTtl: 90d }
  high:     { approvers: [manager, owner], maxAccess: 7d, approvalTtl: 60d }
  critical: { approvers: [manager, owner, executive], maxAccess: 1d, approvalTtl: 30d }
defaults:
  - { resources: "prod-*", sensitivity: high }
systems:
  aws-prod: { type: aws, accountId: "111122223333" }
`;

export const PEOPLE = `- { login: owner, name: Org Owner, roles: [executive], aws: { user: owner } }
- { login: boss, name: Big Boss, manager: owner, aws: { user: boss } }
- { login: mgr, name: Manager, manager: boss, aws: { user: mgr } }
- { login: dev, name: Developer, manager: mgr, aws: { user: dev } }
- { login: dev2, name: Developer Two, manager: mgr, aws: { user: dev2 } }
- { login: res-owner, name: Resource Owner, manager: boss, aws: { user: res-owner } }
`;

export const RESOURCES: Record<string, string> = {
  'prod-db': `id: prod-db
system: aws-prod
owners: [res-owner]
grants: { managedPolicy: "arn:aws:iam::aws:policy/AmazonRDSFullAccess" }
`,
  'logs-read': `id: logs-read
system: aws-prod
sensitivity: low
owners: [res-owner]
grants: { group: log-readers }
`,
};

/** Builds a snapshot of `access/` from the defaults above, with files added, replaced or (null) removed. */
export function snapshot(overrides: Record<string, string | Uint8Array | null> = {}): RepoSnapshot {
  const files = new Map<string, string | Uint8Array>([
    ['access/grantops.yaml', ORG],
    ['access/people.yaml', PEOPLE],
    ...Object.entries(RESOURCES).map(([id, text]) => [`access/resources/aws-prod/${id}.yaml`, text] as [string, string]),
  ]);
  for (const [path, content] of Object.entries(overrides)) {
    if (content === null) files.delete(path);
    else files.set(path, content);
  }
  return { dir: 'access', files: [...files].map(([path, content]): RepoFile => ({ path, content })) };
}

export function grantYaml(fields: Record<string, string>): string {
  return Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n';
}
