import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { simpleGit } from 'simple-git';
import { GitDecisionNotes } from '../../src/adapters/git/notes.js';
import { parseDecisionNote, type DecisionInput } from '../../src/core/decision-record.js';
import { recordDecision } from '../../src/usecases/record-decision.js';
import type { DecisionNotes } from '../../src/ports.js';

/* Decision notes on real repositories: a bare repository is the remote, two clones are two runs. */
let tmp: string;
let remote: string;

beforeEach(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'grantops-notes-'));
  remote = join(tmp, 'remote.git');
  await simpleGit().raw(['init', '-q', '--bare', '-b', 'main', remote]);
  const seed = await clone('seed');
  writeFileSync(join(seed.dir, 'README.md'), 'x\n');
  await seed.git.add(['README.md']);
  await seed.git.commit('first');
  await seed.git.push('origin', 'main');
});

afterEach(() => rmSync(tmp, { recursive: true, force: true }));

async function clone(name: string) {
  const dir = join(tmp, name);
  await simpleGit().clone(remote, dir);
  const git = simpleGit(dir);
  await git.addConfig('user.name', name).addConfig('user.email', `${name}@test.example`);
  return { dir, git, notes: new GitDecisionNotes(dir) };
}

function decision(commit: string, at: string): DecisionInput {
  return { kind: 'expire', commit, recordedAt: new Date(at), dir: 'access', rulesSha: commit, grants: [], operations: [] };
}

async function remoteNote(commit: string): Promise<string> {
  return simpleGit(remote).raw(['notes', '--ref=refs/notes/grantops', 'show', commit]);
}

describe('recordDecision', () => {
  it('appends on a re-run and never rewrites: the note keeps both records and its history only grows', async () => {
    const run = await clone('run');
    const head = (await run.git.revparse(['HEAD'])).trim();
    await recordDecision(run.notes, decision(head, '2026-11-23T12:00:00Z'));
    await recordDecision(run.notes, decision(head, '2026-11-23T13:00:00Z'));
    const facts = await run.notes.readNotes();
    expect(facts.notes).toHaveLength(1);
    expect(parseDecisionNote(facts.notes[0]!.text, head).records.map((r) => r.recordedAt)).toEqual(['2026-11-23T12:00:00.000Z', '2026-11-23T13:00:00.000Z']);
    expect(facts.revisions).toEqual([expect.objectContaining({ commit: head })]);
    expect(facts.revisions[0]!.after).toContain(facts.revisions[0]!.before!.trim());
  });

  it('pushes the note, and a run that raced another merges both records instead of losing one', async () => {
    const a = await clone('a');
    const b = await clone('b');
    const head = (await a.git.revparse(['HEAD'])).trim();
    // a pushes its record between b's fetch and b's push: b's first push is rejected, then b fetches,
    // merges and pushes again.
    let raced = false;
    const racing: DecisionNotes = {
      readNotes: () => b.notes.readNotes(),
      appendNote: (commit, text) => b.notes.appendNote(commit, text),
      fetchNotes: (r) => b.notes.fetchNotes(r),
      pushNotes: async (r) => {
        if (!raced) {
          raced = true;
          await recordDecision(a.notes, decision(head, '2026-11-23T12:00:00Z'), { remote: 'origin' });
        }
        return b.notes.pushNotes(r);
      },
    };
    const pushes = jest.spyOn(b.notes, 'pushNotes');
    const result = await recordDecision(racing, decision(head, '2026-11-23T12:00:05Z'), { remote: 'origin' });
    expect(result.pushed).toBe(true);
    expect(pushes).toHaveBeenCalledTimes(2);
    const note = await remoteNote(head);
    const parsed = parseDecisionNote(note, head);
    expect(parsed.problems).toEqual([]);
    expect(parsed.records.map((r) => r.recordedAt).sort()).toEqual(['2026-11-23T12:00:00.000Z', '2026-11-23T12:00:05.000Z']);
  });

  it('refuses to record on a commit the clone does not have', async () => {
    const run = await clone('run');
    await expect(recordDecision(run.notes, decision('f'.repeat(40), '2026-11-23T12:00:00Z'))).rejects.toThrow(/no such commit/);
  });
});
