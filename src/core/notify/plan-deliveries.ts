import type { ChannelConfig } from '../model.js';
import type { NotificationRules } from './notification-rules.js';
import type { NotificationEvent } from './notification-event.js';
import { notificationKey } from './notification-key.js';
import { grantsOf, levelOf, resolveRecipients, type ResolvedRecipient } from './resolve-recipients.js';

/** One event to send on one channel. */
export interface PlannedDelivery {
  /** The event's key and the channel: what the ledger records, so a rerun skips it. */
  key: string;
  eventKey: string;
  event: NotificationEvent;
  channel: string;
  config: ChannelConfig;
  recipients: ResolvedRecipient[];
}

/**
 * Which channel gets which event: every channel of grantops.yaml whose `events` list the event's kind
 * (or `all`) and whose `sensitivity` filter, if any, holds the level of a grant the event is about.
 * An event given twice is planned once.
 */
export function planDeliveries(events: readonly NotificationEvent[], rules: NotificationRules): PlannedDelivery[] {
  const channels = Object.entries(rules.org?.value.notifications?.channels ?? {});
  const planned = new Map<string, PlannedDelivery>();
  for (const event of events) {
    const eventKey = notificationKey(event);
    const levels = grantsOf(event).map((g) => levelOf(g, rules));
    let recipients: ResolvedRecipient[] | undefined;
    for (const [channel, config] of channels) {
      if (!config.events.includes('all') && !config.events.includes(event.kind)) continue;
      if (config.sensitivity && levels.length > 0 && !levels.some((l) => l !== undefined && config.sensitivity!.includes(l))) continue;
      const key = `${eventKey}>${channel}`;
      if (planned.has(key)) continue;
      recipients ??= resolveRecipients(event, rules);
      planned.set(key, { key, eventKey, event, channel, config, recipients });
    }
  }
  return [...planned.values()];
}
