import { RECOMMENDATION_RULES } from '../recommend.js';
import type { SystemReadOut } from './system-read-out.js';

/** `type: aws`: users, groups, roles and policies come from the account's own lists; every rule applies. */
export const iamAccountReadOut: SystemReadOut = {
  rules: RECOMMENDATION_RULES,
  scoresResources: true,
  sections: () => ({}),
};
