import { runDemo } from '../../src/demo/run-demo.js';
import { REPO_ROOT } from '../helpers/cli.js';

describe('npm run demo', () => {
  // Some forty commands in one process: a few seconds alone, far more on a machine the whole suite shares.
  it('walks one grant from request to deletion, every step as the rules say', async () => {
    const lines: string[] = [];
    const result = await runDemo({ source: REPO_ROOT, print: (line) => lines.push(line) });
    const out = lines.join('\n');
    expect(result).toEqual({ ok: true, checks: expect.any(Number) });
    expect(out).toMatch(/^Demo complete: every step behaved as the rules say \(\d+ checks\)\.$/m);
    // Whose approval is missing, then what the manager's approval leaves, then none.
    expect(out).toContain('manager: MISSING (can approve: george)');
    expect(out).toMatch(/manager: approved by george\n\s+owner: MISSING \(can approve: elaine\)/);
    expect(out).toContain('Approved at once, no reviewer needed');
    expect(out).toContain('access/grants/kramer/prod-deploy.yaml: the file is deleted (the approval has expired too)');
    // The audit's timeline, with the roles the decision notes recorded.
    expect(out).toMatch(/\| approved \| elaine \| owner \|/);
    expect(out).toMatch(/\| renewed \| kramer \|/);
    // Break-glass: passed at once, ratified once, revoked once while it ran, and flagged by --verify.
    expect(out).toContain('new: approved as BREAK-GLASS');
    expect(out).toMatch(/\| ratified \| wilhelm \| owner \|/);
    expect(out).toMatch(/break-glass access\/grants\/jerry\/admin\.yaml: UNRATIFIED/);
    expect(out).toMatch(/finding verify\/break-glass-unratified: .*pull request #7/);
    // The organisation: a permission set in two accounts through Identity Center, given by apply, taken by expire.
    expect(out).toMatch(/done sso create-account-assignment kramer@vandelay\.example AdministratorAccess in 111122223333\n.*done sso create-account-assignment kramer@vandelay\.example AdministratorAccess in 444455556666/);
    // Said only once the demo has read both assignments in the instance's state file.
    expect(out).toContain('the Identity Center instance now assigns kramer@vandelay.example AdministratorAccess in 111122223333 and 444455556666');
    expect(out).toMatch(/done sso delete-account-assignment kramer@vandelay\.example AdministratorAccess in 111122223333\n.*done sso delete-account-assignment kramer@vandelay\.example AdministratorAccess in 444455556666/);
    expect(out).toMatch(/\| prod-admin \| provisioned \| {2}\| {2}\| `[0-9a-f]{7}` \| #9 \| sso: create-account-assignment/);
  }, 180_000);
});
