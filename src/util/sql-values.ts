/**
 * Pure conversions between JavaScript values and the text forms databases use for decimals, timestamps,
 * JSON and binary data. The dialects' value adapters are tables of these; nothing here knows a dialect.
 */

/** A value conversion; it is never called with `null` or `undefined`. */
export type Processor = (value: unknown) => unknown;

/** A decimal as an exact string (`12.5` -> `'12.5'`), the form every driver accepts for NUMERIC. */
export function toDecimalString(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'bigint' ? String(value) : value;
}

/**
 * Writes a decimal with exactly `scale` digits after the point, padding with zeros or rounding half
 * away from zero; a string that is not a plain decimal (`NaN`, `Infinity`) comes back unchanged.
 *
 * @example
 * normaliseDecimal('12.5', 2);   // '12.50'
 * normaliseDecimal('-0.125', 2); // '-0.13'
 */
export function normaliseDecimal(text: string, scale: number | undefined): string {
  if (scale === undefined) return text;
  const dot = text.indexOf('.');
  if (dot !== -1 && text.length - dot - 1 === scale) return text;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m) return text;
  const sign = m[1] === '-' ? '-' : '';
  const int = m[2] || '0';
  const frac = m[3] ?? '';
  if (frac.length <= scale) {
    return `${sign}${int}${scale > 0 ? `.${frac.padEnd(scale, '0')}` : ''}`;
  }
  const roundUp = frac.charCodeAt(scale) >= 53; /* '5' */
  const digits = (BigInt(int + frac.slice(0, scale)) + (roundUp ? 1n : 0n)).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const result = scale > 0 ? `${whole}.${digits.slice(-scale)}` : whole;
  return sign && /[1-9]/.test(result) ? `-${result}` : result;
}

/** The result processor of a NUMERIC with this scale: strings, floats and bigints become exact strings. */
export function decimalResult(scale: number | undefined): Processor {
  return (value) => {
    if (typeof value === 'string') return normaliseDecimal(value, scale);
    if (typeof value === 'number') {
      if (scale === undefined || !Number.isFinite(value) || Math.abs(value) >= 1e21) return String(value);
      return value.toFixed(scale);
    }
    return normaliseDecimal(String(value), scale);
  };
}

const DATETIME_TEXT =
  /^(-?\d{4,})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)? ?(Z|[+-]\d\d(?::?\d\d(?::?\d\d)?)?)?$/i;

/**
 * Reads a timestamp written as `YYYY-MM-DD[ HH:MM[:SS[.fff]]][Z|±HH[:MM]]`. Without an offset the wall
 * clock is taken as UTC, which is how tsmig stores timestamps without a time zone. Numbers are epoch
 * milliseconds (what knex writes into SQLite).
 */
export function parseDateTime(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  const text = String(value);
  const fast = parseUtcWallClock(text);
  if (fast !== null) return new Date(fast);
  const m = DATETIME_TEXT.exec(text);
  if (!m) return new Date(text);
  const year = Number(m[1]);
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let time = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
  // Date.UTC maps years 0-99 to 1900-1999.
  if (year >= 0 && year < 100) time = new Date(time).setUTCFullYear(year);
  const offset = m[8];
  if (offset && offset !== 'Z' && offset !== 'z') {
    const sign = offset[0] === '-' ? -1 : 1;
    const digits = offset.slice(1).replace(/:/g, '');
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0) + Number(digits.slice(4, 6) || 0) / 60;
    time -= sign * minutes * 60_000;
  }
  return new Date(time);
}

const ZERO = 48;

