// The page behind an email's unsubscribe link. A GET only asks (mail scanners open every link); the
// form posts `List-Unsubscribe=One-Click`, the same body a mail client's one-click button sends.
import { html } from 'hono/html';
import type { Locale } from '../domain/locale.js';
import { pageLayout } from './layout.js';

const WORDS: Record<Locale, { title: string; ask: string; button: string; done: string; doneBody: string; invalid: string }> = {
  en: {
    title: 'Stop survey emails',
    ask: 'Stop receiving satisfaction surveys from {company} at this address?',
    button: 'Stop these surveys',
    done: 'You will get no more surveys',
    doneBody: '{company} will not send further satisfaction surveys to this address. Answers you already gave stay as they are.',
    invalid: 'This unsubscribe link is not valid. Try opening it again from the email.',
  },
  fr: {
    title: 'Ne plus recevoir les questionnaires',
    ask: 'Ne plus recevoir les questionnaires de satisfaction de {company} à cette adresse ?',
    button: 'Ne plus recevoir ces questionnaires',
    done: 'Vous ne recevrez plus de questionnaires',
    doneBody: '{company} ne vous enverra plus de questionnaires de satisfaction à cette adresse. Vos réponses déjà données restent telles quelles.',
    invalid: 'Ce lien de désabonnement n’est pas valide. Rouvrez-le depuis l’e-mail.',
  },
  ar: {
    title: 'إيقاف رسائل الاستبيان',
    ask: 'هل تريد إيقاف تلقي استبيانات الرضا من {company} على هذا العنوان؟',
    button: 'إيقاف هذه الاستبيانات',
    done: 'لن تتلقى المزيد من الاستبيانات',
    doneBody: 'لن ترسل {company} المزيد من استبيانات الرضا إلى هذا العنوان. تبقى إجاباتك السابقة كما هي.',
    invalid: 'رابط إلغاء الاشتراك هذا غير صالح. حاول فتحه مرة أخرى من البريد الإلكتروني.',
  },
};

export type UnsubscribeView = { kind: 'ask' | 'done'; company: string } | { kind: 'invalid' };

export function renderUnsubscribePage(locale: Locale, view: UnsubscribeView): string {
  const t = WORDS[locale];
  const fillCompany = (text: string) => (view.kind === 'invalid' ? text : text.replace('{company}', view.company));
  const body =
    view.kind === 'ask'
      ? html`<h1>${t.title}</h1>
<p>${fillCompany(t.ask)}</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${t.button}</button></form>`
      : view.kind === 'done'
        ? html`<h1>${t.done}</h1>
<p>${fillCompany(t.doneBody)}</p>`
        : html`<h1>${t.title}</h1>
<p>${t.invalid}</p>`;
  const company = view.kind === 'invalid' ? '' : html`<p class="company">${view.company}</p>`;
  return pageLayout(locale, view.kind === 'done' ? t.done : t.title, html`${company}
${body}`);
}
