import type { AccountSnapshot } from '../../core/iam/account-snapshot.js';
import type { IamUsageReader } from '../../ports.js';

/**
 * The file provider's state already carries whatever usage it has (credential facts, `RoleLastUsed`,
 * `ServiceLastAccessed`), in the snapshot's own optional fields: nothing more to read.
 */
export class FileUsageReader implements IamUsageReader {
  async addUsage(_system: unknown, snapshot: AccountSnapshot): Promise<AccountSnapshot> {
    return snapshot;
  }
}
