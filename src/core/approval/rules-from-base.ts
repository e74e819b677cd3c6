import { START, diagnostic, type Diagnostic } from '../diagnostic.js';
import type { AccessRepo } from '../model.js';
import { classifyPath, isRulesFile, parseAccessRepo } from '../parse-access-repo.js';
import type { RepoFile, RepoSnapshot } from '../repo-file.js';
import { validateAccessRepo } from '../validate-access-repo.js';

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

/**
 * DESIGN §3 rule 1: the rules are read from the base, never from the head, so a pull request cannot lower
 * the bar it is judged by. The head's grant files are parsed and validated against those base rules in
 * the same pass (one parse of the rules, however many grants).
 */
export function readRulesFromBase(rulesAtBase: RepoSnapshot, headFiles: readonly RepoFile[], now: Date): RulesFromBase {
  const rules = selectRuleFiles(rulesAtBase);
  const headPaths = new Set(headFiles.map((f) => f.path));
  const { repo, diagnostics } = parseAccessRepo({ ...rules, files: [...rules.files, ...headFiles] });
  const all = [...diagnostics, ...validateAccessRepo(repo, now)];

  const baseProblems: Diagnostic[] = [];
  const headProblems = new Map<string, Diagnostic[]>();
  for (const d of all) {
    if (headPaths.has(d.file)) {
      const list = headProblems.get(d.file) ?? [];
      list.push(d);
      headProblems.set(d.file, list);
    } else {
      baseProblems.push(d);
    }
  }
  const fatal = repo.org
    ? undefined
    : diagnostic(`${rules.dir}/grantops.yaml`, START, 'approval/no-base-rules', 'the base has no valid grantops.yaml, so there are no rules to judge this pull request by: fix the base first');
  return { repo, baseProblems, headProblems, fatal };
}
