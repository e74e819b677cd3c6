import { formatDay } from '../expiry/format-time.js';

/** The branch a request is committed on: `grant/<login>/<resource>-<YYYY-MM-DD>` (UTC day of the request). */
export function grantBranchName(login: string, resource: string, now: Date): string {
  return `grant/${login}/${resource}-${formatDay(now)}`;
}
