import type { NotificationKind } from './notification-event.js';

/**
 * What became of one event on one channel: `sent`; `duplicate` (an earlier run, or an earlier delivery
 * of the same webhook, already sent it: not sent again); `failed` (every attempt failed, or the channel
 * could not be used, e.g. its secret is not set). A failure never fails the run that caused the event.
 */
export interface DeliveryOutcome {
  /** The event's key (notification-key.ts). */
  event: string;
  kind: NotificationKind;
  channel: string;
  status: 'sent' | 'duplicate' | 'failed';
  attempts: number;
  /** Why it failed (the last attempt's error). */
  error?: string;
}

export interface NotificationReport {
  deliveries: DeliveryOutcome[];
  /** What went wrong beside single deliveries (e.g. the record of earlier deliveries could not be read). */
  problems?: string[];
}

export const EMPTY_NOTIFICATION_REPORT: NotificationReport = { deliveries: [] };

export function failedDeliveries(report: NotificationReport): DeliveryOutcome[] {
  return report.deliveries.filter((d) => d.status === 'failed');
}
