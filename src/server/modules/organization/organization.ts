import { parsePhoneNumberFromString, type CountryCode, isSupportedCountry } from 'libphonenumber-js';
import { AppError, invalid } from '../../lib/errors.ts';
import type { OrganizationRow } from './organization.repository.ts';

export interface Organization {
  id: string;
  name: string;
  email: string;
  country: string;
  timezone: string;
  image: string | null;
  kind: 'courier' | 'client';
  timeCreated: number;
  timeLastModified: number;
}

export function toOrganization(row: OrganizationRow, publicUrl: string): Organization {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    country: row.country,
    timezone: row.timezone,
    image: row.image ? `${publicUrl}/files/${row.image}` : null,
    kind: row.kind,
    timeCreated: row.time_created,
    timeLastModified: row.time_last_modified,
  };
}

export function checkCountry(country: string): string {
  const c = country.toUpperCase();
  if (!isSupportedCountry(c)) throw invalid(`"${country}" is not an ISO 3166 country code (e.g. US, GB, FR).`, { field: 'country' });
  return c;
}

export function checkTimezone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    throw invalid(`"${tz}" is not an IANA time zone (e.g. America/New_York).`, { field: 'timezone' });
  }
}

/**
 * Numbers already normalized, by country and text as given: a client's pickup phone is the same on
 * every order, and parsing one takes ~15 µs (libphonenumber). Valid numbers only; emptied when full.
 */
const normalized = new Map<string, string>();
const NORMALIZED_MAX = 2_000;

/** Accepts E.164 or a national number in the organization's country; returns E.164. */
export function normalizePhone(phone: string, country: string, field = 'phone'): string {
  const key = `${country} ${phone}`;
  const known = normalized.get(key);
  if (known !== undefined) return known;
  const parsed = parsePhoneNumberFromString(phone, country as CountryCode);
  if (!parsed || !parsed.isValid()) {
    throw new AppError('phone', `"${phone}" is not a valid phone number for ${country} (use E.164, e.g. +14155550123).`, {
      field,
    });
  }
  if (normalized.size >= NORMALIZED_MAX) normalized.clear();
  normalized.set(key, parsed.number);
  return parsed.number;
}
