import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The IAM service prefix of each AWS SDK client the aws provider uses. */
const SERVICE_OF_CLIENT: Record<string, string> = {
  '@aws-sdk/client-iam': 'iam',
  '@aws-sdk/client-sso-admin': 'sso',
  '@aws-sdk/client-identitystore': 'identitystore',
  '@aws-sdk/client-sts': 'sts',
};

export interface AwsCall {
  /** As IAM names it, e.g. `sso:CreateAccountAssignment`. */
  action: string;
  /** The source files that send it. */
  files: string[];
}

/**
 * Every AWS API call the source under `dir` makes, read from the source itself: each `new XCommand(`
 * whose `XCommand` is imported from an AWS SDK client, named as IAM names the action. A command from a
 * client not in the table above is an error, so a new service cannot slip past the connector's tests.
 */
export function awsCallsIn(dir: string): AwsCall[] {
  const calls = new Map<string, Set<string>>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    const clientOf = new Map<string, string>();
    for (const [, names, client] of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(@aws-sdk\/client-[a-z0-9-]+)'/g)) {
      for (const name of names!.split(',').map((n) => n.trim().replace(/^type\s+/, ''))) if (name.endsWith('Command')) clientOf.set(name, client!);
    }
    for (const [, command] of source.matchAll(/new\s+([A-Za-z0-9]+Command)\s*\(/g)) {
      const client = clientOf.get(command!);
      if (!client) continue; // not an AWS SDK command (e.g. commander's Command)
      const service = SERVICE_OF_CLIENT[client];
      if (!service) throw new Error(`${file} sends ${command} through ${client}, whose IAM service prefix the connector tests do not know`);
      const action = `${service}:${command!.slice(0, -'Command'.length)}`;
      calls.set(action, (calls.get(action) ?? new Set()).add(file));
    }
  }
  return [...calls].map(([action, files]) => ({ action, files: [...files].sort() })).sort((a, b) => a.action.localeCompare(b.action));
}
