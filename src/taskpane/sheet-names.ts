/** Excel compares sheet names case-insensitively. */
const same = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: "accent" }) === 0;

/** `base`, or `base (2)`, `base (3)`, ... : the first name no existing sheet has (31 characters at most). */
export function uniqueSheetName(base: string, existing: readonly string[]): string {
  const clean = base.replace(/[\\/?*[\]:]/g, " ").slice(0, 31);
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? "" : ` (${n})`;
    const name = clean.slice(0, 31 - suffix.length) + suffix;
    if (!existing.some((e) => same(e, name))) return name;
  }
}
