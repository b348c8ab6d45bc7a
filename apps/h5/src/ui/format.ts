// Dates are shown in the phone's own time zone, in the same digits in both languages:
// "2026-11-24" and "11-24 08:05" read the same to a Chinese and an English reader.

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2026-11-24` of a Date (local day), the format the API takes for calendar days. */
export function dayOf(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `2026-11` of a Date (local month). */
export function monthOf(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}`;
}

/** `2026-11-24` of an ISO timestamp. */
export function formatDay(iso: string): string {
  return dayOf(new Date(iso));
}

/** `2026-11-24 08:05`, or `11-24 08:05` within the current year. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  const day = dayOf(date);
  return date.getFullYear() === new Date().getFullYear() ? `${day.slice(5)} ${time}` : `${day} ${time}`;
}

/** `+10` / `-5`: the sign is always written, so a gain never reads like a loss. */
export function signed(amount: number): string {
  return amount > 0 ? `+${amount}` : String(amount);
}
