// A recording HTTP proxy in front of the emulator, on a thread of its own (so its work is not charged to
// the run it measures): every AWS call passes through it and is kept with who signed it (the access key
// of the credential scope), its service and its action, and the request itself, so a bench can count the
// calls of a run and send the same requests again. Not a test.
import { createServer, request } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** Service (credential scope), action (query `Action` or JSON `X-Amz-Target`) and signing key of one request. */
export function describeRequest(headers, body) {
  const scope = /Credential=([^/]+)\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(headers.authorization ?? ''));
  const target = String(headers['x-amz-target'] ?? '');
  const action = target ? target.split('.').pop() : (new URLSearchParams(body).get('Action') ?? '');
  return { accessKeyId: scope?.[1] ?? '', service: scope?.[2] ?? '', action };
}

function serve({ upstream }) {
  const target = new URL(upstream);
  let calls = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      calls.push({ ...describeRequest(req.headers, body), method: req.method, path: req.url, headers: req.headers, body });
      forward(req, res, body);
    });
  });
  const forward = (req, res, body) => {
    const out = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', (error) => {
      res.writeHead(502);
      res.end(String(error));
    });
    out.end(body);
  };
  server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
  parentPort.on('message', (message) => {
    if (message === 'take') {
      parentPort.postMessage({ calls });
      calls = [];
    } else if (message === 'stop') server.close(() => parentPort.close());
  });
}

/** Starts the proxy thread; `take()` hands over the calls recorded since the last take and forgets them. */
export async function startRecordingProxy(upstream) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { upstream } });
  let waiting;
  worker.on('message', (message) => waiting?.resolve(message));
  worker.on('error', (error) => waiting?.reject(error));
  const next = () => new Promise((resolve, reject) => (waiting = { resolve, reject }));
  const { port } = await next();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    take: async () => {
      const answer = next();
      worker.postMessage('take');
      return (await answer).calls;
    },
    stop: async () => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('stop');
      await exited;
    },
  };
}

/** Sends recorded requests again to `endpoint`, `concurrency` at a time; resolves to the wall time in ms. */
export async function replay(calls, endpoint, concurrency) {
  const target = new URL(endpoint);
  const send = (call) => new Promise((resolve, reject) => {
    const out = request({ host: target.hostname, port: target.port, method: call.method, path: call.path, headers: { ...call.headers, host: target.host } }, (answer) => {
      answer.resume();
      answer.on('end', () => (answer.statusCode < 500 ? resolve() : reject(new Error(`${call.action}: HTTP ${answer.statusCode}`))));
    });
    out.on('error', reject);
    out.end(call.body);
  });
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < calls.length) await send(calls[next++]);
  }));
  return performance.now() - started;
}

if (!isMainThread) serve(workerData);
