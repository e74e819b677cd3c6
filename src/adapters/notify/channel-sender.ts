import type { ChannelConfig, SecretRef } from '../../core/model.js';
import type { PlannedDelivery } from '../../core/notify/plan-deliveries.js';
import type { NotificationMessage } from '../../render/notification-message.js';

export interface SendContext {
  /** A secret's value from the environment; a permanent DeliveryError naming the variable when it is not set. */
  secret(ref: SecretRef): string;
  now(): Date;
  /** How long one attempt may take. */
  timeoutMs: number;
}

/** One channel type: sends one planned delivery, or throws (a DeliveryError when retrying cannot help). */
export interface ChannelSender<C extends ChannelConfig = ChannelConfig> {
  send(delivery: PlannedDelivery & { config: C }, message: NotificationMessage, context: SendContext): Promise<void>;
}

/** A failure that another attempt cannot fix (a missing secret, a 4xx answer, nobody to write to). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** An HTTP answer as a delivery outcome: 2xx is done; 408, 429 and 5xx are worth another attempt; the rest are not. */
export function checkHttpStatus(status: number, body: string): void {
  if (status >= 200 && status < 300) return;
  throw new DeliveryError(`HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`, !(status === 408 || status === 429 || status >= 500));
}
