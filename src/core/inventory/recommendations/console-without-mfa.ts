import type { RecommendationRule } from '../recommendation.js';

/** A console password without MFA: one phished password is the whole account. */
export const consoleWithoutMfa: RecommendationRule = ({ snapshot }) =>
  snapshot.UserDetailList.filter((user) => user.PasswordEnabled === true && user.MfaEnabled === false).map((user) => ({
    rule: 'user/console-without-mfa',
    subject: `user/${user.UserName}`,
    reason: `${user.UserName} can sign in to the console with a password and has no MFA device`,
    action: 'require an MFA device for this user (or remove the console password if it is not needed)',
  }));
