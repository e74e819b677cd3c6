import { IncomingWebhook, IncomingWebhookHTTPError, type IncomingWebhookSendArguments } from '@slack/webhook';
import type { SlackChannelConfig } from '../../../core/model.js';
import type { NotificationMessage } from '../../../render/notification-message.js';
import { checkHttpStatus, type ChannelSender } from '../channel-sender.js';

/** Slack: one Block Kit message per event through an incoming webhook (`@slack/webhook`). */
export const slackSender: ChannelSender<SlackChannelConfig> = {
  async send(delivery, message, context) {
    const webhook = new IncomingWebhook(context.secret(delivery.config.webhookUrl), { timeout: context.timeoutMs });
    try {
      await webhook.send({ text: message.title, blocks: renderSlackBlocks(message) });
    } catch (error) {
      // Retries are ours (retry-delivery.ts); classify the client's HTTP errors the same way as any channel's.
      if (error instanceof IncomingWebhookHTTPError) checkHttpStatus(error.statusCode, error.body);
      throw error;
    }
  },
};

type Block = NonNullable<IncomingWebhookSendArguments['blocks']>[number];

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Header, the sentences, the facts as fields (Slack shows at most 10), and the link as a button. */
export function renderSlackBlocks(message: NotificationMessage): Block[] {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: message.title.slice(0, 150), emoji: false } }];
  if (message.lines.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: escape(message.lines.join('\n')).slice(0, 3000) } });
  if (message.facts.length > 0) {
    blocks.push({ type: 'section', fields: message.facts.slice(0, 10).map(([label, value]) => ({ type: 'mrkdwn', text: `*${escape(label)}*\n${escape(value)}`.slice(0, 2000) })) });
  }
  if (message.link) {
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: message.link.label }, url: message.link.url }] });
  }
  return blocks;
}
