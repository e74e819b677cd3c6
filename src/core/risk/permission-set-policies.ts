import { defaultPolicyDocument, type AccountSnapshot, type ManagedPolicyDetail } from '../iam/account-snapshot.js';
import type { PolicyDocument, SystemConfig } from '../model.js';
import { isAwsManagedPolicyArn } from './arn-pattern.js';

/** A customer managed policy as a permission set names it: by name and path, in each account it is assigned in. */
export interface CustomerManagedReference {
  Name: string;
  Path?: string;
}

/** A policy document found, with the ARN it was found under; or why it was not. */
export type PolicyLookup = { arn: string; document: PolicyDocument | undefined } | { unresolved: string };

/** Where a permission set's referenced policies are found. */
export interface PermissionSetPolicySource {
  /** An AWS managed policy: the same document in every account. */
  awsManaged(arn: string): PolicyLookup;
  /** A customer managed policy of that name and path in one account. */
  customerManaged(reference: CustomerManagedReference, account: string): PolicyLookup;
}

/** `/path/name`, the way IAM prints a policy's path and name together. */
export function referenceName(reference: CustomerManagedReference): string {
  return `${reference.Path ?? '/'}${reference.Name}`;
}

/**
 * Looks referenced policies up in the IAM account read-outs of a run (by account id), the way
 * managed-policy resources are scored: an account's read-out (`GetAccountAuthorizationDetails`) carries
 * the managed policies it holds, AWS's own among them. An AWS managed policy is the same in every
 * account, so any read-out that carries it will do; a customer managed policy is looked up by name and
 * path in the read-out of the account the permission set is assigned in, which is there only when that
 * account is a system of the run.
 */
export function snapshotPolicySource(accounts: ReadonlyMap<string, AccountSnapshot>): PermissionSetPolicySource {
  const aws = new Map<string, ManagedPolicyDetail>();
  for (const snapshot of accounts.values()) {
    for (const policy of snapshot.Policies) if (isAwsManagedPolicyArn(policy.Arn) && !aws.has(policy.Arn)) aws.set(policy.Arn, policy);
  }
  return {
    awsManaged(arn) {
      const policy = aws.get(arn);
      if (policy) return { arn, document: defaultPolicyDocument(policy) };
      return { unresolved: accounts.size === 0 ? `AWS managed policy ${arn}: no IAM account is read in this run to find its document in` : `AWS managed policy ${arn} is in no account read-out of this run` };
    },
    customerManaged(reference, account) {
      const name = referenceName(reference);
      const snapshot = accounts.get(account);
      if (!snapshot) return { unresolved: `customer managed policy ${name} in account ${account}: that account is not read in this run` };
      // The ARN carries the path (`arn:aws:iam::111122223333:policy/team/name`), whether or not `Path` is read out.
      const policy = snapshot.Policies.find((p) => !isAwsManagedPolicyArn(p.Arn) && p.Arn.endsWith(`:policy${name}`));
      return policy ? { arn: policy.Arn, document: defaultPolicyDocument(policy) } : { unresolved: `customer managed policy ${name} is not in account ${account}` };
    },
  };
}

/** The IAM account read-outs among a run's, each with its system, by account id. */
export function iamAccountsOf(read: Iterable<{ config: SystemConfig; snapshot: AccountSnapshot }>): Map<string, AccountSnapshot> {
  const accounts = new Map<string, AccountSnapshot>();
  for (const { config, snapshot } of read) if (config.type === 'aws' && !snapshot.IdentityCenter) accounts.set(config.accountId, snapshot);
  return accounts;
}

/** The policy source of a run's read-outs, each with its system: the IAM accounts', by account id. */
export function runPolicySource(read: Iterable<{ config: SystemConfig; snapshot: AccountSnapshot }>): PermissionSetPolicySource {
  return snapshotPolicySource(iamAccountsOf(read));
}

/** `runPolicySource` over read-outs keyed by system id, the systems as grantops.yaml declares them. */
export function systemsPolicySource(systems: Readonly<Record<string, SystemConfig>>, snapshots: ReadonlyMap<string, AccountSnapshot>): PermissionSetPolicySource {
  return runPolicySource([...snapshots].flatMap(([id, snapshot]) => (systems[id] ? [{ config: systems[id]!, snapshot }] : [])));
}
