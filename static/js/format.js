// Numbers, dates and text as Vietnamese people write them, in both languages:
// '1.500.000 ₫', '25/11/2026', '09:42'; and folding for search without diacritics.

const ZONE = 'Asia/Ho_Chi_Minh';
const dateFmt = new Intl.DateTimeFormat('en-GB',
  { timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFmt = new Intl.DateTimeFormat('en-GB',
  { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export const formatNumber = (n) => (n === null || n === undefined || n === '' ? ''
  : String(Math.trunc(Number(n))).replace(/\B(?=(\d{3})+(?!\d))/g, '.'));
export const formatMoney = (n) => (n === null || n === undefined || n === '' ? '' : `${formatNumber(n)} ₫`);

/** 'YYYY-MM-DD' (a calendar date) or an ISO time / Date (shown in Vietnam's zone) -> '25/11/2026'. */
export function formatDate(value) {
  if (!value) return '';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-');
    return `${d}/${m}/${y}`;
  }
  return dateFmt.format(value instanceof Date ? value : new Date(value));
}

/** The same, day and month only: '25/11' (a task's title, "lượt thăm 20/11"). */
export const formatDayMonth = (value) => formatDate(value).slice(0, 5);

export const formatTime = (value) => (value ? timeFmt.format(value instanceof Date ? value : new Date(value)) : '');
export const formatDateTime = (value) => (value ? `${formatDate(value)} ${formatTime(value)}` : '');

/**
 * A phone number as people read it, whatever way it was typed or stored: '+84 912 345 678',
 * '0912345678' -> '0912 345 678' (mobile 4-3-3), '02431234567' -> '0243 123 4567' (landline).
 * Text that is not a Vietnamese number is shown as it is.
 */
export function formatPhone(raw) {
  let d = String(raw || '').replace(/[ .\-()]/g, '');
  if (d.startsWith('+84')) d = `0${d.slice(3)}`;
  else if (d.startsWith('84') && (d.length === 11 || d.length === 12)) d = `0${d.slice(2)}`;
  if (/^0[35789]\d{8}$/.test(d)) return `${d.slice(0, 4)} ${d.slice(4, 7)} ${d.slice(7)}`;
  if (/^02\d{9}$/.test(d)) return `${d.slice(0, 4)} ${d.slice(4, 7)} ${d.slice(7)}`;
  return String(raw || '');
}

/** The digits to dial for a phone number ('tel:' links). */
export const phoneDigits = (raw) => formatPhone(raw).replace(/ /g, '');

/** 'YYYY-MM' -> '11/2026'. */
export const formatMonth = (m) => (m ? `${m.slice(5, 7)}/${m.slice(0, 4)}` : '');

/** 0.2200 as basis points 2200 -> '22%'; 4.5% stays '4,5%'. */
export const formatBp = (bp) => `${String(bp / 100).replace('.', ',')}%`;

const pad = (n) => String(n).padStart(2, '0');

/** The device's local calendar date as 'YYYY-MM-DD' (what "today" means to the collector). */
export function localDate(d = new Date()) {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export const localMonth = (d = new Date()) => localDate(d).slice(0, 7);

/** Local time with its offset, e.g. '2026-11-25T09:30:00+07:00' (the protocol's time shape). */
export function isoWithOffset(d = new Date()) {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return `${localDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
    + `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A datetime-local input value ('2026-11-25T09:30') -> ISO with the device's offset. */
export function localInputToIso(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : isoWithOffset(d);
}

/** ISO time -> datetime-local value in the device's zone. */
export function isoToLocalInput(iso) {
  const d = iso ? new Date(iso) : new Date();
  if (Number.isNaN(d.getTime())) return '';
  return `${localDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Add `months` to 'YYYY-MM'. */
export function addMonths(month, months) {
  const [y, m] = month.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  return `${Math.floor(total / 12)}-${pad((total % 12) + 1)}`;
}

/** Lower case, no diacritics, đ -> d, single spaces: "Nguyễn Văn Đức" -> "nguyen van duc". */
export function fold(text) {
  return (text || '').replace(/[đĐ]/g, 'd').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase().replace(/\s+/g, ' ').trim();
}
