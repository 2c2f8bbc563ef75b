import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { newAdminKey } from '../../../api/domain/tokens.js';
import { testApi } from '../helpers.js';

type Api = Awaited<ReturnType<typeof testApi>>;
type Item = { id: string; ticketRef: string; reaction: string; comment: string | null; followUp: string; team: string | null; technician: string | null; notes: number };

const auth = (t: Api) => ({ Authorization: `Bearer ${t.key}` });
const inbox = async (t: Api, query = '') => {
  const res = await t.app.request(`/v1/sites/acme/responses${query}`, { headers: auth(t) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { items: Item[]; nextCursor: string | null };
};

/** One answered survey per spec, one hour apart, oldest first. */
async function seed(t: Api, specs: Array<{ reaction: string; comment?: string; team?: string; technician?: string }>, prefix = 'T') {
  const ids: string[] = [];
  for (const [i, spec] of specs.entries()) {
    const { token } = await t.createSurvey(`${prefix}-${i + 1}`, { ...(spec.team ? { team: spec.team } : {}), ...(spec.technician ? { technician: spec.technician } : {}) });
    await t.react(token, spec.reaction, spec.comment);
    ids.push((await inbox(t, '?limit=1')).items[0]!.id);
    t.clock.advance(3_600_000);
  }
  return ids;
}

describe('GET /v1/sites/:site/responses (the inbox)', () => {
  it('lists responses newest first with their survey context; non-positive ones start open', async () => {
    const t = await testApi();
    await seed(t, [
      { reaction: 'positive', team: 'Desk', technician: 'Ana' },
      { reaction: 'negative', comment: 'slow', team: 'Field', technician: 'Ben' },
      { reaction: 'neutral' },
    ]);
    const { items, nextCursor } = await inbox(t);
    expect(items.map((i) => [i.ticketRef, i.reaction, i.followUp])).toEqual([
      ['T-3', 'neutral', 'open'],
      ['T-2', 'negative', 'open'],
      ['T-1', 'positive', 'none'],
    ]);
    expect(items[1]).toMatchObject({ comment: 'slow', team: 'Field', technician: 'Ben', notes: 0 });
    expect(nextCursor).toBeNull();
  });

  it('filters by reaction, follow-up, team, technician, time and comment', async () => {
    const t = await testApi();
    const start = t.clock.ms;
    await seed(t, [
      { reaction: 'positive', team: 'Desk', technician: 'Ana', comment: 'great' },
      { reaction: 'negative', team: 'Field', technician: 'Ben' },
      { reaction: 'neutral', team: 'Desk', technician: 'Ben', comment: 'ok' },
      { reaction: 'negative', team: 'Desk', technician: 'Ana', comment: 'late' },
    ]);
    const tickets = async (query: string) => (await inbox(t, query)).items.map((i) => i.ticketRef);
    expect(await tickets('?reaction=negative')).toEqual(['T-4', 'T-2']);
    expect(await tickets('?followUp=none')).toEqual(['T-1']);
    expect(await tickets('?team=Desk')).toEqual(['T-4', 'T-3', 'T-1']);
    expect(await tickets('?technician=Ben')).toEqual(['T-3', 'T-2']);
    expect(await tickets('?hasComment=true')).toEqual(['T-4', 'T-3', 'T-1']);
    expect(await tickets('?hasComment=false')).toEqual(['T-2']);
    const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
    expect(await tickets(`?since=${iso(start + 3_600_000)}&until=${iso(start + 3 * 3_600_000)}`)).toEqual(['T-3', 'T-2']);
    expect(await tickets('?team=Desk&reaction=negative&technician=Ana')).toEqual(['T-4']);
  });

  it('pages with a cursor that stays stable while new responses arrive', async () => {
    const t = await testApi();
    await seed(t, Array.from({ length: 5 }, () => ({ reaction: 'negative' })));
    const first = await inbox(t, '?limit=2');
    expect(first.items.map((i) => i.ticketRef)).toEqual(['T-5', 'T-4']);
    // Two new responses arrive, and an old one changes its mind, between pages.
    const { token } = await t.createSurvey('NEW-1');
    await t.react(token, 'positive');
    const second = await inbox(t, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((i) => i.ticketRef)).toEqual(['T-3', 'T-2']);
    const third = await inbox(t, `?limit=2&cursor=${second.nextCursor}`);
    expect(third.items.map((i) => i.ticketRef)).toEqual(['T-1']);
    expect(third.nextCursor).toBeNull();
    expect((await inbox(t, '?limit=1')).items[0]!.ticketRef).toBe('NEW-1');
  });

  it('refuses bad filters, bad cursors, unknown parameters and missing keys with 4xx', async () => {
    const t = await testApi();
    for (const query of ['?reaction=great', '?followUp=done', '?since=yesterday', '?limit=0', '?limit=500', '?cursor=abc', '?colour=red', '?hasComment=yes']) {
      const res = await t.app.request(`/v1/sites/acme/responses${query}`, { headers: auth(t) });
      expect(res.status, query).toBe(400);
      expect((await res.json()).error.code).toMatch(/^invalid_/);
    }
    expect((await t.app.request('/v1/sites/acme/responses')).status).toBe(401);
  });
});

describe('PATCH /v1/sites/:site/responses/:id (follow-up)', () => {
  it('moves open -> contacted -> resolved with notes, and answers 409 for illegal moves', async () => {
    const t = await testApi();
    const [id] = await seed(t, [{ reaction: 'negative', comment: 'never called back' }]);
    const patch = (body: unknown) => t.json('PATCH', `/v1/sites/acme/responses/${id}`, body, auth(t));
    expect((await patch({ followUp: 'resolved', note: { author: 'Sam', text: 'x' } })).status).toBe(200); // open -> resolved is allowed
    const reopen = await patch({ followUp: 'open' });
    expect(reopen.status).toBe(200);
    const contacted = await patch({ followUp: 'contacted', note: { author: 'Sam', text: 'Called, fixing the printer on Monday' } });
    expect(contacted.status).toBe(200);
    const body = await contacted.json();
    expect(body).toMatchObject({ followUp: 'contacted', notes: 2, reaction: 'negative', comment: 'never called back' });
    expect(body.noteList.map((n: { text: string; followUp: string | null }) => [n.followUp, n.text])).toEqual([
      ['resolved', 'x'],
      ['contacted', 'Called, fixing the printer on Monday'],
    ]);
    for (const to of ['open', 'none']) {
      const illegal = await patch({ followUp: to });
      expect(illegal.status, to).toBe(to === 'none' ? 400 : 409);
    }
    expect((await patch({ note: { author: 'Sam', text: 'Only a note' } })).status).toBe(200);
    expect((await patch({})).status).toBe(400);
    expect((await t.json('PATCH', '/v1/sites/acme/responses/rs_nope', { followUp: 'contacted' }, auth(t))).status).toBe(404);
  });

  it('cannot change a rating or a comment: no route accepts them', async () => {
    const t = await testApi();
    const [id] = await seed(t, [{ reaction: 'negative', comment: 'bad' }]);
    const before = await t.score();
    for (const body of [{ reaction: 'positive' }, { comment: 'great' }, { followUp: 'contacted', reaction: 'positive' }]) {
      const res = await t.json('PATCH', `/v1/sites/acme/responses/${id}`, body, auth(t));
      expect(res.status).toBe(400);
    }
    for (const method of ['PUT', 'DELETE', 'POST']) {
      const res = await t.json(method, `/v1/sites/acme/responses/${id}`, { reaction: 'positive' }, auth(t));
      expect(res.status, method).toBe(404);
    }
    const after = await t.app.request(`/v1/sites/acme/responses/${id}`, { headers: auth(t) });
    expect(await after.json()).toMatchObject({ reaction: 'negative', comment: 'bad' });
    expect(await t.score()).toEqual(before);
  });

  it('a respondent who turns negative later gets followed up; a wall key cannot patch', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    await t.react(token, 'positive');
    expect((await inbox(t)).items[0]!.followUp).toBe('none');
    await t.react(token, 'negative', 'actually it broke again');
    expect((await inbox(t)).items[0]!.followUp).toBe('open');
    const wall = newAdminKey();
    await t.store.addAdminKey({ id: wall.id, siteId: t.site.id, hash: wall.hash, scope: 'wall' }, t.clock.ms);
    const res = await t.json('PATCH', `/v1/sites/acme/responses/${(await inbox(t)).items[0]!.id}`, { followUp: 'contacted' }, { Authorization: `Bearer ${wall.key}` });
    expect(res.status).toBe(403);
    expect((await t.app.request('/v1/sites/acme/responses', { headers: { Authorization: `Bearer ${wall.key}` } })).status).toBe(403);
  });
});

describe('GET /v1/sites/:site/responses.csv', () => {
  it('exports every response with RFC 4180 quoting and formulas neutralised, with the inbox filters', async () => {
    const t = await testApi();
    await seed(t, [
      { reaction: 'negative', comment: '=HYPERLINK("http://x")', team: 'Desk' },
      { reaction: 'positive', comment: 'line one\nline "two", with comma' },
      { reaction: 'neutral', comment: '+1 and @mention', team: '-Ops' },
    ]);
    const res = await t.app.request('/v1/sites/acme/responses.csv', { headers: auth(t) });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('Content-Disposition')).toContain('acme-responses.csv');
    const csv = await res.text();
    expect(csv.startsWith('id,createdAt,updatedAt,ticketRef,reaction,comment,followUp,team,technician,contactEmail,contactName,source,notes,kind,scale,score,moment,dimensions\r\n')).toBe(true);
    expect(csv).toContain(`,T-1,negative,"'=HYPERLINK(""http://x"")",open,Desk,`);
    expect(csv).toContain(',T-2,positive,"line one\nline ""two"", with comma",none,');
    expect(csv).toContain(",T-3,neutral,'+1 and @mention,open,'-Ops,");
    const negative = await (await t.app.request('/v1/sites/acme/responses.csv?reaction=negative', { headers: auth(t) })).text();
    expect(negative.trim().split('\r\n')).toHaveLength(2);
    expect((await t.app.request('/v1/sites/acme/responses.csv')).status).toBe(401);
  });

  it('has a notes column: each follow-up note as "YYYY-MM-DD author: text", one per line, never a formula', async () => {
    const t = await testApi();
    const [quiet, called] = await seed(t, [{ reaction: 'neutral' }, { reaction: 'negative', comment: 'no callback' }]);
    const note = (id: string, author: string, text: string, followUp?: string) =>
      t.json('PATCH', `/v1/sites/acme/responses/${id}`, { note: { author, text }, ...(followUp && { followUp }) }, auth(t));
    expect((await note(called!, 'Sam', 'Called back, printer fixed on Monday', 'contacted')).status).toBe(200);
    t.clock.advanceDays(1);
    expect((await note(called!, '@Dana', '=HYPERLINK("http://x")\nand a second line')).status).toBe(200);

    const csv = await (await t.app.request('/v1/sites/acme/responses.csv', { headers: auth(t) })).text();
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(quiet!)!.notes).toBe('');
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    expect(byId.get(called!)!.notes).toBe(
      `${day(t.clock.ms - 86_400_000)} Sam: Called back, printer fixed on Monday\n${day(t.clock.ms)} @Dana: =HYPERLINK("http://x")\n  and a second line`,
    );
    // The quoted cell keeps its line breaks; no cell, and no line of a notes cell, starts a formula.
    for (const row of rows) {
      for (const cell of Object.values(row)) expect(cell.split('\n').every((l) => !/^[=+\-@\t\r]/.test(l)), cell).toBe(true);
    }
  });

  it('never holds a read cursor while the client is slow to read: writes go through mid-export', async () => {
    const t = await testApi();
    await seed(t, Array.from({ length: 3 }, () => ({ reaction: 'negative', comment: 'x' })));
    const res = await t.app.request('/v1/sites/acme/responses.csv', { headers: auth(t) });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let csv = decoder.decode((await reader.read()).value, { stream: true });
    // The client stops reading: the export is suspended mid-way. A reaction and a follow-up note are
    // writes on the same database connection; an open statement would make them fail.
    const { token } = await t.createSurvey('MID-EXPORT');
    expect((await t.react(token, 'negative', 'while exporting')).status).toBe(201);
    const id = (await inbox(t, '?limit=1')).items[0]!.id;
    expect((await t.json('PATCH', `/v1/sites/acme/responses/${id}`, { followUp: 'contacted' }, auth(t))).status).toBe(200);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) csv += decoder.decode(chunk.value, { stream: true });
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(rows.filter((r) => r.ticketRef!.startsWith('T-')).map((r) => r.ticketRef)).toEqual(['T-3', 'T-2', 'T-1']);
  });
});

