import type { Recipient, RecipientRole } from './notification-event.js';

/** The logins as recipients in one role, each once. */
export function recipientsAs(logins: readonly string[], as: RecipientRole): Recipient[] {
  return [...new Set(logins)].map((login) => ({ login, as }));
}
