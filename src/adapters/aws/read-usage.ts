import {
  GenerateCredentialReportCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetCredentialReportCommand,
  GetServiceLastAccessedDetailsCommand,
  ListAccessKeysCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { parse } from 'csv-parse/sync';
import type { AccessKeyInfo, AccountSnapshot, ServiceLastAccessed } from '../../core/iam/account-snapshot.js';
import type { IamSystemRef, IamUsageReader, ReadUsageOptions } from '../../ports.js';
import { createIamClient, type Env } from './iam-client.js';
import { SystemCredentials } from './system-credentials.js';
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry.js';
import { runBounded } from './run-bounded.js';

/** How long to wait between polls of a report or job: it starts short and backs off, IAM builds these slowly. */
export interface PollOptions {
  firstDelayMs: number;
  maxDelayMs: number;
  /** Give up on one report or job after this long in all. */
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_POLL: PollOptions = { firstDelayMs: 1000, maxDelayMs: 10_000, timeoutMs: 300_000, sleep: DEFAULT_RETRY.sleep };

export interface AwsUsageReaderOptions {
  env?: Record<string, string | undefined>;
  retry?: Partial<RetryOptions>;
  poll?: Partial<PollOptions>;
  /** ListAccessKeys calls in flight at once. */
  concurrency?: number;
  clientFor?: (system: IamSystemRef) => IAMClient;
}

type Send = IAMClient['send'];

/** Calls `step` until it returns a value, sleeping with backoff in between. */
async function poll<T>(what: string, step: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  let waited = 0;
  for (let delay = options.firstDelayMs; ; delay = Math.min(options.maxDelayMs, delay * 2)) {
    const value = await step();
    if (value !== undefined) return value;
    if (waited + delay > options.timeoutMs) throw new Error(`${what} was not ready after ${Math.round(waited / 1000)} s`);
    await options.sleep(delay);
    waited += delay;
  }
}

const present = (value: string | undefined) => (value && !['N/A', 'no_information', 'not_supported'].includes(value) ? value : undefined);

interface CredentialRow {
  user: string;
  password_enabled: string;
  password_last_used: string;
  mfa_active: string;
  [column: string]: string;
}

/**
 * The credential report: password, MFA and the two access keys of every user, in one document. Access
 * key ids are not in it, so ListAccessKeys supplies them; a key is matched to its report column by its
 * creation time (the report's `last_rotated`).
 */
export async function readCredentialReport(send: Send, poller: PollOptions): Promise<Map<string, CredentialRow>> {
  await poll('the credential report', async () => {
    const out = await send(new GenerateCredentialReportCommand({}));
    return out.State === 'COMPLETE' ? true : undefined;
  }, poller);
  const report = await send(new GetCredentialReportCommand({}));
  const text = typeof report.Content === 'string' ? report.Content : new TextDecoder().decode(report.Content ?? new Uint8Array());
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as CredentialRow[];
  return new Map(rows.filter((r) => r.user !== '<root_account>').map((r) => [r.user, r]));
}

function sameSecond(a: string | undefined, b: Date | undefined): boolean {
  return a !== undefined && b !== undefined && Math.floor(Date.parse(a) / 1000) === Math.floor(b.getTime() / 1000);
}

/**
 * Per-service last use of one principal: a GenerateServiceLastAccessedDetails job, polled until done,
 * its pages read. Callers run one job at a time: IAM limits concurrent jobs per account.
 */
export async function readServiceLastAccessed(send: Send, arn: string, poller: PollOptions): Promise<ServiceLastAccessed[]> {
  const { JobId } = await send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn, Granularity: 'SERVICE_LEVEL' }));
  if (!JobId) throw new Error(`GenerateServiceLastAccessedDetails for ${arn} returned no job id`);
  const out: ServiceLastAccessed[] = [];
  let marker: string | undefined;
  let page = await poll(`the service-last-accessed job for ${arn}`, async () => {
    const result = await send(new GetServiceLastAccessedDetailsCommand({ JobId }));
    if (result.JobStatus === 'FAILED') throw new Error(`the service-last-accessed job for ${arn} failed: ${result.Error?.Message ?? 'no reason given'}`);
    return result.JobStatus === 'COMPLETED' ? result : undefined;
  }, poller);
  for (;;) {
    for (const s of page.ServicesLastAccessed ?? []) {
      if (s.ServiceNamespace) out.push({ ServiceNamespace: s.ServiceNamespace, ...(s.LastAuthenticated ? { LastAuthenticated: s.LastAuthenticated.toISOString() } : {}) });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
    if (!marker) return out;
    page = await send(new GetServiceLastAccessedDetailsCommand({ JobId, Marker: marker }));
  }
}

