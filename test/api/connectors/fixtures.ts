// Reads the payload fixtures under test/fixtures/connectors/ (each names the documentation it follows).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/connectors');

export interface Fixture {
  follows: string;
  notes?: string;
  expect?: {
    kind: 'close' | 'reopen';
    ticketRef: string;
    team?: string;
    technician?: string;
    contact?: { email?: string; name?: string };
    company?: string;
    locale?: string;
  };
  body: unknown;
}

export function fixture(name: string): Fixture {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, `${name}.json`), 'utf8')) as Fixture;
}

export function fixtureNames(): string[] {
  return fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/** Settings each provider's fixtures assume (the Autotask id -> name tables; the generic mapping). */
export const FIXTURE_SETTINGS: Record<string, Record<string, unknown>> = {
  autotask: { queues: { '29683378': 'Service Desk' }, resources: { '29682885': 'Dana Lee' } },
  generic: {
    paths: {
      ticketId: 'ticket.number',
      status: 'ticket.state',
      team: 'ticket.queue',
      technician: 'ticket.agent.display',
      contactEmail: 'ticket.requester.mail',
      contactName: 'ticket.requester.fullName',
      company: 'ticket.org',
      language: 'ticket.lang',
    },
  },
};

/** The Autotask contact the Contacts API stand-in returns for the fixture's contactID. */
export const AUTOTASK_CONTACT = { id: 30684123, emailAddress: 'jo.bloggs@example.co.uk', firstName: 'Jo', lastName: 'Bloggs' };
