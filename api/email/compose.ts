// One survey email as nodemailer message options: multipart text + HTML in the survey's language, the
// stable Message-ID, and RFC 8058 one-click unsubscribe headers.
import type { SendMailOptions } from 'nodemailer';
import { surveyToken } from '../domain/tokens.js';
import { emailDocument, emailSubject, emailTextWithUnsubscribe } from '../pages/email.js';
import { surveyLinks } from '../services/surveys.js';
import type { SiteEmailSettings } from '../store/types-email.js';
import type { Site, Survey } from '../store/types.js';

export function unsubscribeUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/u/${token}`;
}

/** The link people do not see in the email; opening it marks the survey as scanned (api/domain/scanner.ts). */
export function trapUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/s/${token}/t`;
}

export function composeSurveyEmail(input: {
  site: Site;
  settings: SiteEmailSettings;
  survey: Survey & { contactEmail: string };
  messageId: string;
  publicUrl: string;
  tokenSecret: Buffer;
}): SendMailOptions {
  const { site, settings, survey, messageId, publicUrl } = input;
  const token = surveyToken(input.tokenSecret, survey.tokenId);
  const content = {
    company: site.name,
    ticketRef: survey.campaignId ? null : survey.ticketRef,
    locale: survey.locale ?? site.locale,
    kind: survey.kind,
    scale: survey.scale,
    links: surveyLinks(publicUrl, token, survey),
    trap: trapUrl(publicUrl, token),
  };
  const unsubscribe = unsubscribeUrl(publicUrl, token);
  return {
    from: { name: settings.senderName ?? site.name, address: settings.senderEmail ?? '' },
    ...(settings.replyTo ? { replyTo: settings.replyTo } : {}),
    to: survey.contactName ? { name: survey.contactName, address: survey.contactEmail } : survey.contactEmail,
    subject: emailSubject(content),
    text: emailTextWithUnsubscribe(content, unsubscribe),
    html: emailDocument(content, unsubscribe),
    messageId,
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Content-Language': content.locale,
      // Tells auto-responders (out-of-office) not to answer a machine-sent survey.
      'Auto-Submitted': 'auto-generated',
    },
  };
}
