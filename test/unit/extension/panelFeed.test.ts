import { describe, expect, it } from 'vitest';
import { PanelFeed, type PanelView } from '../../../src/extension/panel/panelFeed.js';
import { MAX_MESSAGE_BYTES } from '../../../src/protocol/events.js';
import { HostToWebviewSchema, type HostToWebview, type PanelClaim } from '../../../src/protocol/webviewMessages.js';
import { fakeClaim } from './fixtures/fakePipeline.js';

function setup(claimCount = 0) {
  const claims = new Map<string, PanelClaim>();
  for (let i = 1; i <= claimCount; i++) claims.set(`c${i}`, fakeClaim(i));
  const view: PanelView = {
    run: { cardLabel: 'card.md', cardUri: 'file:///w/card.md', status: 'running' },
    progress: { phase: 'verify', claimsDone: 1, claimsTotal: 2, filesScanned: 3 },
    claims: () => claims.values(),
    claim: (id) => claims.get(id),
    summary: undefined,
    notices: [],
    omittedNotices: 0,
  };
  const posted: HostToWebview[] = [];
  let accept = true;
  const feed = new PanelFeed(
    (m) => {
      // Everything posted must be valid and under the ceiling.
      HostToWebviewSchema.parse(m);
      expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
      posted.push(m);
      return accept;
    },
    () => view,
    { throttleMs: 10 },
  );
  return { feed, posted, claims, view, reject: () => (accept = false) };
}

const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

describe('PanelFeed', () => {
  it('posts nothing before the webview says ready', async () => {
    const { feed, posted } = setup(3);
    feed.progressChanged();
    feed.claimChanged('c1');
    feed.runChanged();
    await tick();
    expect(posted).toEqual([]);
    expect(feed.getStats().postedWhileNotReady).toBe(0);
  });

  it('replays the full latest state on ready, claims in batches under 16 KB', async () => {
    const { feed, posted } = setup(400);
    feed.onReady();
    await tick();
    expect(posted[0]?.type).toBe('reset');
    expect(posted[1]?.type).toBe('progress');
    const claimMsgs = posted.filter((m) => m.type === 'claims');
    expect(claimMsgs.length).toBeGreaterThan(1);
    expect(claimMsgs.flatMap((m) => (m.type === 'claims' ? m.claims : [])).length).toBe(400);
  });

  it('coalesces changes while visible and sends each changed claim once', async () => {
    const { feed, posted } = setup(5);
    feed.onReady();
    await tick();
    posted.length = 0;
    for (let i = 0; i < 100; i++) feed.progressChanged();
    feed.claimChanged('c2');
    feed.claimChanged('c2');
    feed.claimChanged('c4');
    await tick();
    expect(posted.filter((m) => m.type === 'progress')).toHaveLength(1);
    const sent = posted.flatMap((m) => (m.type === 'claims' ? m.claims.map((c) => c.id) : []));
    expect(sent).toEqual(['c2', 'c4']);
  });

  it('keeps nothing queued while hidden and replays on the next ready', async () => {
    const { feed, posted, claims } = setup(2);
    feed.onReady();
    await tick();
    feed.onNotReady();
    posted.length = 0;
    for (let i = 3; i <= 300; i++) {
      claims.set(`c${i}`, fakeClaim(i));
      feed.claimChanged(`c${i}`);
      feed.progressChanged();
    }
    await tick();
    expect(posted).toEqual([]);
    expect(feed.getStats().pendingClaims).toBe(0);
    feed.onReady();
    await tick();
    expect(posted[0]?.type).toBe('reset');
    expect(posted.flatMap((m) => (m.type === 'claims' ? m.claims : [])).length).toBe(300);
    expect(feed.getStats().replays).toBe(2);
  });

  it('treats a rejected post (hidden webview) as not ready', async () => {
    const { feed, posted, reject } = setup(1);
    feed.onReady();
    await tick();
    reject();
    feed.progressChanged();
    await tick();
    const before = posted.length;
    feed.progressChanged();
    await tick();
    expect(posted.length).toBe(before);
    expect(feed.isReady).toBe(false);
  });
});
