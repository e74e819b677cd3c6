import type { Person } from './model.js';

/**
 * The managers above a person, nearest first. Stops at a repeat, so a cycle (reported by validation)
 * can never loop forever here.
 */
export function managerChain(people: ReadonlyMap<string, { value: Person }>, login: string): string[] {
  const chain: string[] = [];
  const seen = new Set([login]);
  let current = people.get(login)?.value.manager;
  while (current !== undefined && !seen.has(current)) {
    chain.push(current);
    seen.add(current);
    current = people.get(current)?.value.manager;
  }
  return chain;
}

/** Logins that are part of a manager cycle, each cycle reported once (from its first member in input order). */
export function findManagerCycles(people: ReadonlyMap<string, { value: Person }>): string[][] {
  const cycles: string[][] = [];
  const inCycle = new Set<string>();
  for (const login of people.keys()) {
    if (inCycle.has(login)) continue;
    const path: string[] = [];
    const index = new Map<string, number>();
    let current: string | undefined = login;
    while (current !== undefined && people.has(current) && !index.has(current) && !inCycle.has(current)) {
      index.set(current, path.length);
      path.push(current);
      current = people.get(current)!.value.manager;
    }
    if (current !== undefined && index.has(current)) {
      const cycle = path.slice(index.get(current));
      cycle.forEach((c) => inCycle.add(c));
      cycles.push(cycle);
    }
  }
  return cycles;
}
