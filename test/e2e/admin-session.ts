// /admin in Chromium as an operator opens it: under the page's own Content Security Policy, signed in
// with an admin key, with every CSP violation and page error collected for the test to assert on.
import type { Browser, Page } from 'playwright-core';

export interface Seen {
  violations: string[];
  errors: string[];
}

export async function openAdmin(browser: Browser, baseUrl: string, site: string, key: string, seen: Seen): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.exposeFunction('__cspViolation', (v: string) => seen.violations.push(v));
  await page.addInitScript(() => {
    window.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`), true);
  });
  page.on('pageerror', (e) => seen.errors.push(`${e.name}: ${e.message}`));
  await page.goto(`${baseUrl}/admin?site=${encodeURIComponent(site)}`);
  await page.locator('csat-admin #login-key').fill(key);
  await page.locator('csat-admin').getByRole('button', { name: 'Open the inbox' }).click();
  return page;
}
