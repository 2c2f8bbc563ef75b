// Small pure helpers the provider modules share: reading untrusted JSON, comparing secrets, HMACs.
import { createHmac, timingSafeEqual, createHash } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Value at a dot path ("ticket.group.name", "items.0.id"), or undefined. Never walks prototypes. */
export function at(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const part of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(part)) current = current[Number(part)];
    else if (isObject(current) && Object.hasOwn(current, part)) current = current[part];
    else return undefined;
  }
  return current;
}

/** A trimmed, length-capped label from a string or number; undefined for anything else or blank. */
export function text(value: unknown, max = 200): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  // Tools leave unknown placeholders as written ("{{ticket.group.name}}") or send "null".
  const t = value.trim();
  if (t === '' || t === 'null' || /^\{\{.*\}\}$/.test(t)) return undefined;
  return t.slice(0, max);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function email(value: unknown): string | undefined {
  const t = text(value, 254);
  return t && EMAIL.test(t) ? t : undefined;
}

/** A ticket id usable in a REST path: digits, letters, dash, underscore, dot. */
export function ticketId(value: unknown): string | undefined {
  const t = text(value, 64);
  return t && /^[A-Za-z0-9._-]+$/.test(t) ? t : undefined;
}

export function timestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Constant-time comparison of two strings (unequal lengths compare a hash, so timing says nothing). */
export function sameSecret(presented: string | undefined, expected: string): boolean {
  if (presented === undefined || expected === '') return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function hmac(algorithm: 'sha1' | 'sha256', key: string, data: string): Buffer {
  return createHmac(algorithm, key).update(data, 'utf8').digest();
}

/** Compares a presented base64 MAC with the expected bytes in constant time. */
export function sameMac(presentedBase64: string | undefined, expected: Buffer): boolean {
  if (!presentedBase64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(presentedBase64)) return false;
  const presented = Buffer.from(presentedBase64, 'base64');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/** `Authorization: Basic` user and password, or null. */
export function basicAuth(header: string | undefined): { user: string; password: string } | null {
  const m = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

/** An https (or, for tests and on-premises tools, http) base URL without a trailing slash. */
export const baseUrl = (url: string) => url.replace(/\/+$/, '');

/** Text for a field the tool renders as HTML: the respondent's comment must stay text. */
export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const SECRET_HEADER = 'X-Csat-Connector-Secret';
