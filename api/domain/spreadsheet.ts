// Spreadsheet apps run a cell that starts with = + - @ (or a tab/CR that hides one) as a formula:
// `=HYPERLINK("http://x")` in a comment must open as text. Prefixing a quote is the OWASP advice.
export function neutralizeFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
