import type { RecommendationRule } from '../recommendation.js';

/** IAM access that no grant gives: nothing will ever expire it, and no approval is on record. */
export const accessWithoutExpiry: RecommendationRule = ({ attachments }) =>
  attachments
    .filter((a) => a.status === 'unmanaged')
    .map((a) => ({
      rule: 'access/no-expiry',
      subject: `user/${a.user}`,
      reason: `${a.user} holds ${a.kind === 'policy' ? 'managed policy' : a.kind === 'group' ? 'group' : 'inline policy'} ${a.target} with no grant in the repository, so it never expires`,
      action: a.kind === 'inline' ? 'move it into a resource with an inlinePolicy and grant it, or delete it' : 'adopt it with `grantops import` (a grant with an expiry and an owner), or remove it',
    }));
