/** YYYY-MM-DD for an ISO date/time; locale-neutral. */
export function isoDay(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 10);
}
