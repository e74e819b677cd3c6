import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AccountSnapshot } from '../../core/iam/account-snapshot.js';
import { applyToSnapshot } from '../../core/iam/apply-to-snapshot.js';
import { parseAccountSnapshot } from '../../core/iam/parse-account-snapshot.js';
import { DEFAULT_QUOTAS } from '../../core/plan/account-quotas.js';
import { describeOperation, type IamOperation, type OperationResult } from '../../core/plan/iam-operation.js';
import type { IamProvider, IamSystemRef, ReadSnapshotOptions, SnapshotPart } from '../../ports.js';
import { writeFileAtomic } from './atomic-write.js';

/** AWS's default quotas, as GetAccountSummary names them; a state without a SummaryMap gets these. */
export const DEFAULT_SUMMARY_MAP: Readonly<Record<string, number>> = {
  AttachedPoliciesPerUserQuota: DEFAULT_QUOTAS.attachedPoliciesPerUser,
  GroupsPerUserQuota: DEFAULT_QUOTAS.groupsPerUser,
  UserPolicySizeQuota: DEFAULT_QUOTAS.userPolicySize,
};

export interface FileIamProviderOptions {
  /** The state file of each system id; `default` serves a system not listed. Paths resolve against `cwd`. */
  states: Readonly<Record<string, string>>;
  defaultState?: string;
  cwd: string;
}

/**
 * The embedded provider: an account is a JSON file in the get-account-authorization-details format, an
 * Identity Center instance a JSON file in the Identity Center state format (`IdentityCenterState`).
 * Operations change it in memory and the file is replaced atomically once per batch, so a crash leaves
 * the old state or the new, never half of one.
 */
export class FileIamProvider implements IamProvider {
  readonly kind = 'file';
  /** Batches on one file run one after another: each reads what the previous one wrote. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly options: FileIamProviderOptions) {}

  statePath(system: IamSystemRef): string {
    const path = this.options.states[system.id] ?? this.options.defaultState;
    if (!path) throw new Error(`no state file for system "${system.id}": pass --state FILE (or --state ${system.id}=FILE)`);
    return resolve(this.options.cwd, path);
  }

  private async load(path: string): Promise<AccountSnapshot> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(code === 'ENOENT' ? `state file ${path} does not exist` : `cannot read state file ${path}: ${(error as Error).message}`);
    }
    return parseAccountSnapshot(text, path);
  }

  async readSnapshot(system: IamSystemRef, options: ReadSnapshotOptions = {}): Promise<AccountSnapshot> {
    const snapshot = await this.load(this.statePath(system));
    const include = new Set<SnapshotPart>(options.include ?? ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy']);
    const isAws = (arn: string) => /:iam::aws:policy\//.test(arn);
    return {
      UserDetailList: include.has('User') ? snapshot.UserDetailList : [],
      GroupDetailList: include.has('Group') ? snapshot.GroupDetailList : [],
      RoleDetailList: include.has('Role') ? snapshot.RoleDetailList : [],
      Policies: snapshot.Policies.filter((p) => include.has(isAws(p.Arn) ? 'AWSManagedPolicy' : 'LocalManagedPolicy')),
      SummaryMap: { ...DEFAULT_SUMMARY_MAP, ...snapshot.SummaryMap },
      ...(snapshot.IdentityCenter ? { IdentityCenter: snapshot.IdentityCenter } : {}),
    };
  }

  async readAccountSummary(system: IamSystemRef): Promise<Record<string, number>> {
    const snapshot = await this.load(this.statePath(system));
    return { ...DEFAULT_SUMMARY_MAP, ...snapshot.SummaryMap };
  }

  async applyOperations(system: IamSystemRef, operations: readonly IamOperation[]): Promise<OperationResult[]> {
    const path = this.statePath(system);
    const previous = this.queues.get(path) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.applyNow(path, operations));
    this.queues.set(path, run);
    return run;
  }

  private async applyNow(path: string, operations: readonly IamOperation[]): Promise<OperationResult[]> {
    if (operations.length === 0) return [];
    const snapshot = await this.load(path);
    const results = operations.map((operation): OperationResult => {
      const refusal = applyToSnapshot(snapshot, operation);
      return refusal === undefined ? { operation, status: 'done' } : { operation, status: 'failed', error: `${describeOperation(operation)}: ${refusal}` };
    });
    // An Identity Center state is written back in its own format, without the empty IAM lists.
    const state = snapshot.IdentityCenter ?? snapshot;
    if (results.some((r) => r.status === 'done')) await writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`);
    return results;
  }
}
