import type { ChannelConfig } from '../../core/model.js';
import type { ChannelSender } from './channel-sender.js';
import { emailSender } from './channels/email.js';
import { slackSender } from './channels/slack.js';
import { webhookSender } from './channels/webhook.js';

/** Every channel type's sender, by `type`: the map is typed so that a type without a sender does not compile. */
export type ChannelSenders = { [T in ChannelConfig['type']]: ChannelSender<Extract<ChannelConfig, { type: T }>> };

export const CHANNEL_SENDERS: ChannelSenders = {
  slack: slackSender,
  email: emailSender,
  webhook: webhookSender,
};
