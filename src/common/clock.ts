/**
 * The service's calendar: the bureau's time zone (TIME_ZONE, set once at boot from the config) and
 * today's date in it. Tests pin the instant so that a suite running across midnight sees one date.
 */
let timeZone = 'Asia/Shanghai';
let now: () => Date = () => new Date();

export function setTimeZone(zone: string): void {
  timeZone = zone;
}

export function currentTimeZone(): string {
  return timeZone;
}

/** Fixes the instant `today()` reads (null: the real clock again). */
export function setClock(instant: Date | null): void {
  now = instant ? () => new Date(instant.getTime()) : () => new Date();
}

/** Today's date (YYYY-MM-DD) in the bureau's time zone. */
export function today(): string {
  return now().toLocaleDateString('sv-SE', { timeZone });
}
