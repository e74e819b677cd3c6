import type { SecretRef } from '../../core/model.js';
import type { NotificationEvent } from '../../core/notify/notification-event.js';
import type { DeliveryOutcome, NotificationReport } from '../../core/notify/notification-report.js';
import type { NotificationRules } from '../../core/notify/notification-rules.js';
import { planDeliveries, type PlannedDelivery } from '../../core/notify/plan-deliveries.js';
import type { DeliveryLedger, Notifier } from '../../ports.js';
import { renderNotificationMessage } from '../../render/notification-message.js';
import { runBounded } from '../aws/run-bounded.js';
import { DeliveryError, type ChannelSender, type SendContext } from './channel-sender.js';
import { CHANNEL_SENDERS, type ChannelSenders } from './channel-senders.js';

export interface ChannelNotifierOptions {
  /** Where secrets are read from (`{ env: NAME }`). */
  env: NodeJS.ProcessEnv;
  ledger: DeliveryLedger;
  now?: () => Date;
  /** Attempts per delivery, the first included (default 4: waits of up to 0.5 s, 1 s, 2 s between them, at most ~40 s with the timeouts). */
  attempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** How long one attempt may take (default 10 s). */
  timeoutMs?: number;
  /** Deliveries in flight at once (default 4). */
  concurrency?: number;
  senders?: ChannelSenders;
}

/**
 * The Notifier: plans which channel gets which event (core), skips what the ledger has seen, sends the
 * rest with retries and backoff, and records what was sent. Nothing in it throws to the caller: a
 * failed delivery, an unreadable ledger or an unset secret becomes part of the report.
 */
export class ChannelNotifier implements Notifier {
  constructor(private readonly options: ChannelNotifierOptions) {}

  async notify(events: readonly NotificationEvent[], rules: NotificationRules, ledger: DeliveryLedger = this.options.ledger): Promise<NotificationReport> {
    const problems: string[] = [];
    let planned: PlannedDelivery[];
    try {
      planned = planDeliveries(events, rules);
    } catch (error) {
      return { deliveries: [], problems: [`notifications not planned: ${(error as Error).message}`] };
    }
    if (planned.length === 0) return { deliveries: [] };

    let delivered = new Set<string>();
    try {
      delivered = await ledger.findDelivered(planned.map((d) => d.key));
    } catch (error) {
      // Telling someone twice beats telling nobody about a break-glass use: send, and say why it may repeat.
      problems.push(`the record of earlier deliveries could not be read (${(error as Error).message}): some may be sent again`);
    }
    const deliveries = await runBounded(planned, this.options.concurrency ?? 4, (delivery) =>
      delivered.has(delivery.key) ? Promise.resolve(outcome(delivery, 'duplicate', 0)) : this.deliver(delivery),
    );
    const sent = deliveries.flatMap((d, i) => (d.status === 'sent' ? [planned[i]!.key] : []));
    if (sent.length > 0) {
      try {
        await ledger.recordDelivered(sent);
      } catch (error) {
        problems.push(`${sent.length} deliveries were sent but could not be recorded (${(error as Error).message}): a rerun may send them again`);
      }
    }
    return { deliveries, ...(problems.length > 0 ? { problems } : {}) };
  }

  private async deliver(delivery: PlannedDelivery): Promise<DeliveryOutcome> {
    const { attempts = 4, baseDelayMs = 500, sleep = defaultSleep, random = Math.random } = this.options;
    const sender = (this.options.senders ?? CHANNEL_SENDERS)[delivery.config.type] as ChannelSender | undefined;
    if (!sender) return outcome(delivery, 'failed', 0, `no sender for channel type "${delivery.config.type}"`);
    const context = this.context();
    let lastError = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const message = renderNotificationMessage(delivery.event, delivery.recipients);
        await sender.send(delivery, message, context);
        return outcome(delivery, 'sent', attempt);
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        if ((error instanceof DeliveryError && error.permanent) || attempt === attempts) return outcome(delivery, 'failed', attempt, lastError);
        // Doubling waits, each between half and all of its step, so concurrent runs spread apart.
        await sleep(Math.round(baseDelayMs * 2 ** (attempt - 1) * (0.5 + random() / 2)));
      }
    }
    return outcome(delivery, 'failed', attempts, lastError);
  }

  private context(): SendContext {
    const { env, now = () => new Date(), timeoutMs = 10_000 } = this.options;
    return {
      secret: (ref: SecretRef) => {
        const value = env[ref.env];
        if (!value) throw new DeliveryError(`the environment variable ${ref.env} is not set`, true);
        return value;
      },
      now,
      timeoutMs,
    };
  }
}

function outcome(delivery: PlannedDelivery, status: DeliveryOutcome['status'], attempts: number, error?: string): DeliveryOutcome {
  return { event: delivery.eventKey, kind: delivery.event.kind, channel: delivery.channel, status, attempts, ...(error !== undefined ? { error } : {}) };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
