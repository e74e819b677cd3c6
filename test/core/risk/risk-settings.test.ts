import { loadAccessRepo } from '../../../src/core/load-access-repo.js';
import { resolveRiskSettings, suggestSensitivity } from '../../../src/core/risk/risk-settings.js';
import { ORG, snapshot } from '../../helpers/repo.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const withRisk = (block: string) => snapshot({ 'access/grantops.yaml': `${ORG}${block}` });
const problems = (block: string) => loadAccessRepo(withRisk(block), NOW).diagnostics.map((d) => `${d.line}:${d.column} ${d.rule}`);

describe('the risk: block of grantops.yaml', () => {
  it('is optional, and valid when it uses its keys', () => {
    expect(problems('')).toEqual([]);
    expect(problems('risk: { escalateAbove: 70, escalateOnPrivilegeEscalation: false, levels: { high: 50, critical: 90 }, unusedAfter: 45d, keyMaxAge: 180d }\n')).toEqual([]);
  });

  it('refuses unknown keys, scores outside 0-100, unknown levels and falling thresholds', () => {
    expect(problems('risk: { escalateAbove: 170 }\n')).toEqual(['13:24 schema/maximum']);
    expect(problems('risk: { threshold: 70 }\n')).toEqual(['13:9 schema/unknown-key']);
    expect(problems('risk: { levels: { severe: 50 } }\n')).toEqual(['13:27 ref/unknown-sensitivity']);
    expect(problems('risk: { levels: { medium: 50, high: 40 } }\n')).toEqual(['13:37 risk/levels-order']);
  });

  it('splits 0-100 evenly over the levels unless risk.levels says otherwise', () => {
    const even = resolveRiskSettings(loadAccessRepo(withRisk(''), NOW).repo.org?.value);
    expect(even.configured).toBe(false);
    expect(even.levels.map((l) => `${l.level}:${l.minScore}`)).toEqual(['none:0', 'low:20', 'medium:40', 'high:60', 'critical:80']);
    expect([0, 19, 20, 64, 86, 100].map((s) => suggestSensitivity(even, s))).toEqual(['none', 'none', 'low', 'high', 'critical', 'critical']);
    const own = resolveRiskSettings(loadAccessRepo(withRisk('risk: { levels: { critical: 95 } }\n'), NOW).repo.org?.value);
    expect(own.configured).toBe(true);
    expect(own.escalateOnPrivilegeEscalation).toBe(true);
    expect(suggestSensitivity(own, 90)).toBe('high');
    expect(own.unusedAfterMs).toBe(90 * 86_400_000);
  });
});
