import type { PolicyDocument } from '../model.js';
import type { ActionCatalogue } from './action-catalogue.js';
import { ActionIndex } from './action-index.js';
import { checkRiskModel } from './check-risk-model.js';
import { compileRiskRules, findRiskFindings, scoreFindings, type CompiledRule, type FindOptions, type RiskFinding } from './find-risk-findings.js';
import { combinePermissions, readPolicyPermissions, type EffectivePermissions, type PolicyPermissions } from './policy-permissions.js';
import { DEFAULT_RISK_MODEL, type RiskModel } from './risk-model.js';

export interface RiskReport {
  /** 0 (nothing the model flags) to 100. */
  score: number;
  /** Most reach first; their `points` sum to `score`. */
  findings: RiskFinding[];
  /** Action patterns that match nothing in the catalogue. */
  unknownActions: string[];
}

/**
 * Scores policy documents and principals against one model and one action catalogue. Building it
 * indexes the catalogue and checks the model (a model naming an action the catalogue lacks is refused,
 * not half-applied); after that every call is synchronous and pure.
 */
export class RiskScorer {
  readonly index: ActionIndex;
  readonly rules: CompiledRule[];

  constructor(catalogue: ActionCatalogue | ActionIndex, readonly model: RiskModel = DEFAULT_RISK_MODEL) {
    this.index = catalogue instanceof ActionIndex ? catalogue : new ActionIndex(catalogue);
    const problems = checkRiskModel(model, this.index);
    if (problems.length > 0) throw new Error(`risk model ${model.version} is not usable:\n  ${problems.join('\n  ')}`);
    this.rules = compileRiskRules(model, this.index);
  }

  /** A document's permissions; conditions on the clock are decided at `at` when it is given. */
  permissionsOf(document: PolicyDocument | undefined, at?: Date): PolicyPermissions {
    return readPolicyPermissions(this.index, document, at);
  }

  scorePolicy(document: PolicyDocument | undefined, at?: Date): RiskReport {
    return this.scorePermissions([this.permissionsOf(document, at)]);
  }

  /** Service prefixes of which the policies together (after their denies, within a boundary) allow some action. */
  allowedServices(policies: readonly PolicyPermissions[], boundary?: PolicyPermissions): string[] {
    const { allowed } = combinePermissions(this.index, policies, boundary);
    const words = allowed.words;
    return this.index.services
      .filter((s) => {
        for (let i = s.start; i < s.end; i++) {
          if ((i & 31) === 0 && words[i >>> 5] === 0 && i + 32 <= s.end) {
            i += 31;
            continue;
          }
          if (allowed.has(i)) return true;
        }
        return false;
      })
      .map((s) => s.prefix);
  }

  /** The policies together allow every action on every resource, unconditionally. */
  isAdministrator(policies: readonly PolicyPermissions[]): boolean {
    return combinePermissions(this.index, policies).unrestricted.isFull();
  }

  /** A principal: everything attached to it (directly and through groups) together, within its boundary. */
  scorePermissions(policies: readonly PolicyPermissions[], boundary?: PolicyPermissions, options: FindOptions & { extra?: RiskFinding[]; effective?: EffectivePermissions } = {}): RiskReport {
    const effective = options.effective ?? combinePermissions(this.index, policies, boundary);
    const findings = [...findRiskFindings(this.model, this.index, this.rules, effective, options), ...(options.extra ?? [])];
    const unknown = new Set(policies.flatMap((p) => p.unknownActions));
    return { score: scoreFindings(this.model, findings), findings, unknownActions: [...unknown].sort() };
  }
}
