import { diagnostic, type Diagnostic } from '../diagnostic.js';
import type { OrgConfig, Sourced } from '../model.js';
import { locate } from '../yaml-source.js';

/** `risk.levels` must name defined levels, with thresholds that do not fall as sensitivity rises. */
export function checkRiskSettings(org: Sourced<OrgConfig>): Diagnostic[] {
  const levels = org.value.risk?.levels;
  if (!levels) return [];
  const out: Diagnostic[] = [];
  const order = Object.keys(org.value.sensitivity);
  for (const name of Object.keys(levels)) {
    if (!order.includes(name)) {
      out.push(diagnostic(org.file, locate(org.source, ['risk', 'levels', name]), 'ref/unknown-sensitivity', `risk.levels names "${name}", which is not defined under "sensitivity"`));
    }
  }
  let previous: { name: string; score: number } | undefined;
  for (const name of order) {
    const score = levels[name];
    if (score === undefined) continue;
    if (previous && score < previous.score) {
      out.push(diagnostic(org.file, locate(org.source, ['risk', 'levels', name]), 'risk/levels-order', `risk.levels.${name} (${score}) is below risk.levels.${previous.name} (${previous.score}), a less sensitive level`));
    }
    previous = { name, score };
  }
  return out;
}
