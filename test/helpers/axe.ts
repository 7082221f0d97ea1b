import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// axe-core's engine as a script to put into the page (its package ships it as one file).
const axeSource: string = createRequire(import.meta.url)('axe-core').source;

export interface AxeViolation {
  id: string;
  impact: string;
  nodes: string[];
}

/**
 * The serious and critical accessibility violations axe finds on the page as it is. axe runs as
 * a script: the page's context must set the CSP aside (`bypassCSP`), which our pages never do.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const result = await (
      globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }
    ).axe.run();
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.map((node) => node.target.join(' ')) }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}
