import type { IAMClientConfig } from '@aws-sdk/client-iam';
import type { IamProvider, IamProviderKind } from '../ports.js';
import { AwsIamProvider } from './aws/aws-iam-provider.js';
import type { Env } from './aws/iam-client.js';
import { FileIamProvider } from './file/file-iam-provider.js';

export interface IamProviderChoice {
  provider: IamProviderKind;
  /** `FILE` (the first aws system) or `SYSTEM=FILE`, repeatable; file provider only. */
  state?: readonly string[];
  /** Relative state paths resolve against this. */
  cwd: string;
  /** file provider: the access directory (relative to `cwd`) whose systems the states are for, and `--system`. */
  dir?: string;
  systems?: readonly string[];
  env?: Env;
  /** aws provider: IAM calls in flight at once. */
  concurrency?: number;
  /** aws provider: extra client settings (credentials, request handler). */
  clientConfig?: Partial<IAMClientConfig>;
}

/** Splits `--state` values into per-system files and the one for any other system. */
export function parseStateOptions(values: readonly string[]): { states: Record<string, string>; defaultState?: string } {
  const states: Record<string, string> = {};
  let defaultState: string | undefined;
  for (const value of values) {
    const named = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(value);
    if (named) states[named[1]!] = named[2]!;
    else defaultState = value;
  }
  return { states, defaultState };
}

/** The provider the CLI and the Action use, from their options. */
export function createIamProvider(choice: IamProviderChoice): IamProvider {
  if (choice.provider === 'aws') {
    if (choice.state && choice.state.length > 0) throw new Error('--state is for the file provider; the aws provider reads the account itself');
    return new AwsIamProvider({ env: choice.env, concurrency: choice.concurrency, clientConfig: choice.clientConfig });
  }
  const { states, defaultState } = parseStateOptions(choice.state ?? []);
  return new FileIamProvider({ states, defaultState, cwd: choice.cwd, dir: choice.dir, systems: choice.systems });
}
