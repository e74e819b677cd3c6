/** Times as grantops writes them into files and messages: ISO 8601 in UTC, to the second. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The calendar day (UTC) of a time, `YYYY-MM-DD`: for branch names and notices. */
export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
