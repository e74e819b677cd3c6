import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { simpleGit } from 'simple-git';
import { ChannelNotifier } from '../../../src/adapters/notify/channel-notifier.js';
import { GitNotesDeliveryLedger, NOTIFICATION_NOTES_REF } from '../../../src/adapters/notify/git-notes-ledger.js';
import { loadAccessRepo } from '../../../src/core/load-access-repo.js';
import type { NotificationEvent } from '../../../src/core/notify/notification-event.js';
import { ORG, snapshot } from '../../helpers/repo.js';
import { startHttpReceiver } from '../../helpers/notify-servers.js';

/* A job rerun is a fresh clone at the same commit: a bare repository is the remote, each clone one run. */
let tmp: string;
let remote: string;
let receiver: Awaited<ReturnType<typeof startHttpReceiver>>;

beforeEach(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'grantops-notified-'));
  remote = join(tmp, 'remote.git');
  await simpleGit().raw(['init', '-q', '--bare', '-b', 'main', remote]);
  const seed = await clone('seed');
  writeFileSync(join(seed, 'README.md'), 'x\n');
  await simpleGit(seed).add(['README.md']).commit('first').push('origin', 'main');
  receiver = await startHttpReceiver();
});

afterEach(async () => {
  await receiver.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function clone(name: string): Promise<string> {
  const dir = join(tmp, name);
  await simpleGit().clone(remote, dir);
  await simpleGit(dir).addConfig('user.name', name).addConfig('user.email', `${name}@test.example`);
  return dir;
}

const NOW = new Date('2026-11-23T12:00:00Z');
const event = (expires: string): NotificationEvent => ({
  kind: 'access-ending-soon',
  at: NOW.toISOString(),
  recipients: [{ login: 'dev', as: 'grantee' }],
  grant: { user: 'dev', resource: 'prod-db', expires },
});

function run(dir: string) {
  const { repo } = loadAccessRepo(
    snapshot({ 'access/grantops.yaml': `${ORG}notifications:\n  channels:\n    hook: { type: webhook, url: "${receiver.url}", secret: { env: K }, events: [all] }\n` }),
    NOW,
  );
  const notifier = new ChannelNotifier({ env: { K: 'k' }, ledger: new GitNotesDeliveryLedger(dir, { remote: 'origin' }), now: () => NOW, sleep: async () => {} });
  return notifier.notify([event('2026-11-25T00:00:00Z')], repo);
}

describe('delivery ledger in git notes', () => {
  it('a rerun in a fresh clone sends nothing already sent, and says so', async () => {
    const first = await run(await clone('run-1'));
    expect(first.deliveries.map((d) => d.status)).toEqual(['sent']);

    const rerun = await run(await clone('run-1-rerun'));
    expect(rerun.deliveries.map((d) => d.status)).toEqual(['duplicate']);
    expect(receiver.requests).toHaveLength(1);

    const notes = await simpleGit(remote).raw(['notes', `--ref=${NOTIFICATION_NOTES_REF}`, 'list']);
    expect(notes.trim().split('\n')).toHaveLength(1);
  });

  it('a delivery that failed is tried again by the rerun; only what was sent is recorded', async () => {
    let up = false;
    await receiver.close();
    receiver = await startHttpReceiver(() => (up ? { status: 200 } : { status: 503 }));
    const first = await run(await clone('run-1'));
    expect(first.deliveries.map((d) => d.status)).toEqual(['failed']);
    up = true;
    const rerun = await run(await clone('run-2'));
    expect(rerun.deliveries.map((d) => d.status)).toEqual(['sent']);
  });

  it('two runs recording at once both keep their keys (the notes merge line by line)', async () => {
    const a = new GitNotesDeliveryLedger(await clone('a'), { remote: 'origin' });
    const b = new GitNotesDeliveryLedger(await clone('b'), { remote: 'origin' });
    await a.findDelivered([]);
    await b.findDelivered([]);
    await a.recordDelivered(['key-a']);
    await b.recordDelivered(['key-b']);
    const c = new GitNotesDeliveryLedger(await clone('c'), { remote: 'origin' });
    expect(await c.findDelivered(['key-a', 'key-b', 'key-c'])).toEqual(new Set(['key-a', 'key-b']));
  });
});
