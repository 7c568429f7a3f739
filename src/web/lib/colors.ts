/**
 * Colours made safe to read (WCAG AA, 4.5:1): the merchant's accent on the tracking page (text on it is
 * white or dark, whichever reads; the accent used on white is darkened until it does), and the theme's
 * variant text colours (app/theme.ts).
 */

export const DEFAULT_ACCENT = '#3b5bdb';

const WHITE = '#ffffff';
const DARK = '#1a1b1e';
const BLACK = '#000000';

/** '#rgb' or '#rrggbb' (any case) as '#rrggbb'; null when it is not a hex colour. */
export function normalizeHex(value: string | null | undefined): string | null {
  const v = (value ?? '').trim().toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(v)) return v;
  if (/^#[0-9a-f]{3}$/.test(v)) return `#${v[1]}${v[1]}${v[2]}${v[2]}${v[3]}${v[3]}`;
  return null;
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const toHex = (c: [number, number, number]) => `#${c.map((x) => Math.round(x).toString(16).padStart(2, '0')).join('')}`;

/** WCAG relative luminance, 0 (black) to 1 (white). */
export function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The text colour for the given background: white when it reads at 4.5:1, else near-black, else black. */
export function textOn(background: string): string {
  for (const c of [WHITE, DARK]) if (contrastRatio(background, c) >= 4.5) return c;
  return contrastRatio(background, WHITE) > contrastRatio(background, BLACK) ? WHITE : BLACK;
}

/** The colour itself when it reads on `background` at `min`:1, else the colour darkened until it does. */
export function readableOn(color: string, background: string, min = 4.5): string {
  let c = rgb(color);
  for (let i = 0; i < 40 && contrastRatio(toHex(c), background) < min; i++) c = [c[0] * 0.92, c[1] * 0.92, c[2] * 0.92];
  return toHex(c);
}

export const readableOnWhite = (color: string, min = 4.5): string => readableOn(color, WHITE, min);

/** `over` laid on `base` at `share` opacity (0–1), as one opaque colour. */
export function blend(base: string, over: string, share: number): string {
  const [a, b] = [rgb(base), rgb(over)];
  return toHex([0, 1, 2].map((i) => a[i] * (1 - share) + b[i] * share) as [number, number, number]);
}

export interface Accent {
  /** the merchant's colour, as a background */
  color: string;
  /** text and icons on `color` */
  on: string;
  /** the colour as text, lines and icons on white */
  onWhite: string;
}

export function accentOf(primaryColor: string | null | undefined): Accent {
  const color = normalizeHex(primaryColor) ?? DEFAULT_ACCENT;
  return { color, on: textOn(color), onWhite: readableOnWhite(color) };
}
