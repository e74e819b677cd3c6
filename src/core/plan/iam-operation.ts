import type { PolicyDocument } from '../model.js';

/** The mutations grantops makes (each belongs to one kind of entitlement); nothing else is ever written to an account. */
export type IamAction =
  | 'attach-user-policy'
  | 'detach-user-policy'
  | 'add-user-to-group'
  | 'remove-user-from-group'
  | 'put-user-policy'
  | 'delete-user-policy'
  | 'add-role-trust-statement'
  | 'remove-role-trust-statement'
  | 'create-account-assignment'
  | 'delete-account-assignment';

/** Actions that take access away; a plan runs them before any action that gives access. */
export const REMOVING_ACTIONS: ReadonlySet<IamAction> = new Set(['detach-user-policy', 'remove-user-from-group', 'delete-user-policy', 'remove-role-trust-statement', 'delete-account-assignment']);

/**
 * One planned change to one system. Plans are data: `grantops plan` prints these and `grantops apply`
 * executes exactly these.
 */
export interface IamOperation {
  action: IamAction;
  /** The system id from grantops.yaml. */
  system: string;
  /** The IAM user name. */
  principal: string;
  /** A managed policy ARN, a group name, an inline policy name (`grantops-<resource id>`), a role or a permission set name. */
  target: string;
  /** The AWS account of an account assignment (Identity Center systems reach many accounts). */
  account?: string;
  /** The system's ids behind the names (e.g. `permissionSetArn`, `principalId`), read with the plan. */
  refs?: Record<string, string>;
  /** The resource whose grant or drift the operation carries out. */
  resource: string;
  /** The grant file (repository-relative) behind the operation; null for drift nobody granted. */
  grant: string | null;
  reason: string;
  /** Set when the operation removes access an exclusive resource found that nobody granted. */
  drift?: boolean;
  /** The inline policy document of `put-user-policy`; the trust statement a role grant adds, or the deny its revocation puts. */
  document?: PolicyDocument;
}

export type OperationStatus = 'done' | 'failed';

export interface OperationResult {
  operation: IamOperation;
  status: OperationStatus;
  /** For a failure: what went wrong, naming the grant. */
  error?: string;
}

/** The name grantops gives the inline policy of a resource, so it can recognise its own. */
export function inlinePolicyName(resourceId: string): string {
  return `grantops-${resourceId}`;
}

export function isRemoval(operation: Pick<IamOperation, 'action'>): boolean {
  return REMOVING_ACTIONS.has(operation.action);
}

/** One line a person reads: `attach-user-policy cosmo.kramer arn:...` plus the grant. */
export function describeOperation(operation: IamOperation): string {
  return `${operation.action} ${operation.principal} ${targetText(operation)} (${operation.grant ?? `resource ${operation.resource}`})`;
}

/** The target as people read it: `AdministratorAccess in 111122223333` for an account assignment. */
export function targetText(operation: Pick<IamOperation, 'target' | 'account'>): string {
  return operation.account ? `${operation.target} in ${operation.account}` : operation.target;
}
