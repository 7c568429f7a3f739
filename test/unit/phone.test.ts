import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/server/lib/errors.ts';
import { normalizePhone } from '../../src/server/modules/organization/organization.ts';

describe('phone numbers', () => {
  it('normalizes to E.164 in the organization’s country, the same every time a number comes again', () => {
    for (let i = 0; i < 3; i++) {
      expect(normalizePhone('(415) 555-0123', 'US')).toBe('+14155550123');
      expect(normalizePhone('+14155550123', 'GB')).toBe('+14155550123');
      expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
    }
  });

  it('the same national text means another number, or none, in another country; an invalid one is refused every time', () => {
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(() => normalizePhone('020 7946 0958', 'US')).toThrow(AppError);
    for (let i = 0; i < 2; i++) {
      let err: unknown;
      try {
        normalizePhone('12', 'US', 'pickupTask.recipient.phone');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).message).toContain('"12" is not a valid phone number for US');
    }
  });
});
