import { useCallback, useState } from 'react';
import { ApiError, errorMessage } from './api.ts';

export type FieldErrors<T> = Partial<Record<keyof T & string, string>>;

/** Values and per-field error messages of one form. */
export function useFormState<T extends object>(initial: T | (() => T)) {
  const [values, setValues] = useState<T>(initial);
  const [errors, setErrors] = useState<FieldErrors<T>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const setField = useCallback(<K extends keyof T & string>(key: K, value: T[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => (e[key] ? { ...e, [key]: undefined } : e));
  }, []);

  const reset = useCallback((next: T) => {
    setValues(next);
    setErrors({});
    setFormError(null);
  }, []);

  /** Puts the server's field problems next to the matching fields; anything else becomes the form error. */
  const showServerError = useCallback(
    (error: unknown) => {
      const { fields, general } = splitServerError(error, Object.keys(values));
      setErrors(fields as FieldErrors<T>);
      setFormError(general);
    },
    [values],
  );

  return { values, setValues, setField, errors, setErrors, formError, setFormError, reset, showServerError };
}

/**
 * Maps an ApiError's field problems onto the given form fields. A server field such as
 * "teams.0" or "vehicle.type" goes to the form field of that exact name, or else the
 * longest form field that prefixes it, or else the first form field inside it ("vehicle" → "vehicle.type").
 */
export function splitServerError(error: unknown, formFields: string[]): { fields: Record<string, string>; general: string | null } {
  const fields: Record<string, string> = {};
  const unmatched: string[] = [];
  if (error instanceof ApiError) {
    for (const { field, problem } of error.fieldProblems) {
      const target =
        formFields.find((f) => f === field) ??
        formFields.filter((f) => field.startsWith(`${f}.`)).sort((a, b) => b.length - a.length)[0] ??
        formFields.find((f) => f.startsWith(`${field}.`));
      if (target) fields[target] = fields[target] ? `${fields[target]}; ${problem}` : problem;
      else unmatched.push(problem);
    }
  }
  const matched = Object.keys(fields).length > 0;
  const general = !matched ? errorMessage(error) : unmatched.length ? unmatched.join('; ') : null;
  return { fields, general };
}

export const isBlank = (value: string) => value.trim() === '';

export const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());

export const MIN_PASSWORD_LENGTH = 10;
