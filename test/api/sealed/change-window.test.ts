// The change window is fixed when a survey is first answered: changing the site's setting afterwards
// neither reopens a closed answer nor shortens an open one.
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../api/cli/main.js';
import { testApi } from '../helpers.js';

const DAY = 86_400_000;

async function siteSet(file: string, days: string, now: number) {
  const lines: string[] = [];
  const io: CliIo = { out: (l) => lines.push(l), write: (t) => lines.push(t), err: (l) => lines.push(l), env: {}, now: () => now };
  expect(await runCli(['site', 'set', 'acme', '--change-window-days', days, '--db', file], io), lines.join('\n')).toBe(0);
}

describe('change window fixed at the first answer', () => {
  it('csat site set --change-window-days 365 does not reopen an answer whose 7 days have passed', async () => {
    const t = await testApi({ site: { changeWindowDays: 7 } });
    const { token } = await t.createSurvey('T-1');
    expect((await t.react(token, 'negative')).status).toBe(201);
    t.clock.advance(8 * DAY);
    const closed = await t.react(token, 'positive');
    expect(closed.status).toBe(409);
    expect((await closed.json()).error.code).toBe('change_window_closed');

    await siteSet(t.file, '365', t.clock.now());
    expect((await t.store.getSite('acme'))!.changeWindowDays).toBe(365);
    const still = await t.react(token, 'positive');
    expect(still.status).toBe(409);
    const answer = await (await t.app.request(`/v1/responses/${token}`)).json();
    expect(answer).toMatchObject({ reaction: 'negative' });
    expect(answer.changeableUntil ?? answer.answer?.changeableUntil).toBe(new Date(t.clock.now() - 8 * DAY + 7 * DAY).toISOString());
    expect((await t.score()).counts).toMatchObject({ negative: 1, positive: 0 });
    // A survey answered after the change gets the new window.
    const later = await t.createSurvey('T-2');
    expect((await t.react(later.token, 'neutral')).status).toBe(201);
    t.clock.advance(30 * DAY);
    expect((await t.react(later.token, 'positive')).status).toBe(200);
  });

  it('a shorter setting does not shorten an answer already given', async () => {
    const t = await testApi({ site: { changeWindowDays: 7 } });
    const { token } = await t.createSurvey('T-1');
    expect((await t.react(token, 'negative')).status).toBe(201);
    await siteSet(t.file, '1', t.clock.now());
    t.clock.advance(3 * DAY);
    expect((await t.react(token, 'positive')).status).toBe(200);
    t.clock.advance(5 * DAY);
    expect((await t.react(token, 'neutral')).status).toBe(409);
  });
});
