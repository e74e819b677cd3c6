import {
  GenerateCredentialReportCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetCredentialReportCommand,
  GetServiceLastAccessedDetailsCommand,
  IAMClient,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsUsageReader } from '../../../src/adapters/aws/read-usage.js';
import { emptySnapshot, type AccountSnapshot } from '../../../src/core/iam/account-snapshot.js';
import type { IamSystemRef } from '../../../src/ports.js';

const SYSTEM: IamSystemRef = { id: 'aws-prod', config: { type: 'aws', accountId: '111122223333' } };
const ARN = 'arn:aws:iam::111122223333';

const REPORT = [
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated',
  `<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,2026-01-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  `kramer,${ARN}:user/kramer,2025-01-01T00:00:00+00:00,true,2026-11-20T08:00:00+00:00,2025-01-01T00:00:00+00:00,N/A,false,true,2025-02-01T00:00:00+00:00,N/A,N/A,N/A,true,2026-03-01T10:00:00+00:00,2026-11-22T09:00:00+00:00,us-east-1,s3,false,N/A,false,N/A`,
  `newman,${ARN}:user/newman,2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
].join('\n');

function account(): AccountSnapshot {
  const snapshot = emptySnapshot();
  snapshot.UserDetailList.push({ UserName: 'kramer', Arn: `${ARN}:user/kramer` }, { UserName: 'newman', Arn: `${ARN}:user/newman` });
  snapshot.RoleDetailList.push({ RoleName: 'deployer', Arn: `${ARN}:role/deployer` });
  return snapshot;
}

function setup() {
  const client = new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const mock = mockClient(client);
  const sleeps: number[] = [];
  const reader = new AwsUsageReader({ clientFor: () => client, poll: { firstDelayMs: 1000, maxDelayMs: 4000, timeoutMs: 60_000, sleep: async (ms) => void sleeps.push(ms) } });
  mock.on(GenerateCredentialReportCommand).resolvesOnce({ State: 'STARTED' }).resolves({ State: 'COMPLETE' });
  mock.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(REPORT), ReportFormat: 'text/csv' });
  mock.on(ListAccessKeysCommand, { UserName: 'kramer' }).resolves({
    AccessKeyMetadata: [
      // Listed newest first, to show keys are matched to report columns by creation time, not order.
      { AccessKeyId: 'AKIANEW', Status: 'Active', CreateDate: new Date('2026-03-01T10:00:00Z'), UserName: 'kramer' },
      { AccessKeyId: 'AKIAOLD', Status: 'Active', CreateDate: new Date('2025-02-01T00:00:00Z'), UserName: 'kramer' },
    ],
  });
  mock.on(ListAccessKeysCommand, { UserName: 'newman' }).resolves({ AccessKeyMetadata: [] });
  return { mock, reader, sleeps };
}

describe('AwsUsageReader (IAM client mocked at the boundary)', () => {
  it('adds password, MFA and access keys from the credential report, polling until it is ready', async () => {
    const { reader, sleeps, mock } = setup();
    const snapshot = await reader.addUsage(SYSTEM, account());
    const [kramer, newman] = snapshot.UserDetailList;
    expect(kramer).toMatchObject({ PasswordEnabled: true, MfaEnabled: false, PasswordLastUsed: '2026-11-20T08:00:00+00:00' });
    expect(kramer!.AccessKeys).toEqual([
      { AccessKeyId: 'AKIANEW', Status: 'Active', CreateDate: '2026-03-01T10:00:00.000Z', LastUsedDate: '2026-11-22T09:00:00+00:00', LastUsedService: 's3' },
      { AccessKeyId: 'AKIAOLD', Status: 'Active', CreateDate: '2025-02-01T00:00:00.000Z' },
    ]);
    expect(newman).toMatchObject({ PasswordEnabled: false, MfaEnabled: false, AccessKeys: [] });
    expect(newman!.PasswordLastUsed).toBeUndefined();
    expect(sleeps).toEqual([1000]);
    expect(mock.commandCalls(GenerateServiceLastAccessedDetailsCommand)).toHaveLength(0);
  });

  it('runs service-last-accessed jobs one at a time, polling politely and reading every page', async () => {
    const { reader, sleeps, mock } = setup();
    let running = 0;
    let most = 0;
    mock.on(GenerateServiceLastAccessedDetailsCommand).callsFake(async ({ Arn }: { Arn: string }) => {
      running++;
      most = Math.max(most, running);
      return { JobId: `job-${Arn.split('/').pop()}` };
    });
    const polls = new Map<string, number>();
    mock.on(GetServiceLastAccessedDetailsCommand).callsFake(async ({ JobId, Marker }: { JobId: string; Marker?: string }) => {
      const n = (polls.get(JobId) ?? 0) + 1;
      polls.set(JobId, n);
      if (n < 3 && !Marker) return { JobStatus: 'IN_PROGRESS', ServicesLastAccessed: [] };
      if (JobId === 'job-kramer' && !Marker) return { JobStatus: 'COMPLETED', IsTruncated: true, Marker: 'page-2', ServicesLastAccessed: [{ ServiceName: 'Amazon S3', ServiceNamespace: 's3', LastAuthenticated: new Date('2026-11-01T00:00:00Z') }] };
      running--;
      return { JobStatus: 'COMPLETED', IsTruncated: false, ServicesLastAccessed: [{ ServiceName: 'AWS Lambda', ServiceNamespace: 'lambda' }] };
    });
    const snapshot = await reader.addUsage(SYSTEM, account(), { serviceLastAccessed: true });
    expect(snapshot.UserDetailList[0]!.ServiceLastAccessed).toEqual([{ ServiceNamespace: 's3', LastAuthenticated: '2026-11-01T00:00:00.000Z' }, { ServiceNamespace: 'lambda' }]);
    expect(snapshot.RoleDetailList[0]!.ServiceLastAccessed).toEqual([{ ServiceNamespace: 'lambda' }]);
    expect(most).toBe(1);
    expect(mock.commandCalls(GenerateServiceLastAccessedDetailsCommand).map((c) => c.args[0].input.Arn)).toEqual([`${ARN}:user/kramer`, `${ARN}:user/newman`, `${ARN}:role/deployer`]);
    // Credential report: one wait; then per job two waits that back off (1 s, 2 s).
    expect(sleeps).toEqual([1000, 1000, 2000, 1000, 2000, 1000, 2000]);
  });

  it('fails, naming the principal, when a job fails or never finishes', async () => {
    const failing = setup();
    failing.mock.on(GenerateServiceLastAccessedDetailsCommand).resolves({ JobId: 'j' });
    failing.mock.on(GetServiceLastAccessedDetailsCommand).resolves({ JobStatus: 'FAILED', Error: { Message: 'denied', Code: 'AccessDenied' } });
    await expect(failing.reader.addUsage(SYSTEM, account(), { serviceLastAccessed: true })).rejects.toThrow(`the service-last-accessed job for ${ARN}:user/kramer failed: denied`);

    const stuck = setup();
    stuck.mock.on(GenerateServiceLastAccessedDetailsCommand).resolves({ JobId: 'j' });
    stuck.mock.on(GetServiceLastAccessedDetailsCommand).resolves({ JobStatus: 'IN_PROGRESS' });
    await expect(stuck.reader.addUsage(SYSTEM, account(), { serviceLastAccessed: true })).rejects.toThrow(/was not ready after \d+ s/);
  });
});
