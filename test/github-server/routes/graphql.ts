import { requireInstallation } from '../auth.js';
import { bodyObject, type Router } from '../http.js';
import type { GitHubState } from '../state.js';
import { executeGraphql } from '../graphql/execute-graphql.js';
import { GraphqlSyntaxError, parseGraphql } from '../graphql/parse-graphql.js';
import { queryRoot, type SchemaOptions } from '../graphql/schema.js';

/** `POST /graphql`: GitHub answers 200 with an `errors` list for queries it cannot parse or resolve. */
export function registerGraphql(router: Router, state: GitHubState, options: SchemaOptions): void {
  router.post('/graphql', async (req) => {
    requireInstallation(req.caller);
    const body = bodyObject(req);
    if (typeof body.query !== 'string') return { status: 200, body: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] } };
    let document;
    try {
      document = parseGraphql(body.query);
    } catch (error) {
      if (error instanceof GraphqlSyntaxError) return { status: 200, body: { errors: [{ message: error.message }] } };
      throw error;
    }
    if (document.operation.operation !== 'query') return { status: 200, body: { errors: [{ message: 'Mutations are not supported by this server' }] } };
    const variables = (typeof body.variables === 'object' && body.variables !== null ? body.variables : {}) as Record<string, unknown>;
    return { status: 200, body: await executeGraphql(document, queryRoot(state, options), variables) };
  });
}
