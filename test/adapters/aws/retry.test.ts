import {
  AttachUserPolicyCommand,
  ConcurrentModificationException,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  IAMClient,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsIamProvider } from '../../../src/adapters/aws/aws-iam-provider.js';
import { createIamClient } from '../../../src/adapters/aws/iam-client.js';
import { backoffDelay, isRetryableIamError, withRetry } from '../../../src/adapters/aws/retry.js';
import type { IamOperation } from '../../../src/core/plan/iam-operation.js';
import type { IamSystemRef } from '../../../src/ports.js';

const SYSTEM: IamSystemRef = { id: 'aws-prod', config: { type: 'aws', accountId: '111122223333' } };
const POLICY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

function throttling(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
}

function attach(user: string): IamOperation {
  return { action: 'attach-user-policy', system: 'aws-prod', principal: user, target: POLICY, resource: 'read', grant: `access/grants/${user}/read.yaml`, reason: 'test' };
}

/** A provider over a mocked client, recording each backoff instead of sleeping it. */
function setup(options: { maxAttempts?: number; concurrency?: number } = {}) {
  const client = new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const mock = mockClient(client);
  const sleeps: number[] = [];
  const provider = new AwsIamProvider({
    clientFor: () => client,
    concurrency: options.concurrency,
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, maxAttempts: options.maxAttempts ?? 5, baseDelayMs: 100 },
  });
  return { mock, sleeps, provider };
}

