import { ORG_FILES } from '../lifecycle/lifecycle-org.js';

/**
 * The lifecycle organisation with break-glass on prod-db (high: manager + owner): dev is on call and may
 * take it for 4h; the manager (mgr) and the owner (res-owner) must ratify within 12h of the merge.
 */
export const BREAK_GLASS_FILES: Record<string, string> = {
  ...ORG_FILES,
  'access/people.yaml': ORG_FILES['access/people.yaml']!.replace('{ login: dev, name: Developer, manager: mgr,', '{ login: dev, name: Developer, manager: mgr, roles: [oncall],'),
  'access/resources/aws-prod/prod-db.yaml': `${ORG_FILES['access/resources/aws-prod/prod-db.yaml']}breakGlass: { roles: [oncall], maxAccess: 4h, ratifyWithin: 12h }\n`,
};

export const BREAK_GLASS_GRANT = 'access/grants/dev/prod-db.yaml';
