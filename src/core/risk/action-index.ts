import { splitAccessLevel, ACCESS_LEVELS, type AccessLevel, type ActionCatalogue } from './action-catalogue.js';
import { compileActionPattern, hasWildcard, unescapeUnicode } from './action-pattern.js';
import type { WildcardPattern } from '../wildcard-pattern.js';
import { ActionSet } from './action-set.js';

export interface ServiceRange {
  prefix: string;
  /** Indices [start, end) of the service's actions: a service's actions are contiguous. */
  start: number;
  end: number;
}

/**
 * The catalogue indexed for scoring: each action gets a number, so that sets of actions are bitsets.
 * Expanding an action pattern is memoised: thousands of policies repeat the same few hundred patterns.
 */
export class ActionIndex {
  readonly size: number;
  /** `service:Action`, as AWS spells it, by index. */
  readonly names: string[] = [];
  readonly levels: AccessLevel[][] = [];
  readonly services: ServiceRange[] = [];
  /** Actions only `Resource: "*"` can allow. */
  readonly wildcardOnly: ActionSet;
  readonly byLevel: Record<AccessLevel, ActionSet>;
  /** Actions whose only access levels are List and Read. */
  readonly readOnly: ActionSet;
  readonly source: string;
  private readonly byName = new Map<string, number>();
  private readonly byPrefix = new Map<string, ServiceRange>();
  private readonly expanded = new Map<string, ActionSet | null>();

  constructor(catalogue: ActionCatalogue) {
    this.source = catalogue.source;
    const services = [...catalogue.services].sort((a, b) => a.prefix.localeCompare(b.prefix));
    const wildcardOnly: number[] = [];
    for (const service of services) {
      const prefix = service.prefix.toLowerCase();
      if (this.byPrefix.has(prefix)) continue;
      const start = this.names.length;
      for (const action of service.actions) {
        const key = `${prefix}:${action.name.toLowerCase()}`;
        if (this.byName.has(key)) continue;
        this.byName.set(key, this.names.length);
        if (action.wildcardOnly) wildcardOnly.push(this.names.length);
        this.names.push(`${prefix}:${action.name}`);
        this.levels.push(splitAccessLevel(action.accessLevel));
      }
      const range = { prefix, start, end: this.names.length };
      this.services.push(range);
      this.byPrefix.set(prefix, range);
    }
    this.size = this.names.length;
    this.wildcardOnly = this.empty();
    for (const i of wildcardOnly) this.wildcardOnly.add(i);
    this.byLevel = Object.fromEntries(ACCESS_LEVELS.map((level) => [level, this.empty()])) as Record<AccessLevel, ActionSet>;
    this.levels.forEach((levels, i) => levels.forEach((level) => this.byLevel[level].add(i)));
    this.readOnly = this.empty();
    this.levels.forEach((levels, i) => levels.every((level) => level === 'List' || level === 'Read') && this.readOnly.add(i));
  }

  empty(): ActionSet {
    return new ActionSet(this.size);
  }

  indexOf(action: string): number | undefined {
    return this.byName.get(action.toLowerCase());
  }

  service(prefix: string): ServiceRange | undefined {
    return this.byPrefix.get(prefix.toLowerCase());
  }

  /**
   * The actions a pattern of an `Action`/`NotAction` element matches, or null when it matches nothing the
   * catalogue knows (a typo, or an action newer than the data). The returned set is shared: never mutate it.
   */
  expand(pattern: string): ActionSet | null {
    const key = pattern.trim().toLowerCase();
    const cached = this.expanded.get(key);
    if (cached !== undefined) return cached;
    const set = this.match(unescapeUnicode(key));
    const result = set === null || set.isEmpty() ? null : set;
    this.expanded.set(key, result);
    return result;
  }

  private match(pattern: string): ActionSet | null {
    if (/^\*+$/.test(pattern)) return ActionSet.full(this.size);
    const parts = pattern.split(':');
    if (parts.length !== 2) return null;
    const [prefix, action] = parts as [string, string];
    if (hasWildcard(prefix)) return this.filter(0, this.size, compileActionPattern(pattern), true);
    const range = this.byPrefix.get(prefix);
    if (!range) return null;
    if (/^\*+$/.test(action)) return ActionSet.range(this.size, range.start, range.end);
    if (!hasWildcard(action)) {
      const index = this.byName.get(pattern);
      if (index === undefined) return null;
      const set = this.empty();
      set.add(index);
      return set;
    }
    return this.filter(range.start, range.end, compileActionPattern(action), false);
  }

  private filter(start: number, end: number, regex: WildcardPattern, fullName: boolean): ActionSet {
    const set = this.empty();
    for (let i = start; i < end; i++) {
      const name = this.names[i]!;
      if (regex.test(fullName ? name : name.slice(name.indexOf(':') + 1))) set.add(i);
    }
    return set;
  }
}
