import { entitlementKindOfAction } from './entitlements/registry.js';
import { isRemoval, type IamOperation } from './plan/iam-operation.js';

/** The label every manual-provisioning issue carries, so a run finds the issues earlier runs opened. */
export const MANUAL_ISSUE_LABEL = 'grantops:manual';

/** One change a person must carry out: a pending grant or a revocation, for one grant file. */
export interface ManualChange {
  /** Identifies the change across runs; hidden in the issue as its marker. */
  key: string;
  kind: 'grant' | 'revocation';
  system: string;
  resource: string;
  /** The grant file behind it; null for drift nobody granted. */
  grant: string | null;
  operations: IamOperation[];
}

export interface ManualIssue {
  marker: string;
  title: string;
  body: string;
  assignees: string[];
}

/**
 * Groups the plan's manual operations into one change per grant file and direction. `versionOf` names
 * the version of a grant (its `expires`): the same grant granted again after a revocation is a new
 * change and gets a new issue, while the same pending change seen by every run is one issue.
 */
export function groupManualChanges(operations: readonly IamOperation[], versionOf: (grantFile: string) => string | undefined): ManualChange[] {
  const changes = new Map<string, ManualChange>();
  for (const op of operations) {
    const kind = isRemoval(op) ? 'revocation' : 'grant';
    const subject = op.grant ?? `drift ${op.resource} ${op.principal} ${op.target}`;
    const version = op.grant ? versionOf(op.grant) : undefined;
    const key = [kind, op.system, subject, version].filter(Boolean).join(' ');
    const change = changes.get(key) ?? { key, kind, system: op.system, resource: op.resource, grant: op.grant, operations: [] };
    change.operations.push(op);
    changes.set(key, change);
  }
  return [...changes.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function manualIssueMarker(change: Pick<ManualChange, 'key'>): string {
  return `<!-- grantops:manual ${change.key} -->`;
}

/** The exact AWS CLI command that carries one operation out. */
export function awsCliCommand(op: IamOperation): string {
  return entitlementKindOfAction(op.action).cliCommand(op);
}

/** The issue asking the resource's owners to carry one change out, with the exact steps. */
export function buildManualIssue(change: ManualChange, owners: readonly string[]): ManualIssue {
  const marker = manualIssueMarker(change);
  const first = change.operations[0]!;
  const verb = change.kind === 'grant' ? 'Grant' : 'Revoke';
  const who = first.principal;
  const title = `${verb} ${change.resource} ${change.kind === 'grant' ? 'to' : 'from'} ${who} (manual provisioning)`;
  const body = [
    marker,
    `${owners.map((o) => `@${o}`).join(', ') || 'The owners of this resource'}: \`${change.resource}\` is provisioned by hand (\`provision: manual\`), so grantops does not change IAM for it. Please carry out this ${change.kind === 'grant' ? 'grant' : 'revocation'} in system \`${change.system}\`${change.grant ? ` (\`${change.grant}\`)` : ''}:`,
    '',
    ...change.operations.flatMap((op, i) => [`${i + 1}. \`${op.action}\` of \`${op.target}\` for IAM user \`${op.principal}\`: ${op.reason}`]),
    '',
    'With the AWS CLI, in that account:',
    '',
    '```sh',
    ...change.operations.map(awsCliCommand),
    '```',
    '',
    'Close this issue once it is done (or done through infrastructure as code). grantops opens no second issue for the same change; `grantops plan` keeps listing it under "Manual" until IAM matches.',
  ].join('\n');
  return { marker, title, body, assignees: [...owners] };
}
