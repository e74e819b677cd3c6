import type { WebhookChannelConfig } from '../../../core/model.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhookBody } from '../../../core/notify/webhook-signature.js';
import { DeliveryError, checkHttpStatus, type ChannelSender } from '../channel-sender.js';

/**
 * A generic webhook: the event and its rendering as JSON, POSTed with an HMAC-SHA256 signature over the
 * timestamp and the body (webhook-signature.ts says how a receiver verifies it).
 */
export const webhookSender: ChannelSender<WebhookChannelConfig> = {
  async send(delivery, message, context) {
    const key = context.secret(delivery.config.secret);
    const body = JSON.stringify({
      delivery: delivery.key,
      event: delivery.event,
      recipients: delivery.recipients,
      message,
    });
    const timestamp = Math.floor(context.now().getTime() / 1000);
    let response: Response;
    try {
      response = await fetch(delivery.config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'grantops',
          'x-grantops-event': delivery.event.kind,
          'x-grantops-delivery': delivery.key,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhookBody(body, key, timestamp),
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(context.timeoutMs),
      });
    } catch (error) {
      throw new DeliveryError(`cannot reach ${new URL(delivery.config.url).host}: ${(error as Error).cause ?? (error as Error).message}`, false);
    }
    checkHttpStatus(response.status, await response.text());
  },
};