/** Reads `n` ASCII digits at `at`, or -1 when one is not a digit. */
function digits(text: string, at: number, n: number): number {
  let value = 0;
  for (let i = at; i < at + n; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * The common case of timestamp text, `YYYY-MM-DD HH:MM:SS[.fraction]` with no zone (how SQLite, MySQL
 * and PostgreSQL's UTC sessions return it), read from character codes: the regex path costs about
 * a third of reading a timestamp column. Anything else returns null and takes the general path.
 */
function parseUtcWallClock(text: string): number | null {
  const length = text.length;
  if (length < 19 || (length > 19 && text.charCodeAt(19) !== 46 /* . */)) return null;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return null;
  const separator = text.charCodeAt(10);
  if (separator !== 32 && separator !== 84 /* T */) return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  let ms = 0;
  if (length > 20) {
    const fraction = length - 20;
    const taken = Math.min(fraction, 3);
    const read = digits(text, 20, taken);
    if (read < 0 || digits(text, 20, fraction) < 0) return null;
    ms = taken === 3 ? read : taken === 2 ? read * 10 : read * 100;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** `00` to `99`: padding by table lookup, not by `padStart` calls. */
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const DAY_MS = 86_400_000;
/** The years with four digits, which `toISOString()` writes without a sign: the fast path's range. */
const FOUR_DIGIT_YEARS_START = Date.UTC(1000, 0, 1);
const FOUR_DIGIT_YEARS_END = Date.UTC(10000, 0, 1);

/**
 * The last calendar day formatted. Rows of a bulk INSERT mostly share their day with the row before,
 * so the date half of the text is usually reused as is.
 */
let lastDay = Number.NaN;
let lastDayText = '';

/** `YYYY-MM-DD` of a day counted from 1970-01-01 (the proleptic Gregorian calendar, as `Date` counts). */
function dayText(day: number): string {
  if (day === lastDay) return lastDayText;
  // Days to year, month and day in integer arithmetic over 400-year eras that start on March 1st.
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  lastDay = day;
  lastDayText = `${year}-${PAD2[month]}-${PAD2[dayOfMonth]}`;
  return lastDayText;
}

/** Character codes of the text of `utcText` (`ZERO` above is the digit's). */
const SPACE = 32;
const LETTER_T = 84;
const LETTER_Z = 90;
const COLON = 58;
const DOT = 46;

/**
 * A `Date` as `YYYY-MM-DD<separator>HH:MM:SS.fff` (and a `Z` with `zone`), computed from its time value:
 * `toISOString()` and slicing its text were a tenth of a 10,000-object flush. The text is made by one
 * `String.fromCharCode()`, one flat string: joining its dozen parts made a chain of intermediate strings
 * (~260 bytes per date, 2.6 MB of a 10,000-object flush's ~15 MB of garbage), which the driver then
 * flattened once more. Null for years outside 1000-9999 and invalid dates, which the callers leave to
 * `toISOString()` (it writes the former as before, throws for the latter).
 */
function utcText(value: Date, separator: number, zone: boolean): string | null {
  const time = value.getTime();
  if (!(time >= FOUR_DIGIT_YEARS_START && time < FOUR_DIGIT_YEARS_END)) return null;
  const day = Math.floor(time / DAY_MS);
  let ms = time - day * DAY_MS;
  const hours = Math.floor(ms / 3_600_000);
  ms -= hours * 3_600_000;
  const minutes = Math.floor(ms / 60_000);
  ms -= minutes * 60_000;
  const seconds = Math.floor(ms / 1000);
  ms -= seconds * 1000;
  const d = dayText(day);
  const h = Math.floor(hours / 10);
  const mi = Math.floor(minutes / 10);
  const s = Math.floor(seconds / 10);
  const ms100 = Math.floor(ms / 100);
  const ms10 = Math.floor(ms / 10) - ms100 * 10;
  const ms1 = ms - Math.floor(ms / 10) * 10;
  // Every argument spelled out: spreading an array of the codes would allocate the array per date.
  return zone
    ? String.fromCharCode(
        d.charCodeAt(0), d.charCodeAt(1), d.charCodeAt(2), d.charCodeAt(3), d.charCodeAt(4),
        d.charCodeAt(5), d.charCodeAt(6), d.charCodeAt(7), d.charCodeAt(8), d.charCodeAt(9), separator,
        ZERO + h, ZERO + hours - h * 10, COLON, ZERO + mi, ZERO + minutes - mi * 10, COLON,
        ZERO + s, ZERO + seconds - s * 10, DOT, ZERO + ms100, ZERO + ms10, ZERO + ms1, LETTER_Z,
      )
    : String.fromCharCode(
        d.charCodeAt(0), d.charCodeAt(1), d.charCodeAt(2), d.charCodeAt(3), d.charCodeAt(4),
        d.charCodeAt(5), d.charCodeAt(6), d.charCodeAt(7), d.charCodeAt(8), d.charCodeAt(9), separator,
        ZERO + h, ZERO + hours - h * 10, COLON, ZERO + mi, ZERO + minutes - mi * 10, COLON,
        ZERO + s, ZERO + seconds - s * 10, DOT, ZERO + ms100, ZERO + ms10, ZERO + ms1,
      );
}

/** A `Date` as UTC wall-clock text, `YYYY-MM-DD HH:MM:SS.fff` (MySQL DATETIME and SQLite TEXT). */
export function formatUtcDateTime(value: unknown): unknown {
  if (!(value instanceof Date)) return value;
  const fast = utcText(value, SPACE, false);
  if (fast !== null) return fast;
  const iso = value.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** A `Date` as ISO 8601 with `Z`; PostgreSQL stores it as an instant, or as the UTC wall clock without a zone. */
export function formatIsoDateTime(value: unknown): unknown {
  if (!(value instanceof Date)) return value;
  return utcText(value, LETTER_T, true) ?? value.toISOString();
}

/** A `Date` given for a DATE column becomes its UTC calendar day; strings pass through. */
export function formatDate(value: unknown): unknown {
  return value instanceof Date ? value.toISOString().slice(0, 10) : value;
}

export function toJsonText(value: unknown): unknown {
  return JSON.stringify(value);
}

/** Parses JSON that arrives as text (or bytes); values a driver already parsed pass through. */
export function parseJsonText(value: unknown): unknown {
  if (typeof value === 'string') return JSON.parse(value);
  if (Buffer.isBuffer(value)) return JSON.parse(value.toString('utf8'));
  return value;
}

/** Drivers want `Buffer`; a plain `Uint8Array` is wrapped without copying. */
export function toBuffer(value: unknown): unknown {
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return value;
}

/** Booleans as 1/0 for databases without a boolean type. */
export function booleanToInt(value: unknown): unknown {
  return value ? 1 : 0;
}

export function intToBoolean(value: unknown): unknown {
  return typeof value === 'boolean' ? value : Number(value) !== 0;
}

/** Integers that a driver returns as strings (64-bit counts and sums) become numbers. */
export function toNumber(value: unknown): unknown {
  return typeof value === 'number' ? value : Number(value);
}

export function toBigInt(value: unknown): unknown {
  return typeof value === 'bigint' ? value : BigInt(value as string | number);
}

export function toLowerCase(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/** `13:45:00.500000` -> `13:45:00.5`, `13:45:00.000000` -> `13:45:00`. */
export function trimTimeFraction(value: unknown): unknown {
  return typeof value === 'string' && value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}

/**
 * Refuses NaN and ±Infinity for a numeric column: MariaDB would store 0, SQLite NULL (then report a
 * misleading NOT NULL failure), and `Number('abc')` is a common way to get one by mistake.
 */
export function requireFinite(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`${value} is not a finite number; numeric columns take finite numbers only (check for a failed Number() conversion)`);
  }
  return value;
}

/** Wraps a processor as a rule that ignores the type's parameters. */
export function always(processor: Processor): () => Processor {
  return () => processor;
}
