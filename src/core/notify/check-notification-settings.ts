import { diagnostic, type Diagnostic } from '../diagnostic.js';
import type { OrgConfig, Sourced } from '../model.js';
import { locate } from '../yaml-source.js';

/** What the schema cannot say of `notifications:`: each channel's sensitivity filter names levels that exist. */
export function checkNotificationSettings(org: Sourced<OrgConfig>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, channel] of Object.entries(org.value.notifications?.channels ?? {})) {
    (channel.sensitivity ?? []).forEach((level, i) => {
      if (!(level in org.value.sensitivity)) {
        out.push(
          diagnostic(org.file, locate(org.source, ['notifications', 'channels', name, 'sensitivity', i]), 'ref/unknown-sensitivity', `sensitivity "${level}" is not defined under "sensitivity"`),
        );
      }
    });
    if (channel.type === 'email' && (channel.smtp.user === undefined) !== (channel.smtp.password === undefined)) {
      out.push(
        diagnostic(org.file, locate(org.source, ['notifications', 'channels', name, 'smtp']), 'notify/smtp-login', 'smtp needs both user and password, or neither'),
      );
    }
  }
  return out;
}
