import type { GitIdentity, Notifier } from '../../ports.js';
import { ChannelNotifier } from './channel-notifier.js';
import { GitNotesDeliveryLedger } from './git-notes-ledger.js';

/**
 * The notifier of an Action or CLI run in a clone: secrets from `env`, deliveries recorded as git notes
 * (fetched from and pushed to `origin` when the clone has it), so a rerun sends nothing twice.
 */
export function createRunNotifier(options: { root: string; env: NodeJS.ProcessEnv; identity?: GitIdentity; remote?: string }): Notifier {
  return new ChannelNotifier({
    env: options.env,
    ledger: new GitNotesDeliveryLedger(options.root, { remote: options.remote ?? 'origin', ...(options.identity ? { identity: options.identity } : {}) }),
  });
}
