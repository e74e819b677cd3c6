import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetAccountSummaryCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  type IAMClient,
  type IAMClientConfig,
} from '@aws-sdk/client-iam';
import type { AccountSnapshot } from '../../core/iam/account-snapshot.js';
import { emptyRetryReport, type RetryReport } from '../../core/plan/retry-report.js';
import { describeOperation, isRemoval, type IamOperation, type OperationResult } from '../../core/plan/iam-operation.js';
import type { IamProvider, IamSystemRef, ReadSnapshotOptions, SnapshotPart } from '../../ports.js';
import { createIamClient, type Env } from './iam-client.js';
import { readAuthorizationDetails } from './read-authorization-details.js';
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry.js';
import { runBounded } from './run-bounded.js';

export const DEFAULT_CONCURRENCY = 4;
const ALL_PARTS: readonly SnapshotPart[] = ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'];

export interface AwsIamProviderOptions {
  env?: Env;
  /** IAM calls in flight at once, per batch (default 4: IAM throttles mutations early). */
  concurrency?: number;
  retry?: Partial<RetryOptions>;
  /** Extra client settings (credentials, a request handler) for every client this provider makes. */
  clientConfig?: Partial<IAMClientConfig>;
  /** Replaces client construction, e.g. to hand in a client tests mock. */
  clientFor?: (system: IamSystemRef) => IAMClient;
}

/** The command that carries one operation out. */
function commandFor(op: IamOperation) {
  switch (op.action) {
    case 'attach-user-policy':
      return new AttachUserPolicyCommand({ UserName: op.principal, PolicyArn: op.target });
    case 'detach-user-policy':
      return new DetachUserPolicyCommand({ UserName: op.principal, PolicyArn: op.target });
    case 'add-user-to-group':
      return new AddUserToGroupCommand({ UserName: op.principal, GroupName: op.target });
    case 'remove-user-from-group':
      return new RemoveUserFromGroupCommand({ UserName: op.principal, GroupName: op.target });
    case 'put-user-policy':
      if (!op.document) throw new Error('put-user-policy needs a policy document');
      return new PutUserPolicyCommand({ UserName: op.principal, PolicyName: op.target, PolicyDocument: JSON.stringify(op.document) });
    case 'delete-user-policy':
      return new DeleteUserPolicyCommand({ UserName: op.principal, PolicyName: op.target });
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}

function isNoSuchEntity(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'NoSuchEntityException' || name === 'NoSuchEntity';
}

/** The real account, through `@aws-sdk/client-iam`. */
export class AwsIamProvider implements IamProvider {
  readonly kind = 'aws';
  private readonly clients = new Map<string, IAMClient>();
  private readonly retry: RetryOptions;
  private readonly concurrency: number;

  private readonly retries: RetryReport = emptyRetryReport();

  constructor(private readonly options: AwsIamProviderOptions = {}) {
    const told = options.retry?.onRetry;
    this.retry = {
      ...DEFAULT_RETRY,
      ...options.retry,
      onRetry: (reason, gaveUp) => {
        if (gaveUp) this.retries.gaveUp++;
        else {
          this.retries.total++;
          this.retries.byReason[reason] = (this.retries.byReason[reason] ?? 0) + 1;
        }
        told?.(reason, gaveUp);
      },
    };
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  }

  /** The retries this provider's calls needed so far (a run makes one provider). */
  readRetries(): RetryReport {
    return { ...this.retries, byReason: { ...this.retries.byReason } };
  }

  client(system: IamSystemRef): IAMClient {
    let client = this.clients.get(system.id);
    if (!client) {
      client = this.options.clientFor?.(system) ?? createIamClient(system, this.options.env ?? {}, this.options.clientConfig);
      this.clients.set(system.id, client);
    }
    return client;
  }

  async readSnapshot(system: IamSystemRef, options: ReadSnapshotOptions = {}): Promise<AccountSnapshot> {
    const client = this.client(system);
    const snapshot = await readAuthorizationDetails((command) => withRetry(() => client.send(command), this.retry), options.include ?? ALL_PARTS);
    snapshot.SummaryMap = await this.readAccountSummary(system);
    return snapshot;
  }

  async readAccountSummary(system: IamSystemRef): Promise<Record<string, number>> {
    const client = this.client(system);
    const out = await withRetry(() => client.send(new GetAccountSummaryCommand({})), this.retry);
    return { ...out.SummaryMap };
  }

  async applyOperations(system: IamSystemRef, operations: readonly IamOperation[]): Promise<OperationResult[]> {
    const client = this.client(system);
    return runBounded(operations, this.concurrency, async (operation): Promise<OperationResult> => {
      try {
        const command = commandFor(operation);
        // Each command type has its own output type; the union is not callable as one, hence the cast.
        await withRetry(() => client.send(command as Parameters<IAMClient['send']>[0]), this.retry);
        return { operation, status: 'done' };
      } catch (error) {
        // Taking away what is already gone is the state asked for: a rerun after a partial apply converges.
        if (isRemoval(operation) && isNoSuchEntity(error)) return { operation, status: 'done' };
        return { operation, status: 'failed', error: `${describeOperation(operation)} failed in system "${system.id}": ${errorText(error)}` };
      }
    });
  }
}
