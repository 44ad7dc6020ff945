import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

let displayZone: string | undefined;

/** The signed-in user's time zone (their profile setting): date-times show in it; unset, in the browser's. */
export function setDisplayTimeZone(zone: string | undefined): void {
  displayZone = zone;
}

/** A server time stamp as date and time in the user's time zone, or a dash. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  return (displayZone ? dayjs(iso).tz(displayZone) : dayjs(iso)).format('YYYY-MM-DD HH:mm');
}

/** Money as the server keeps it (a decimal string), grouped for reading: ¥1,234,567.89. */
export function formatMoney(value: string | null): string {
  if (!value) return '-';
  const [int, dec] = value.split('.');
  const grouped = (int ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `¥${grouped}${dec ? `.${dec.padEnd(2, '0')}` : ''}`;
}

/** The start and the end of the picked days, as ISO time stamps for the list filters. */
export function dayRange(range: [dayjs.Dayjs | null, dayjs.Dayjs | null] | null | undefined): { from?: string; to?: string } {
  return {
    from: range?.[0]?.startOf('day').toISOString(),
    to: range?.[1]?.endOf('day').toISOString(),
  };
}
