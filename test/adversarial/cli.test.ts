import { describe, expect, it } from '@jest/globals';
import { runCli } from '../helpers/cli.js';
import { buildAttackRepo } from './attack-repo.js';
import { ATTACKS, CONTROL, NOW } from './attacks.js';

/*
 * Every attack of attacks.ts judged by `grantops check` on a real repository of its own: the verdict
 * (exit code and status) and the located diagnostic, or the command line refused with the reason.
 */
const EXIT = { invalid: 2, pending: 1, usage: 64 } as const;
// The environment check sees: not a CI run's (whose pull request event would name an author).
const ENV = { PATH: process.env.PATH ?? '' };

describe.each(ATTACKS)('attack $id (class $class): $what', (attack) => {
  it('is not approved by grantops check', async () => {
    const repo = await buildAttackRepo(attack);
    try {
      const args = [...(attack.cli?.noAuthor ? [] : ['--author', attack.author]), ...(attack.approvals.length > 0 ? ['--approvals', attack.approvals.join(',')] : [])];
      const run = (base: string) => runCli(['check', '--base', base, '--head', 'feature', '--now', NOW, '--format', 'json', ...args], repo.root, new Date(NOW), ENV);
      if (attack.cli?.refusal) {
        for (const base of attack.cli.baseNames ?? ['main']) {
          const refused = await run(base);
          expect({ base, code: refused.code }).toEqual({ base, code: EXIT.usage });
          expect(refused.err).toMatch(attack.cli.refusal);
          expect(refused.out).toBe('');
        }
        return;
      }
      const judged = await run('main');
      const body = JSON.parse(judged.out) as { status: string; errors: { file: string; rule: string; line: number }[]; rulesChange?: { files: string[]; status: string } };
      expect({ code: judged.code, status: body.status }).toEqual({ code: EXIT[attack.verdict.status], status: attack.verdict.status });
      const d = attack.verdict.diagnostic;
      if (d) expect(body.errors).toContainEqual(expect.objectContaining({ file: d.file, rule: d.rule, ...(d.line !== undefined && { line: d.line }) }));
      if (attack.verdict.rulesChange) expect(body.rulesChange).toMatchObject({ status: 'missing', files: expect.arrayContaining(attack.verdict.rulesChange) });
    } finally {
      repo.remove();
    }
  });
});

it('approves the honest request the attacks imitate (the judge can say yes)', async () => {
  const repo = await buildAttackRepo({ ...CONTROL, verdict: { status: 'pending' } });
  try {
    const run = await runCli(['check', '--base', 'main', '--head', 'feature', '--now', NOW, '--author', CONTROL.author, '--approvals', CONTROL.approvals.join(',')], repo.root, new Date(NOW), ENV);
    expect(run.code).toBe(0);
  } finally {
    repo.remove();
  }
});
