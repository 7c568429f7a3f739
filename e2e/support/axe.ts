import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.1 success criteria at levels A and AA, as axe-core tags them. */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface Violation {
  rule: string;
  impact: string | null;
  help: string;
  /** a CSS selector and the failure summary of each element that fails the rule */
  nodes: string[];
}

/**
 * Audits the page as it is now with axe-core against WCAG 2.1 A and AA (labels, names, contrast,
 * landmarks, ARIA use…) and returns what fails. `exclude` leaves out regions drawn by third-party
 * code that Baton does not render itself (the map's tiles and attribution).
 */
export async function accessibilityViolations(page: Page, opts: { exclude?: string[] } = {}): Promise<Violation[]> {
  // evaluated through the browser's debugging protocol: the page's Content-Security-Policy forbids inline scripts
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async ({ tags, exclude }) => {
      const axe = (window as unknown as { axe: any }).axe;
      const result = await axe.run({ exclude: exclude.map((s: string) => [s]) }, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v: any) => ({
        rule: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n: any) => `${n.target.join(' ')} — ${String(n.failureSummary ?? '').replace(/\s+/g, ' ')}`),
      }));
    },
    { tags: WCAG_AA, exclude: opts.exclude ?? [] },
  );
}
