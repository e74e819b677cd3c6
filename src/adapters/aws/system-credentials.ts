import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import type { IAMClientConfig } from '@aws-sdk/client-iam';
import type { IamSystemRef } from '../../ports.js';
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** What an AWS SDK client signs with: fixed credentials, or a function that yields them. */
export type ClientCredentials = NonNullable<IAMClientConfig['credentials']>;
type AwsCredentialIdentity = Exclude<ClientCredentials, (...args: never[]) => unknown>;

/** Credentials are renewed this long before they expire, so no call is signed with ones about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;

export interface SystemCredentialsOptions {
  env: Env;
  /** The run's own credentials (the SDK's default chain when absent). */
  base?: ClientCredentials;
  /** Names the run in CloudTrail: every session grantops starts carries it. */
  sessionName?: string;
  retry?: Partial<RetryOptions>;
  /** Extra STS client settings (a request handler in tests). */
  stsConfig?: Partial<STSClientConfig>;
  /** Injectable clock for renewal (the adapters' own; the core never reads time). */
  now?: () => number;
  /** The run only reads: a system's `planRoleArn`, when it names one, is assumed instead of `roleArn`. */
  readOnly?: boolean;
}

/**
 * The session name an assumed role carries: the GitHub Actions run when there is one
 * (`grantops-<repo>-<run id>-<attempt>`), else the local user and the time. STS allows 2-64 of [\w+=,.@-].
 */
export function sessionNameOf(env: Env, now: number = Date.now()): string {
  const raw = env.GITHUB_RUN_ID
    ? `grantops-${(env.GITHUB_REPOSITORY ?? '').split('/').pop() ?? ''}-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`
    : `grantops-${env.USER ?? env.USERNAME ?? 'cli'}-${Math.floor(now / 1000)}`;
  return raw.replace(/[^\w+=,.@-]/g, '-').replace(/-+/g, '-').slice(0, 64);
}

function accountOfArn(arn: string | undefined): string | undefined {
  return arn?.split(':')[4] || undefined;
}

/**
 * The credentials each system is reached with: its `roleArn` (for a run that only reads, its `planRoleArn`
 * when it names one) assumed through STS from the run's own
 * credentials (with its `externalId`), or the run's credentials when it names no role. One session per
 * system per run, renewed before it expires. A role that cannot be assumed, or whose session lands in
 * another account than the system's, fails that system's calls alone.
 */
export class SystemCredentials {
  private readonly sessions = new Map<string, { promise: Promise<AwsCredentialIdentity>; renewAt?: number }>();
  private readonly retry: RetryOptions;
  private readonly now: () => number;
  private sts?: STSClient;
  /** AssumeRole calls made, per role ARN (for call budgets). */
  readonly assumed = new Map<string, number>();

  constructor(private readonly options: SystemCredentialsOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.now = options.now ?? Date.now;
  }

  /** What a client of `system` signs with: undefined means the SDK's default chain (the run's own). */
  for(system: IamSystemRef): ClientCredentials | undefined {
    const roleArn = this.roleOf(system);
    if (!roleArn) return this.options.base;
    return async () => ((await this.runsAs(system, roleArn)) ? this.baseIdentity(system) : this.session(system, roleArn));
  }

  /** The role this run reaches the system with: the read-only one for a run that only reads, when named. */
  private roleOf(system: IamSystemRef): string | undefined {
    return (this.options.readOnly ? system.config.planRoleArn : undefined) ?? system.config.roleArn;
  }

  private identity?: Promise<string | undefined>;

  /**
   * True when the run's credentials already are a session of the role (a matrix job that assumed its
   * system's connector through OIDC): the role is then used as it is, not assumed from itself again.
   */
  private async runsAs(system: IamSystemRef, roleArn: string): Promise<boolean> {
    this.identity ??= this.stsClient(system)
      .send(new GetCallerIdentityCommand({}))
      .then((out) => out.Arn, () => undefined);
    const arn = await this.identity;
    const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn ?? '');
    const role = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
    return !!session && !!role && session[1] === role[1] && session[2] === role[2] && session[3] === role[3];
  }

  private async baseIdentity(system: IamSystemRef): Promise<AwsCredentialIdentity> {
    const base = this.options.base;
    if (typeof base === 'function') return base();
    if (base) return base;
    // The SDK's default chain, resolved the way the STS client resolves it.
    return this.stsClient(system).config.credentials();
  }

  /** One session per system, shared by every call; a failure is kept too, so a broken role fails fast. */
  private session(system: IamSystemRef, roleArn: string): Promise<AwsCredentialIdentity> {
    const key = `${system.id}\u0000${roleArn}`;
    const entry = this.sessions.get(key);
    if (entry && (entry.renewAt === undefined || entry.renewAt > this.now())) return entry.promise;
    const fresh: { promise: Promise<AwsCredentialIdentity>; renewAt?: number } = { promise: this.assume(system, roleArn) };
    fresh.promise.then((c) => (fresh.renewAt = c.expiration ? c.expiration.getTime() - RENEW_BEFORE_MS : undefined), () => undefined);
    this.sessions.set(key, fresh);
    return fresh.promise;
  }

  private stsClient(system: IamSystemRef): STSClient {
    const env = this.options.env;
    const endpoint = env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL;
    this.sts ??= new STSClient({
      region: system.config.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
      maxAttempts: 1,
      ...(endpoint ? { endpoint } : {}),
      ...(this.options.base ? { credentials: this.options.base } : {}),
      ...this.options.stsConfig,
    });
    return this.sts;
  }

  private async assume(system: IamSystemRef, roleArn: string): Promise<AwsCredentialIdentity> {
    this.assumed.set(roleArn, (this.assumed.get(roleArn) ?? 0) + 1);
    const sts = this.stsClient(system);
    let out;
    try {
      out = await withRetry(
        () => sts.send(new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: this.options.sessionName ?? sessionNameOf(this.options.env, this.now()),
          ...(system.config.externalId ? { ExternalId: system.config.externalId } : {}),
        })),
        this.retry,
      );
    } catch (error) {
      throw new Error(`cannot assume ${roleArn} for system "${system.id}": ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    const landed = accountOfArn(out.AssumedRoleUser?.Arn);
    const expected = system.config.type === 'aws' ? system.config.accountId : accountOfArn(roleArn);
    if (landed && expected && landed !== expected) {
      throw new Error(`the session of ${roleArn} for system "${system.id}" is in account ${landed}, not ${expected}; refusing to use it`);
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`STS returned no credentials for ${roleArn} (system "${system.id}")`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}), ...(c.Expiration ? { expiration: c.Expiration } : {}) };
  }
}
