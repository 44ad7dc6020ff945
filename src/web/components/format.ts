import dayjs from 'dayjs';

/** A server time stamp as local date and time, or a dash. */
export function formatTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '-';
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
