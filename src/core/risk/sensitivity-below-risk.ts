import { diagnostic, type Diagnostic } from '../diagnostic.js';
import type { AccessRepo } from '../model.js';
import { locate } from '../yaml-source.js';
import type { ResourceRisk } from './resource-risk.js';
import { levelRank, type ResolvedRiskSettings, suggestSensitivity } from './risk-settings.js';

export interface SensitivityBelowRisk {
  resource: string;
  file: string;
  declared: string;
  suggested: string;
  risk: ResourceRisk;
}

/**
 * Resources whose sensitivity in force is a lower level than their risk score suggests (see
 * `suggestSensitivity`). A resource that could not be fully scored is left out: half a score would
 * understate it.
 */
export function findSensitivityBelowRisk(repo: AccessRepo, risks: Iterable<ResourceRisk>, settings: ResolvedRiskSettings): SensitivityBelowRisk[] {
  const out: SensitivityBelowRisk[] = [];
  for (const risk of risks) {
    const resource = repo.resources.get(risk.resource);
    const suggested = suggestSensitivity(settings, risk.score);
    if (!resource || !suggested || risk.unresolved.length > 0) continue;
    const declared = resource.value.effectiveSensitivity;
    if (levelRank(settings, suggested) > levelRank(settings, declared)) out.push({ resource: risk.resource, file: resource.file, declared, suggested, risk });
  }
  return out;
}

/** `grantops validate`'s warning rule `resource/sensitivity-below-risk`, located at the resource's sensitivity. */
export function checkSensitivityBelowRisk(repo: AccessRepo, risks: Iterable<ResourceRisk>, settings: ResolvedRiskSettings): Diagnostic[] {
  return findSensitivityBelowRisk(repo, risks, settings).map((f) => {
    const resource = repo.resources.get(f.resource)!;
    const at = locate(resource.source, resource.value.sensitivity !== undefined ? ['sensitivity'] : ['id']);
    const inherited = resource.value.sensitivity === undefined ? ' (inherited from defaults)' : '';
    const why = f.risk.privilegeEscalation ? ', a privilege-escalation path' : '';
    return diagnostic(resource.file, at, 'resource/sensitivity-below-risk', `"${f.resource}" is ${f.declared}${inherited} but its grant scores ${f.risk.score}/100${why}, which suggests ${f.suggested}: raise the sensitivity or narrow the grant`, 'warning');
  });
}
