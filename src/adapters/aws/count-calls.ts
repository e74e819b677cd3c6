import type { IAMClient } from '@aws-sdk/client-iam';

/** IAM commands that change the account; everything else grantops sends only reads. */
const MUTATING = /^(Attach|Detach|Add|Remove|Put|Delete|Create|Update|Tag|Untag|Set)/;

export interface IamCallCounts {
  /** Sends per command name, e.g. `AttachUserPolicyCommand`. */
  byCommand: Map<string, number>;
  mutating(): number;
  reads(): number;
}

/** Counts every command sent through `client` (each retry is a send of its own). */
export function countIamCalls(client: IAMClient): IamCallCounts {
  const byCommand = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown');
      byCommand.set(name, (byCommand.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'grantopsCountCalls' },
  );
  const sum = (mutating: boolean) => [...byCommand].filter(([name]) => MUTATING.test(name) === mutating).reduce((n, [, c]) => n + c, 0);
  return { byCommand, mutating: () => sum(true), reads: () => sum(false) };
}
