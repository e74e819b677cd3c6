// A 72-operation apply against moto behind a proxy that answers 20% of requests with IAM's Throttling,
// once with the SDK's adaptive retry mode (its client-side rate limiter on) and once in standard mode (the
// default since issue 12), both with grantops's own retry loop and real backoff sleeps. Prints the wall
// time and retries of each, measured in one run. `npm run bench:retry-modes`. Not a test.
import { createServer, request } from 'node:http';
import { CreateGroupCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { AwsIamProvider } from '../lib/adapters/aws/aws-iam-provider.js';
import { createIamClient } from '../lib/adapters/aws/iam-client.js';
import { CREDENTIALS, startMoto } from './apply-org.mjs';

const USERS = 24;
const RATE = 0.2;
const THROTTLING = '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>0</RequestId></ErrorResponse>';

function randomFrom(seed) {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

/** Passes requests on to `target`, answering RATE of them with Throttling instead. */
async function throttlingProxy(target, random) {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (random() < RATE) return res.writeHead(400, { 'content-type': 'text/xml' }).end(THROTTLING);
      const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }) };
}

const SYSTEM = { id: 'aws-prod', config: { type: 'aws', accountId: '111122223333' } };
const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sqs:Receive*'], Resource: '*' }] };
const operations = Array.from({ length: USERS }, (_, i) => [
  { action: 'attach-user-policy', system: 'aws-prod', principal: `u${i}`, target: 'arn:aws:iam::aws:policy/ReadOnlyAccess', resource: 'read', grant: `access/grants/p${i}/read.yaml`, reason: 'bench' },
  { action: 'add-user-to-group', system: 'aws-prod', principal: `u${i}`, target: 'log-readers', resource: 'logs', grant: `access/grants/p${i}/logs.yaml`, reason: 'bench' },
  { action: 'put-user-policy', system: 'aws-prod', principal: `u${i}`, target: 'grantops-tickets', resource: 'tickets', grant: `access/grants/p${i}/tickets.yaml`, reason: 'bench', document },
]).flat();

async function measure(moto, mode) {
  await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
  const admin = new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: CREDENTIALS });
  await admin.send(new CreateGroupCommand({ GroupName: 'log-readers' }));
  for (let i = 0; i < USERS; i++) await admin.send(new CreateUserCommand({ UserName: `u${i}` }));
  admin.destroy();
  const proxy = await throttlingProxy(moto.endpoint, randomFrom(42));
  const provider = new AwsIamProvider({ clientFor: (system) => createIamClient(system, { AWS_ENDPOINT_URL_IAM: proxy.endpoint, AWS_RETRY_MODE: mode }, { credentials: CREDENTIALS }) });
  const started = performance.now();
  const results = await provider.applyOperations(SYSTEM, operations);
  const ms = performance.now() - started;
  await proxy.close();
  return { mode, ms, failed: results.filter((r) => r.status !== 'done').length, retries: provider.readRetries() };
}

const moto = await startMoto();
try {
  const adaptive = await measure(moto, 'adaptive');
  const standard = await measure(moto, 'standard');
  console.log(`${operations.length} operations, ${RATE * 100}% of requests throttled, 4 in flight, grantops's retry loop with real backoff`);
  console.log('retry mode | wall time | retries | failed');
  for (const r of [adaptive, standard]) console.log(`${r.mode.padEnd(10)} | ${(r.ms / 1000).toFixed(2).padStart(7)} s | ${String(r.retries.total).padStart(7)} | ${r.failed}`);
  console.log(`adaptive / standard: ${(adaptive.ms / standard.ms).toFixed(1)}x`);
  process.exitCode = adaptive.failed + standard.failed === 0 ? 0 : 1;
} finally {
  await moto.stop();
}
