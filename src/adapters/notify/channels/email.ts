import nodemailer from 'nodemailer';
import type { EmailChannelConfig } from '../../../core/model.js';
import type { NotificationMessage } from '../../../render/notification-message.js';
import { DeliveryError, type ChannelSender } from '../channel-sender.js';

/** Email over SMTP (`nodemailer`): one message per event, to the channel's `to` or the people it concerns. */
export const emailSender: ChannelSender<EmailChannelConfig> = {
  async send(delivery, message, context) {
    const { smtp, from } = delivery.config;
    const to = delivery.config.to ?? delivery.recipients.flatMap((r) => (r.email ? [r.name ? `"${r.name.replace(/"/g, '')}" <${r.email}>` : r.email] : []));
    if (to.length === 0) {
      const who = delivery.recipients.map((r) => r.login).join(', ') || 'nobody';
      throw new DeliveryError(`no address to write to: the channel has no "to", and ${who} has no email in people.yaml`, true);
    }
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port ?? (smtp.secure ? 465 : 587),
      secure: smtp.secure ?? false,
      ...(smtp.user && smtp.password ? { auth: { user: smtp.user, pass: context.secret(smtp.password) } } : {}),
      connectionTimeout: context.timeoutMs,
      greetingTimeout: context.timeoutMs,
      socketTimeout: context.timeoutMs,
    });
    try {
      await transport.sendMail({
        from,
        to,
        subject: message.title,
        text: renderEmailText(message),
        headers: { 'X-Grantops-Event': delivery.event.kind, 'X-Grantops-Delivery': delivery.key },
      });
    } catch (error) {
      // 5xx answers (a refused recipient, bad credentials) will be refused again; 4xx and network errors may pass later.
      const code = (error as { responseCode?: number }).responseCode;
      if (code !== undefined && code >= 500) throw new DeliveryError(`SMTP ${code}: ${(error as Error).message}`, true);
      throw error;
    } finally {
      transport.close();
    }
  },
};

export function renderEmailText(message: NotificationMessage): string {
  const width = Math.max(0, ...message.facts.map(([label]) => label.length));
  return [
    ...message.lines,
    '',
    ...message.facts.map(([label, value]) => `${`${label}:`.padEnd(width + 1)} ${value}`),
    ...(message.link ? ['', `${message.link.label}: ${message.link.url}`] : []),
    '',
    '-- ',
    'Sent by grantops. The channels and who gets what are set in grantops.yaml (notifications).',
  ].join('\n');
}
