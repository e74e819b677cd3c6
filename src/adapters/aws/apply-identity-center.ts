import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  type AccountAssignmentOperationStatus,
} from '@aws-sdk/client-sso-admin';
import { describeOperation, type IamOperation, type OperationResult } from '../../core/plan/iam-operation.js';
import type { IdentityCenterClients } from './identity-center-clients.js';
import type { Call } from './read-identity-center.js';

/** How an assignment request is followed to its end; `sleep` is injectable so tests run instantly. */
export interface StatusPolling {
  intervalMs: number;
  /** Give up (and report the operation failed) after this many status reads. */
  maxPolls: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_POLLING: StatusPolling = { intervalMs: 1_000, maxPolls: 120, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

function errorText(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}

/**
 * Creates or deletes one account assignment and follows the request until it ends: Identity Center
 * answers at once with IN_PROGRESS and provisions the permission set in the account behind it. FAILED
 * (or no end within the polling budget) is a failed operation naming the grant and the reason. Deleting
 * an assignment that is already gone succeeds.
 */
export async function applyAssignment(clients: IdentityCenterClients, systemId: string, op: IamOperation, call: Call, polling: StatusPolling): Promise<OperationResult> {
  const { instanceArn, permissionSetArn, principalId } = op.refs ?? {};
  const fail = (why: string): OperationResult => ({ operation: op, status: 'failed', error: `${describeOperation(op)} failed in system "${systemId}": ${why}` });
  if (!instanceArn || !permissionSetArn || !principalId || !op.account) return fail('the plan did not carry the instance, permission set and user ids');
  const input = { InstanceArn: instanceArn, PermissionSetArn: permissionSetArn, PrincipalId: principalId, PrincipalType: 'USER' as const, TargetId: op.account, TargetType: 'AWS_ACCOUNT' as const };
  const creating = op.action === 'create-account-assignment';
  let status: AccountAssignmentOperationStatus | undefined;
  try {
    status = creating
      ? (await call(() => clients.ssoAdmin.send(new CreateAccountAssignmentCommand(input)))).AccountAssignmentCreationStatus
      : (await call(() => clients.ssoAdmin.send(new DeleteAccountAssignmentCommand(input)))).AccountAssignmentDeletionStatus;
    for (let polls = 0; status?.Status === 'IN_PROGRESS'; polls++) {
      if (polls >= polling.maxPolls) return fail(`request ${status.RequestId} still IN_PROGRESS after ${polls} status reads; the next run sees whether it ended`);
      await polling.sleep(polling.intervalMs);
      const RequestId = status.RequestId;
      status = creating
        ? (await call(() => clients.ssoAdmin.send(new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: instanceArn, AccountAssignmentCreationRequestId: RequestId })))).AccountAssignmentCreationStatus
        : (await call(() => clients.ssoAdmin.send(new DescribeAccountAssignmentDeletionStatusCommand({ InstanceArn: instanceArn, AccountAssignmentDeletionRequestId: RequestId })))).AccountAssignmentDeletionStatus;
    }
  } catch (error) {
    if (!creating && (error as { name?: string }).name === 'ResourceNotFoundException') return { operation: op, status: 'done' };
    return fail(errorText(error));
  }
  if (status?.Status === 'SUCCEEDED') return { operation: op, status: 'done' };
  return fail(`request ${status?.RequestId ?? '(no id)'} ended ${status?.Status ?? 'without a status'}${status?.FailureReason ? `: ${status.FailureReason}` : ''}`);
}
