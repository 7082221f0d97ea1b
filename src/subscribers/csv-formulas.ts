/**
 * Spreadsheets evaluate a cell that starts with = + - @ (or a tab or CR): a name such as
 * `=HYPERLINK("http://x")` typed into the web form would run in whoever opens the export. An
 * exported cell that starts with one of those, or with the quote itself, gets a leading `'`
 * (which spreadsheets show as text); an import takes exactly that quote off again, so an export
 * imports back unchanged. Hand-written rather than csv-stringify's `escape_formulas`: that one
 * leaves a cell already starting with `'` alone, so `'=x` would come back as `=x`.
 */
const evaluated = /^[=+\-@\t\r']/;

export const neutralizeFormula = (cell: string): string => (evaluated.test(cell) ? `'${cell}` : cell);

export const restoreFormula = (cell: string): string => (cell.startsWith("'") && evaluated.test(cell.slice(1)) ? cell.slice(1) : cell);