describe('aws provider retries at the client boundary', () => {
  it('retries Throttling with growing backoff, then succeeds', async () => {
    const { mock, sleeps, provider } = setup();
    mock.on(AttachUserPolicyCommand).rejectsOnce(throttling()).rejectsOnce(throttling()).resolves({});
    const [result] = await provider.applyOperations(SYSTEM, [attach('dev')]);
    expect(result!.status).toBe('done');
    expect(mock.commandCalls(AttachUserPolicyCommand)).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]);
  });

  it('retries ConcurrentModificationException', async () => {
    const { mock, provider } = setup();
    mock.on(AttachUserPolicyCommand).rejectsOnce(new ConcurrentModificationException({ message: 'busy', $metadata: {} })).resolves({});
    const [result] = await provider.applyOperations(SYSTEM, [attach('dev')]);
    expect(result!.status).toBe('done');
    expect(mock.commandCalls(AttachUserPolicyCommand)).toHaveLength(2);
  });

  it('does not retry other errors, and names the grant in the failure', async () => {
    const { mock, sleeps, provider } = setup();
    mock.on(AttachUserPolicyCommand).rejects(Object.assign(new Error('User: arn:aws:sts::1:assumed-role/x is not authorized'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    const [result] = await provider.applyOperations(SYSTEM, [attach('dev')]);
    expect(result).toMatchObject({ status: 'failed' });
    expect(result!.error).toBe(`attach-user-policy dev ${POLICY} (access/grants/dev/read.yaml) failed in system "aws-prod": AccessDenied: User: arn:aws:sts::1:assumed-role/x is not authorized`);
    expect(mock.commandCalls(AttachUserPolicyCommand)).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('gives up after maxAttempts of throttling, as a failed result', async () => {
    const { mock, sleeps, provider } = setup({ maxAttempts: 3 });
    mock.on(AttachUserPolicyCommand).rejects(throttling());
    const [result] = await provider.applyOperations(SYSTEM, [attach('dev')]);
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/Throttling: Rate exceeded$/) });
    expect(mock.commandCalls(AttachUserPolicyCommand)).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('treats a removal of what is already gone as done, but not an addition to a missing user', async () => {
    const { mock, provider } = setup();
    const missing = new NoSuchEntityException({ message: 'not found', $metadata: {} });
    mock.onAnyCommand().rejects(missing);
    const results = await provider.applyOperations(SYSTEM, [{ ...attach('dev'), action: 'detach-user-policy' }, attach('dev')]);
    expect(results.map((r) => r.status)).toEqual(['done', 'failed']);
  });

  it('keeps at most `concurrency` calls in flight (default 4)', async () => {
    for (const [concurrency, expected] of [[undefined, 4], [2, 2]] as const) {
      const { mock, provider } = setup({ concurrency });
      let inFlight = 0;
      let peak = 0;
      mock.on(AttachUserPolicyCommand).callsFake(async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        return {};
      });
      const results = await provider.applyOperations(SYSTEM, Array.from({ length: 12 }, (_, i) => attach(`u${i}`)));
      expect(results.every((r) => r.status === 'done')).toBe(true);
      expect(peak).toBe(expected);
    }
  });

  it('reads every page of the authorization details and URL-decodes the documents', async () => {
    const { mock, provider } = setup();
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a b/*' }] };
    mock
      .on(GetAccountAuthorizationDetailsCommand, { Marker: undefined })
      .resolves({ IsTruncated: true, Marker: 'm1', UserDetailList: [{ UserName: 'a', Arn: 'arn:aws:iam::111122223333:user/a', UserPolicyList: [{ PolicyName: 'p', PolicyDocument: encodeURIComponent(JSON.stringify(doc)) }] }] })
      .on(GetAccountAuthorizationDetailsCommand, { Marker: 'm1' })
      .rejectsOnce(throttling())
      .resolves({ IsTruncated: false, UserDetailList: [{ UserName: 'b', Arn: 'arn:aws:iam::111122223333:user/b', CreateDate: new Date('2026-01-02T03:04:05Z') }] });
    mock.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AttachedPoliciesPerUserQuota: 20 } });
    const snap = await provider.readSnapshot(SYSTEM, { include: ['User'] });
    expect(snap.UserDetailList.map((u) => u.UserName)).toEqual(['a', 'b']);
    expect(snap.UserDetailList[0]!.UserPolicyList).toEqual([{ PolicyName: 'p', PolicyDocument: doc }]);
    expect(snap.UserDetailList[1]!.CreateDate).toBe('2026-01-02T03:04:05.000Z');
    expect(snap.SummaryMap).toEqual({ AttachedPoliciesPerUserQuota: 20 });
    expect(mock.commandCalls(GetAccountAuthorizationDetailsCommand).map((c) => c.args[0].input)).toEqual([
      { Filter: ['User'], MaxItems: 1000, Marker: undefined },
      { Filter: ['User'], MaxItems: 1000, Marker: 'm1' },
      { Filter: ['User'], MaxItems: 1000, Marker: 'm1' },
    ]);
  });
});

describe('retry policy', () => {
  it.each([
    ['Throttling', true],
    ['ThrottlingException', true],
    ['ConcurrentModificationException', true],
    ['ServiceFailureException', true],
    ['AccessDenied', false],
    ['NoSuchEntityException', false],
    ['LimitExceededException', false],
    ['MalformedPolicyDocumentException', false],
  ])('%s retryable: %s', (name, retryable) => {
    expect(isRetryableIamError(Object.assign(new Error('x'), { name }))).toBe(retryable);
  });

  it('retries a 5xx and a connection reset', () => {
    expect(isRetryableIamError(Object.assign(new Error('x'), { name: 'Unknown', $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isRetryableIamError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
  });

  it('full-jitter backoff doubles up to the cap', () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 };
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, opts))).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('withRetry tells of every retry by reason, and of giving up', async () => {
    const told: string[] = [];
    const failures = [throttling(), Object.assign(new Error('busy'), { name: 'ConcurrentModificationException' }), Object.assign(new Error('reset'), { code: 'ECONNRESET' }), Object.assign(new Error('oops'), { name: 'ServiceFailure', $metadata: { httpStatusCode: 500 } })];
    let calls = 0;
    await expect(withRetry(async () => Promise.reject(failures[calls++ % failures.length]), { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined, random: () => 0, onRetry: (reason, gaveUp) => told.push(`${reason}${gaveUp ? ' (gave up)' : ''}`) })).rejects.toThrow('oops');
    expect(told).toEqual(['Throttling', 'ConcurrentModification', 'connection', '5xx (gave up)']);
  });

  it('withRetry returns the value of the first success', async () => {
    let calls = 0;
    const value = await withRetry(async () => (++calls < 3 ? Promise.reject(throttling()) : 'ok'), { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined, random: () => 0 });
    expect({ value, calls }).toEqual({ value: 'ok', calls: 3 });
  });
});

describe('IAM client settings', () => {
  it('uses standard retry mode (no client-side rate limiter; adaptive only when asked) and the IAM endpoint override', async () => {
    const client = createIamClient(SYSTEM, { AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:4566' }, { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const strategy = await client.config.retryStrategy();
    expect((strategy as { mode?: string }).mode).toBe('standard');
    const adaptive = createIamClient(SYSTEM, { AWS_RETRY_MODE: 'adaptive' }, { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    expect(((await adaptive.config.retryStrategy()) as { mode?: string }).mode).toBe('adaptive');
    const endpoint = await client.config.endpoint?.();
    expect(endpoint).toMatchObject({ hostname: '127.0.0.1', port: 4566, protocol: 'http:' });
  });

  it("prefers the system's own endpoint over the environment", async () => {
    const client = createIamClient({ ...SYSTEM, config: { ...SYSTEM.config, endpoint: 'http://127.0.0.1:5000' } }, { AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:4566' });
    expect(await client.config.endpoint?.()).toMatchObject({ port: 5000 });
  });
});
