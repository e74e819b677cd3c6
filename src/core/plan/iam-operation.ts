import type { PolicyDocument } from '../model.js';

/** The six IAM mutations grantops makes; nothing else is ever written to an account. */
export type IamAction =
  | 'attach-user-policy'
  | 'detach-user-policy'
  | 'add-user-to-group'
  | 'remove-user-from-group'
  | 'put-user-policy'
  | 'delete-user-policy';

/** Actions that take access away; a plan runs them before any action that gives access. */
export const REMOVING_ACTIONS: ReadonlySet<IamAction> = new Set(['detach-user-policy', 'remove-user-from-group', 'delete-user-policy']);

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
  /** A managed policy ARN, a group name, or an inline policy name (`grantops-<resource id>`). */
  target: string;
  /** The resource whose grant or drift the operation carries out. */
  resource: string;
  /** The grant file (repository-relative) behind the operation; null for drift nobody granted. */
  grant: string | null;
  reason: string;
  /** Set when the operation removes access an exclusive resource found that nobody granted. */
  drift?: boolean;
  /** The inline policy document, for `put-user-policy` only. */
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
  return `${operation.action} ${operation.principal} ${operation.target} (${operation.grant ?? `resource ${operation.resource}`})`;
}
