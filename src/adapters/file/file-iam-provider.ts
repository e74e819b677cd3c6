import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AccountSnapshot } from '../../core/iam/account-snapshot.js';
import { applyToSnapshot } from '../../core/iam/apply-to-snapshot.js';
import { parseAccountSnapshot } from '../../core/iam/parse-account-snapshot.js';
import { DEFAULT_QUOTAS } from '../../core/plan/account-quotas.js';
import { describeOperation, type IamOperation, type OperationResult } from '../../core/plan/iam-operation.js';
import type { IamProvider, IamSystemRef, ReadSnapshotOptions, SnapshotPart } from '../../ports.js';
import { writeFileAtomic } from './atomic-write.js';
import { readOrganisationSystems, stateFileOf, type OrganisationSystem } from './state-files.js';

/** AWS's default quotas, as GetAccountSummary names them; a state without a SummaryMap gets these. */
export const DEFAULT_SUMMARY_MAP: Readonly<Record<string, number>> = {
  AttachedPoliciesPerUserQuota: DEFAULT_QUOTAS.attachedPoliciesPerUser,
  GroupsPerUserQuota: DEFAULT_QUOTAS.groupsPerUser,
  UserPolicySizeQuota: DEFAULT_QUOTAS.userPolicySize,
};

export interface FileIamProviderOptions {
  /** The state file of each system id (`--state SYSTEM=FILE`). Paths resolve against `cwd`. */
  states: Readonly<Record<string, string>>;
  /** `--state FILE`: the first aws system's state (every system's when there is no `dir`). */
  defaultState?: string;
  cwd: string;
  /**
   * The access directory, relative to `cwd`: its grantops.yaml says which system is the first aws one;
   * every other system without a named state reads `examples/state/<id>.json` (decision 0054).
   */
  dir?: string;
  /** The systems the command is narrowed to (`--system`). */
  systems?: readonly string[];
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

  /** grantops.yaml's systems, read once, when the first state is looked for. */
  private organisation?: { systems?: OrganisationSystem[] };

  constructor(private readonly options: FileIamProviderOptions) {}

  statePath(system: IamSystemRef): string {
    return resolve(this.options.cwd, this.stateFile(system).path);
  }

  private stateFile(system: IamSystemRef): { path: string; given: boolean } {
    const { dir, cwd } = this.options;
    this.organisation ??= { systems: dir === undefined ? undefined : readOrganisationSystems(cwd, dir) };
    return stateFileOf(system.id, { named: this.options.states, unnamed: this.options.defaultState, organisation: this.organisation.systems, selected: this.options.systems });
  }

  /** One system's state. A system nobody gave a state is refused, never read as an empty account (which would grant everything again). */
  private loadSystem(system: IamSystemRef): Promise<AccountSnapshot> {
    const file = this.stateFile(system);
    const missing = file.given ? undefined : `no state for system "${system.id}": ${file.path} does not exist (give one with --state ${system.id}=FILE)`;
    return this.load(resolve(this.options.cwd, file.path), missing);
  }

  private async load(path: string, missing = `state file ${path} does not exist`): Promise<AccountSnapshot> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(code === 'ENOENT' ? missing : `cannot read state file ${path}: ${(error as Error).message}`);
    }
    return parseAccountSnapshot(text, path);
  }

  async readSnapshot(system: IamSystemRef, options: ReadSnapshotOptions = {}): Promise<AccountSnapshot> {
    const snapshot = await this.loadSystem(system);
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
    const snapshot = await this.loadSystem(system);
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
