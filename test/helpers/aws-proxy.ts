import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request that passed through the proxy: who signed it, for which service, and what it asked. */
export interface RecordedCall {
  /** The access key id of the signing credentials (an assumed role's session key starts with ASIA). */
  accessKeyId: string;
  /** The service of the signature's credential scope: iam, sts, sso, identitystore... */
  service: string;
  /** The API action: the query `Action`, or the JSON protocol's `X-Amz-Target` operation. */
  action: string;
  /** Query-protocol parameters (IAM, STS), or the JSON body (sso-admin, identitystore). */
  params: Record<string, unknown>;
}

/** A canned answer instead of forwarding: status, content type and body. */
export interface Fault {
  status: number;
  body: string;
  contentType?: string;
}

export interface AwsProxy {
  endpoint: string;
  calls: RecordedCall[];
  /** Answers a matching request itself instead of forwarding it (return undefined to forward). */
  inject(fault: ((call: RecordedCall) => Fault | undefined) | undefined): void;
  stop(): Promise<void>;
}

function parse(req: IncomingMessage, body: string): RecordedCall {
  const auth = String(req.headers.authorization ?? '');
  const scope = /Credential=([^/]+)\/[^/]+\/[^/]+\/([^/]+)\//.exec(auth);
  const target = String(req.headers['x-amz-target'] ?? '');
  let params: Record<string, unknown> = {};
  let action = target.split('.').pop() ?? '';
  if (target) {
    try {
      params = JSON.parse(body || '{}') as Record<string, unknown>;
    } catch {
      params = {};
    }
  } else {
    params = Object.fromEntries(new URLSearchParams(body));
    action = String(params.Action ?? '');
  }
  return { accessKeyId: scope?.[1] ?? '', service: scope?.[2] ?? '', action, params };
}

/**
 * A recording, fault-injecting HTTP proxy in front of the emulator: every AWS call the code under test
 * makes goes through it, so a test can assert which credentials made which call and how many.
 */
export async function startAwsProxy(upstream: string): Promise<AwsProxy> {
  const target = new URL(upstream);
  const calls: RecordedCall[] = [];
  let fault: ((call: RecordedCall) => Fault | undefined) | undefined;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const call = parse(req, body.toString('utf8'));
      calls.push(call);
      const canned = fault?.(call);
      if (canned) {
        res.writeHead(canned.status, { 'content-type': canned.contentType ?? 'text/xml' });
        res.end(canned.body);
        return;
      }
      const forward = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    inject: (f) => {
      fault = f;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** STS's answer to a role that may not be assumed. */
export const ACCESS_DENIED: Fault = {
  status: 403,
  body: '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>',
};
