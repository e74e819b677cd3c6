import type { IncomingHttpHeaders } from 'node:http';

/** What the caller authenticated as: the app itself (a JWT) or one installation (an access token). */
export type Caller = { kind: 'app'; appId: number } | { kind: 'installation'; installationId: number } | { kind: 'anonymous' };

export interface ApiRequest {
  method: string;
  /** Without the `/api/v3` prefix GitHub Enterprise uses, so routes read like api.github.com's. */
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  body: unknown;
  headers: IncomingHttpHeaders;
  /** `http://127.0.0.1:PORT` plus the prefix the request came with, for Link headers. */
  urlBase: string;
  caller: Caller;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: ApiRequest) => ApiResponse | Promise<ApiResponse>;

/** Thrown by handlers; becomes GitHub's error body `{ message, errors?, documentation_url }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message);
  }
}

export function notFound(): ApiError {
  return new ApiError(404, 'Not Found');
}

export function unprocessable(message: string, errors?: unknown[]): ApiError {
  return new ApiError(422, message, errors);
}

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/** `:name` matches one segment, `*name` the rest of the path. */
export class Router {
  private readonly routes: Route[] = [];

  on(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (segment.startsWith(':')) {
          names.push(segment.slice(1));
          return '([^/]+)';
        }
        if (segment.startsWith('*')) {
          names.push(segment.slice(1));
          return '(.+)';
        }
        return segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  get(path: string, handler: Handler): this {
    return this.on('GET', path, handler);
  }
  post(path: string, handler: Handler): this {
    return this.on('POST', path, handler);
  }
  patch(path: string, handler: Handler): this {
    return this.on('PATCH', path, handler);
  }
  put(path: string, handler: Handler): this {
    return this.on('PUT', path, handler);
  }
  delete(path: string, handler: Handler): this {
    return this.on('DELETE', path, handler);
  }

  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      return { handler: route.handler, params };
    }
    return undefined;
  }
}

/** GitHub's page-number pagination: `per_page` (max 100), `page`, and a Link header with next/last. */
export function paginate<T>(req: ApiRequest, items: readonly T[], defaultPerPage = 30): ApiResponse {
  const perPage = Math.min(100, Math.max(1, Number(req.query.get('per_page')) || defaultPerPage));
  const page = Math.max(1, Number(req.query.get('page')) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const links: string[] = [];
  const link = (p: number, rel: string) => {
    const query = new URLSearchParams(req.query);
    query.set('page', String(p));
    query.set('per_page', String(perPage));
    links.push(`<${req.urlBase}${req.path}?${query.toString()}>; rel="${rel}"`);
  };
  if (page < last) {
    link(page + 1, 'next');
    link(last, 'last');
  }
  if (page > 1) {
    link(page - 1, 'prev');
    link(1, 'first');
  }
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

export function bodyObject(req: ApiRequest): Record<string, unknown> {
  const body = req.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'Problems parsing JSON');
  return body as Record<string, unknown>;
}

export function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') {
    throw unprocessable(`Invalid request.\n\n"${field}" wasn't supplied.`, [{ resource: 'Request', field, code: 'missing_field' }]);
  }
  return value;
}
