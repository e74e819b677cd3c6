import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does to one request instead of passing it on cleanly:
 * - `Throttling` / `ConcurrentModification` / `5xx`: IAM's own error answers, the request never reaches the emulator;
 * - `drop`: the connection is cut before the request is passed on;
 * - `drop-after`: the request IS passed on and applied, then the connection is cut before the answer (the
 *   case that tempts a client to do the same thing twice).
 */
export type Fault = 'Throttling' | 'ConcurrentModification' | '5xx' | 'drop' | 'drop-after';

export interface ProxiedRequest {
  /** The IAM action (`AttachUserPolicy`, `GetAccountAuthorizationDetails`, …). */
  action: string;
  /** The action with the entity it changes, e.g. `AttachUserPolicy dev arn:aws:iam::aws:policy/X`. */
  key: string;
  fault?: Fault;
  /** The emulator's HTTP status, when the request reached it. */
  status?: number;
}

export interface FaultProxy {
  endpoint: string;
  requests: ProxiedRequest[];
  /** Mutations the emulator carried out (answered 2xx), per key. */
  applied(): Map<string, number>;
  /** Resolves once no request is being answered: what a killed client had in flight has reached the emulator or not. */
  idle(): Promise<void>;
  /** Called for every mutation the emulator carried out; tests use it to crash a run midway. */
  onApplied?: (request: ProxiedRequest) => void;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** Share of requests that get a fault (0..1). */
  rate: number;
  /** The faults to pick from, evenly. */
  faults: readonly Fault[];
  random: () => number;
}

const MUTATING = /^(Attach|Detach|Add|Remove|Put|Delete|Create|Update|Tag|Untag|Set)/;

function errorXml(code: string, message: string, type: 'Sender' | 'Receiver'): string {
  return `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>`;
}

const ANSWERS: Record<'Throttling' | 'ConcurrentModification' | '5xx', { status: number; body: string }> = {
  Throttling: { status: 400, body: errorXml('Throttling', 'Rate exceeded', 'Sender') },
  ConcurrentModification: { status: 409, body: errorXml('ConcurrentModification', 'The request was rejected because it attempted to modify a resource that is being modified concurrently.', 'Sender') },
  '5xx': { status: 500, body: errorXml('ServiceFailure', 'The request processing has failed because of an unknown error, exception or failure.', 'Receiver') },
};

function keyOf(params: URLSearchParams): string {
  const parts = ['UserName', 'PolicyArn', 'GroupName', 'PolicyName'].map((name) => params.get(name)).filter((v): v is string => v !== null);
  return [params.get('Action') ?? 'unknown', ...parts].join(' ');
}

/**
 * A real HTTP server on 127.0.0.1 in front of the IAM emulator that injects IAM's faults into a share of
 * the requests, and records what reached the emulator: the fault tests' witness of what was applied.
 */
export async function startFaultProxy(target: string, options: FaultProxyOptions): Promise<FaultProxy> {
  const requests: ProxiedRequest[] = [];
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  const upstream = new URL(target);
  const proxy: FaultProxy = {
    endpoint: '',
    requests,
    applied: () => {
      const counts = new Map<string, number>();
      for (const r of requests) {
        if (MUTATING.test(r.action) && r.status !== undefined && r.status < 300) counts.set(r.key, (counts.get(r.key) ?? 0) + 1);
      }
      return counts;
    },
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    close: async () => undefined,
  };

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      out.on('error', reject);
      out.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const params = new URLSearchParams(body.toString('utf8'));
    const entry: ProxiedRequest = { action: params.get('Action') ?? 'unknown', key: keyOf(params) };
    requests.push(entry);
    // moto's own API (reset, data) is never faulted.
    const fault = req.url?.startsWith('/moto-api') || options.random() >= options.rate ? undefined : options.faults[Math.floor(options.random() * options.faults.length)]!;
    if (fault) entry.fault = fault;
    if (fault === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault === 'Throttling' || fault === 'ConcurrentModification' || fault === '5xx') {
      const answer = ANSWERS[fault];
      res.writeHead(answer.status, { 'content-type': 'text/xml' }).end(answer.body);
      return;
    }
    const answer = await forward(req, body);
    entry.status = answer.status;
    if (MUTATING.test(entry.action) && answer.status < 300) proxy.onApplied?.(entry);
    if (fault === 'drop-after') {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, answer.headers).end(answer.body);
  };

  const server: Server = createServer((req, res) => {
    inFlight++;
    handle(req, res)
      .catch(() => req.socket.destroy())
      .finally(() => {
        if (--inFlight > 0) return;
        const done = waiters;
        waiters = [];
        for (const resolve of done) resolve();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
