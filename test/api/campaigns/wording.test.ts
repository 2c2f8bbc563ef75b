// A relationship campaign's survey is about no ticket: its email and page never show the campaign's
// internal reference as a "ticket", and the subject asks the kind's question.
import { describe, expect, it } from 'vitest';
import { composeSurveyEmail } from '../../../api/email/compose.js';
import { newTokenId, surveyToken } from '../../../api/domain/tokens.js';
import { testApi } from '../helpers.js';

describe('the wording of a campaign survey', () => {
  it('has no ticket line on the page or in the email, and the kind\'s question as the subject', async () => {
    const t = await testApi({ site: { kind: 'nps' } });
    const tokenId = newTokenId();
    const { survey } = await t.store.createSurvey(
      { siteId: t.site.id, ticketRef: 'cp_x/1/1', tokenId, contactEmail: 'ana@client.example', expiresAt: t.clock.now() + 86_400_000, moment: 'relationship', campaignId: 'cp_x' },
      t.clock.now(),
    );
    const token = surveyToken(t.config.tokenSecret, tokenId);
    const page = await (await t.app.request(`/s/${token}`)).text();
    expect(page).toContain('How likely are you to recommend us');
    expect(page).not.toContain('cp_x');

    const settings = { siteId: t.site.id, senderName: null, senderEmail: 'desk@acme.example', replyTo: null, smtpUrlSealed: null, delayMinutes: 0 };
    const mail = composeSurveyEmail({ site: t.site, settings, survey: { ...survey, contactEmail: 'ana@client.example' }, messageId: '<m@x>', publicUrl: t.config.publicUrl, tokenSecret: t.config.tokenSecret });
    expect(mail.subject).toBe('Acme IT: How likely are you to recommend us to a friend or colleague?');
    expect(String(mail.html)).not.toContain('cp_x');
    expect(String(mail.text)).not.toContain('cp_x');
    expect(String(mail.text)).toContain(`${t.config.publicUrl}/s/${token}?r=10`);

    // A ticket survey keeps its ticket line and subject.
    const ticket = await t.createSurvey('T-7');
    expect(await (await t.app.request(`/s/${ticket.token}`)).text()).toContain('T-7');
  });
});