describe('a wall key on the operators\' routes', () => {
  it('is refused with a 403 that says it is a read-only wall key and how to create an admin key', async () => {
    const t = await testApi();
    const wall = newAdminKey();
    await t.store.addAdminKey({ id: wall.id, siteId: t.site.id, hash: wall.hash, scope: 'wall' }, t.clock.ms);
    for (const path of ['/responses', '/responses.csv', '/report?groupBy=team', '/webhooks']) {
      const res = await t.app.request(`/v1/sites/acme${path}`, { headers: { Authorization: `Bearer ${wall.key}` } });
      expect(res.status, path).toBe(403);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('read_only_key');
      expect(error.message).toContain('read-only wall key');
      expect(error.message).toContain('needs an admin key');
      expect(error.message).toContain('npx csat key create acme');
    }
  });
});

describe('HEAD on streamed routes (found by the fuzzer)', () => {
  it('a HEAD on the CSV export answers headers only and leaves the database writable', async () => {
    const t = await testApi();
    await seed(t, [{ reaction: 'negative', comment: 'x' }]);
    const head = await t.app.request('/v1/sites/acme/responses.csv', { method: 'HEAD', headers: auth(t) });
    expect(head.status).toBe(200);
    expect(head.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    const { token } = await t.createSurvey('AFTER-HEAD');
    expect((await t.react(token, 'positive')).status).toBe(201);
  });

  it('a HEAD on the live streams subscribes nothing', async () => {
    const t = await testApi();
    expect((await t.app.request('/v1/sites/acme/score/stream', { method: 'HEAD' })).status).toBe(200);
    expect((await t.app.request('/v1/sites/acme/feed', { method: 'HEAD', headers: auth(t) })).status).toBe(200);
    expect(t.app.hub.listenerCount('acme')).toBe(0);
  });
});

describe('GET /v1/sites/:site/report', () => {
  it('groups score and counts by team, technician or week; the public score has no per-person figures', async () => {
    const t = await testApi();
    await seed(t, [
      { reaction: 'positive', team: 'Desk', technician: 'Ana' },
      { reaction: 'negative', team: 'Desk', technician: 'Ben' },
      { reaction: 'positive', team: 'Field', technician: 'Ben' },
    ]);
    t.clock.advanceDays(7);
    await seed(t, [{ reaction: 'positive', team: 'Field', technician: 'Ana' }], 'W2');
    const report = async (groupBy: string) => (await (await t.app.request(`/v1/sites/acme/report?groupBy=${groupBy}`, { headers: auth(t) })).json()) as { groups: Array<{ group: string | null; score: number; counts: { total: number } }> };
    expect((await report('team')).groups.map((g) => [g.group, g.score, g.counts.total])).toEqual([
      ['Desk', 0, 2],
      ['Field', 100, 2],
    ]);
    expect((await report('technician')).groups.map((g) => [g.group, g.score])).toEqual([
      ['Ana', 100],
      ['Ben', 0],
    ]);
    const weeks = (await report('week')).groups;
    expect(weeks).toHaveLength(2);
    expect(weeks.map((w) => new Date(`${w.group}T00:00:00Z`).getUTCDay())).toEqual([1, 1]); // Mondays
    expect((await t.app.request('/v1/sites/acme/report?groupBy=person', { headers: auth(t) })).status).toBe(400);
    expect((await t.app.request('/v1/sites/acme/report?groupBy=team')).status).toBe(401);
    const score = JSON.stringify(await t.score());
    expect(score).not.toContain('Ana');
    expect(score).not.toContain('Desk');
  });
});
