import type { IamProviderKind, IamUsageReader } from '../ports.js';
import { AwsUsageReader } from './aws/read-usage.js';
import { FileUsageReader } from './file/file-usage-reader.js';

/** The usage reader that goes with a provider: the aws one asks IAM, the file one reads the state. */
export function createUsageReader(kind: IamProviderKind, env: Record<string, string | undefined> = {}): IamUsageReader {
  return kind === 'aws' ? new AwsUsageReader({ env }) : new FileUsageReader();
}
