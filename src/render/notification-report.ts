import { failedDeliveries, type NotificationReport } from '../core/notify/notification-report.js';

/** One line per delivery and per problem, for the CLI's text and the Action's log. */
export function renderNotificationLines(report: NotificationReport | undefined): string[] {
  if (!report) return [];
  return [
    ...report.deliveries.map((d) => {
      const what = `${d.kind} to ${d.channel} (${d.event})`;
      if (d.status === 'sent') return `notified: ${what}${d.attempts > 1 ? ` after ${d.attempts} attempts` : ''}`;
      if (d.status === 'duplicate') return `not notified again: ${what}, sent by an earlier run`;
      return `notification failed: ${what} after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}: ${d.error ?? 'unknown error'}`;
    }),
    ...(report.problems ?? []).map((p) => `notifications: ${p}`),
  ];
}

/** The job summary's section: a table of deliveries; failures are said first, since nobody else will. */
export function renderNotificationSummary(report: NotificationReport | undefined): string {
  if (!report || (report.deliveries.length === 0 && !report.problems?.length)) return '';
  const failed = failedDeliveries(report).length;
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '### Notifications',
    '',
    failed > 0 ? `**${failed} notification${failed === 1 ? '' : 's'} could not be delivered** (the run itself is not failed by it).` : 'Every notification was delivered or had been already.',
    ...(report.problems ?? []).map((p) => `- ${cell(p)}`),
    '',
    '| event | channel | result | attempts |',
    '|---|---|---|---|',
    ...report.deliveries.map((d) => `| ${cell(`${d.kind}: ${d.event}`)} | ${cell(d.channel)} | ${d.status === 'failed' ? `failed: ${cell(d.error ?? '')}` : d.status === 'duplicate' ? 'sent by an earlier run' : 'sent'} | ${d.attempts} |`),
    '',
  ].join('\n');
}
