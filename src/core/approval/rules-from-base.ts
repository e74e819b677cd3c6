import { START, diagnostic, type Diagnostic } from '../diagnostic.js';
import type { AccessRepo } from '../model.js';
import { classifyPath, isRulesFile, parseAccessRepo } from '../parse-access-repo.js';
import type { RepoFile, RepoSnapshot } from '../repo-file.js';
import { validateAccessRepo, validateGrants } from '../validate-access-repo.js';

export interface RulesFromBase {
  /** The base's org, people and resources, with the head's versions of the changed grant files. */
  repo: AccessRepo;
  /** Problems of the base's rule files (not the pull request's doing, but what it is judged by). */
  baseProblems: Diagnostic[];
  /** Problems of the head files, by path: schema, references (resolved against the base) and limits. */
  headProblems: Map<string, Diagnostic[]>;
  /** Set when the base has no usable rules: nothing can be approved then. */
  fatal?: Diagnostic;
}

/** Only what decides the rules: grantops.yaml, people.yaml, resources/** (DESIGN §3 rule 1). */
export function selectRuleFiles(snapshot: RepoSnapshot): RepoSnapshot {
  const isRule = (path: string) => isRulesFile(snapshot.dir, path) && classifyPath(snapshot.dir, path).kind !== 'other';
  return {
    dir: snapshot.dir,
    files: snapshot.files.filter((f) => isRule(f.path)),
    unreadable: (snapshot.unreadable ?? []).filter((u) => isRule(u.path)),
  };
}

interface ParsedRules {
  repo: AccessRepo;
  problems: Diagnostic[];
}

/**
 * Parsed and validated rules by snapshot object. Rules carry no grants, so their problems do not depend
 * on `now`; callers that judge many changes against one base (the app re-judging from memory, audit
 * --verify) pass the same snapshot and parse its people.yaml once. Snapshots are never mutated.
 */
const parsedRules = new WeakMap<RepoSnapshot, ParsedRules>();

function parseRules(rulesAtBase: RepoSnapshot, now: Date): ParsedRules {
  let parsed = parsedRules.get(rulesAtBase);
  if (!parsed) {
    const { repo, diagnostics } = parseAccessRepo(selectRuleFiles(rulesAtBase));
    parsed = { repo, problems: [...diagnostics, ...validateAccessRepo(repo, now)] };
    parsedRules.set(rulesAtBase, parsed);
  }
  return parsed;
}

/**
 * DESIGN §3 rule 1: the rules are read from the base, never from the head, so a pull request cannot lower
 * the bar it is judged by. The head's grant files are parsed and validated against those base rules.
 */
export function readRulesFromBase(rulesAtBase: RepoSnapshot, headFiles: readonly RepoFile[], now: Date): RulesFromBase {
  const rules = parseRules(rulesAtBase, now);
  const head = parseAccessRepo({ dir: rulesAtBase.dir, files: [...headFiles] }, rules.repo);

  const headProblems = new Map<string, Diagnostic[]>();
  for (const d of [...head.diagnostics, ...validateGrants(head.repo, head.repo.grants.values(), now)]) {
    const list = headProblems.get(d.file) ?? [];
    list.push(d);
    headProblems.set(d.file, list);
  }
  const fatal = head.repo.org
    ? undefined
    : diagnostic(`${rulesAtBase.dir}/grantops.yaml`, START, 'approval/no-base-rules', 'the base has no valid grantops.yaml, so there are no rules to judge this pull request by: fix the base first');
  return { repo: head.repo, baseProblems: rules.problems, headProblems, fatal };
}
