import { EMPTY_NOTIFICATION_REPORT } from '../../core/notify/notification-report.js';
import type { Notifier } from '../../ports.js';

/** The notifier of a run that tells nobody (no channel configured, or notifications turned off). */
export const silentNotifier: Notifier = {
  notify: async () => EMPTY_NOTIFICATION_REPORT,
};
