import { describeAttachment, describeHolder } from '../explain-access.js';
import type { RecommendationRule } from '../recommendation.js';

/** Access that no grant gives: nothing will ever expire it, and no approval is on record. */
export const accessWithoutExpiry: RecommendationRule = ({ attachments, system }) =>
  attachments
    .filter((a) => a.status === 'unmanaged')
    .map((a) => ({
      rule: 'access/no-expiry',
      subject: `${a.principalType ?? 'user'}/${a.user}`,
      reason: `${describeHolder(a)} holds ${describeAttachment(a)} with no grant in the repository, so it never expires`,
      action:
        a.principalType === 'group'
          ? 'grantops grants to people, not groups: give each member who needs it a grant of a resource for this permission set, then remove the group assignment'
          : a.kind === 'inline'
            ? 'move it into a resource with an inlinePolicy and grant it, or delete it'
            : `adopt it with \`grantops import${a.account ? ` --system ${system}` : ''}\` (a grant with an expiry and an owner), or remove it`,
    }));