/** Usage tracking against the real account: credential facts for every user, service last use on request. */
export class AwsUsageReader implements IamUsageReader {
  private readonly retry: RetryOptions;
  private readonly poller: PollOptions;
  private credentials?: SystemCredentials;

  constructor(private readonly options: AwsUsageReaderOptions = {}) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.poller = { ...DEFAULT_POLL, ...options.poll };
  }

  async addUsage(system: IamSystemRef, snapshot: AccountSnapshot, options: ReadUsageOptions = {}): Promise<AccountSnapshot> {
    // Usage facts are of IAM users; an Identity Center instance has none to read.
    if (system.config.type !== 'aws') return snapshot;
    this.credentials ??= new SystemCredentials({ env: (this.options.env ?? {}) as Env, retry: this.options.retry, readOnly: true });
    const credentials = this.credentials.for(system);
    const client = this.options.clientFor?.(system) ?? createIamClient(system, (this.options.env ?? {}) as Env, credentials ? { credentials } : {});
    const send: Send = ((command: Parameters<Send>[0]) => withRetry(() => client.send(command), this.retry)) as Send;
    const report = await readCredentialReport(send, this.poller);

    const users = await runBounded(snapshot.UserDetailList, Math.max(1, this.options.concurrency ?? 4), async (user) => {
      const row = report.get(user.UserName);
      const listed = (await send(new ListAccessKeysCommand({ UserName: user.UserName }))).AccessKeyMetadata ?? [];
      const keys: AccessKeyInfo[] = listed.map((k, i) => {
        const column = [1, 2].find((n) => sameSecond(row?.[`access_key_${n}_last_rotated`], k.CreateDate)) ?? i + 1;
        return {
          AccessKeyId: k.AccessKeyId ?? '',
          Status: k.Status === 'Active' ? 'Active' : 'Inactive',
          CreateDate: (k.CreateDate ?? new Date(0)).toISOString(),
          ...(present(row?.[`access_key_${column}_last_used_date`]) ? { LastUsedDate: row![`access_key_${column}_last_used_date`] } : {}),
          ...(present(row?.[`access_key_${column}_last_used_service`]) ? { LastUsedService: row![`access_key_${column}_last_used_service`] } : {}),
        };
      });
      return {
        ...user,
        ...(row ? { PasswordEnabled: row.password_enabled === 'true', MfaEnabled: row.mfa_active === 'true' } : {}),
        ...(present(row?.password_last_used) ? { PasswordLastUsed: row!.password_last_used } : {}),
        AccessKeys: keys,
      };
    });

    const roles = [...snapshot.RoleDetailList];
    if (options.serviceLastAccessed) {
      // One job at a time, on purpose: politeness to IAM beats speed for a read-out.
      for (const user of users) user.ServiceLastAccessed = await readServiceLastAccessed(send, user.Arn, this.poller);
      for (let i = 0; i < roles.length; i++) roles[i] = { ...roles[i]!, ServiceLastAccessed: await readServiceLastAccessed(send, roles[i]!.Arn, this.poller) };
    }
    return { ...snapshot, UserDetailList: users, RoleDetailList: roles };
  }
}
