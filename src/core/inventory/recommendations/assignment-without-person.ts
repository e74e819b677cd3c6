import { describeAttachment } from '../explain-access.js';
import type { RecommendationRule } from '../recommendation.js';

/**
 * Identity Center users are people: an assignment held by a user nobody in people.yaml is (someone who
 * left, or was never added) is access no one vouches for, and import cannot adopt it.
 */
export const assignmentWithoutPerson: RecommendationRule = ({ attachments }) =>
  attachments
    .filter((a) => a.principalType === undefined && a.person === undefined && a.status === 'unmanaged')
    .map((a) => ({
      rule: 'access/no-person',
      subject: `user/${a.user}`,
      reason: `${a.user} holds ${describeAttachment(a)} and is nobody in people.yaml (left the organisation, or was never added)`,
      action: 'remove the assignment; if the person still needs it, add them to people.yaml and ask for it with a grant',
    }));
