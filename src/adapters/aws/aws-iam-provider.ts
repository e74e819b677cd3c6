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
import { emptySnapshot, type AccountSnapshot } from '../../core/iam/account-snapshot.js';
import { emptyRetryReport, type RetryReport } from '../../core/plan/retry-report.js';
import { describeOperation, isRemoval, type IamOperation, type OperationResult } from '../../core/plan/iam-operation.js';
import type { IamProvider, IamSystemRef, ReadSnapshotOptions, SnapshotPart } from '../../ports.js';
import { applyAssignment, DEFAULT_POLLING, type StatusPolling } from './apply-identity-center.js';
import { applyRoleTrust } from './apply-role-trust.js';
import { createIamClient, type Env } from './iam-client.js';
import { createIdentityCenterClients, type IdentityCenterClients } from './identity-center-clients.js';
import { readIdentityCenter } from './read-identity-center.js';
import { SystemCredentials } from './system-credentials.js';
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
  /** Replaces the Identity Center clients' construction (tests fake a service answer at the client boundary). */
  identityCenterClientsFor?: (system: IamSystemRef, made: IdentityCenterClients) => IdentityCenterClients;
  /** The STS session name (default: the GitHub Actions run, else the local user and time). */
  sessionName?: string;
  /** How assignment requests are followed to their end. */
  polling?: Partial<StatusPolling>;
  /** Shared credentials (so the usage reader reuses the sessions); made from `env` and `clientConfig` when absent. */
  credentials?: SystemCredentials;
  /** The run only reads: systems are reached with their `planRoleArn` when they name one. */
  readOnly?: boolean;
}

function isRoleTrust(op: IamOperation): boolean {
  return op.action === 'add-role-trust-statement' || op.action === 'remove-role-trust-statement';
}

/** The command that carries one IAM user operation out. */
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
    default:
      throw new Error(`${op.action} is not an IAM user operation`);
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
  private readonly identityCenter = new Map<string, IdentityCenterClients>();
  private readonly retry: RetryOptions;
  private readonly concurrency: number;
  private readonly polling: StatusPolling;
  readonly credentials: SystemCredentials;

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
    this.polling = { ...DEFAULT_POLLING, ...options.polling };
    this.credentials = options.credentials ?? new SystemCredentials({ env: options.env ?? {}, base: options.clientConfig?.credentials, sessionName: options.sessionName, retry: this.retry, readOnly: options.readOnly });
  }

  /** The retries this provider's calls needed so far (a run makes one provider). */
  readRetries(): RetryReport {
    return { ...this.retries, byReason: { ...this.retries.byReason } };
  }

  client(system: IamSystemRef): IAMClient {
    let client = this.clients.get(system.id);
    if (!client) {
      const credentials = this.credentials.for(system);
      client = this.options.clientFor?.(system) ?? createIamClient(system, this.options.env ?? {}, { ...this.options.clientConfig, ...(credentials ? { credentials } : {}) });
      this.clients.set(system.id, client);
    }
    return client;
  }

  identityCenterClients(system: IamSystemRef): IdentityCenterClients {
    let clients = this.identityCenter.get(system.id);
    if (!clients) {
      const made = createIdentityCenterClients(system, this.options.env ?? {}, this.credentials.for(system));
      clients = this.options.identityCenterClientsFor?.(system, made) ?? made;
      this.identityCenter.set(system.id, clients);
    }
    return clients;
  }

  private readonly call = <T>(send: () => Promise<T>) => withRetry(send, this.retry);

  async readSnapshot(system: IamSystemRef, options: ReadSnapshotOptions = {}): Promise<AccountSnapshot> {
    if (system.config.type === 'aws-identity-center') {
      // The plan reads users, permission sets and assignments; read-outs (every part) also groups and policies.
      const state = await readIdentityCenter(this.identityCenterClients(system), system.config, this.call, {
        policies: !options.include || options.include.includes('AWSManagedPolicy'),
        ...(options.assignmentPairs ? { pairs: options.assignmentPairs } : {}),
        concurrency: this.concurrency,
      });
      return { ...emptySnapshot(), IdentityCenter: state };
    }
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
    if (system.config.type === 'aws-identity-center') {
      const clients = this.identityCenterClients(system);
      return runBounded(operations, this.concurrency, (op) => applyAssignment(clients, system.id, op, this.call, this.polling));
    }
    const client = this.client(system);
    const send = (command: object) => withRetry(() => client.send(command as Parameters<IAMClient['send']>[0]), this.retry);
    // A role's trust policy is rewritten whole: its operations run one after another, other roles' alongside.
    const batches = new Map<string, IamOperation[]>();
    for (const op of operations) {
      const key = isRoleTrust(op) ? `role\u0000${op.target}` : `op\u0000${batches.size}`;
      batches.set(key, [...(batches.get(key) ?? []), op]);
    }
    const results = await runBounded([...batches.values()], this.concurrency, async (batch) => {
      const out: OperationResult[] = [];
      for (const operation of batch) {
        try {
          // Each command type has its own output type; the union is not callable as one, hence the cast.
          if (isRoleTrust(operation)) await applyRoleTrust(operation, send as <T>(command: object) => Promise<T>);
          else await send(commandFor(operation));
          out.push({ operation, status: 'done' });
        } catch (error) {
          // Taking away what is already gone is the state asked for: a rerun after a partial apply converges.
          if (isRemoval(operation) && isNoSuchEntity(error)) out.push({ operation, status: 'done' });
          else out.push({ operation, status: 'failed', error: `${describeOperation(operation)} failed in system "${system.id}": ${errorText(error)}` });
        }
      }
      return out;
    });
    const byOp = new Map(results.flat().map((r) => [r.operation, r]));
    return operations.map((op) => byOp.get(op)!);
  }
}
