/**
 * Names of new revision files and their "Create Date": Alembic's `file_template` tokens, the slug made
 * from the message, and dates in the configured time zone.
 */
import { TsmigError } from '../../errors.js';

/** The default `fileTemplate`, as Alembic's. */
export const DEFAULT_FILE_TEMPLATE = '%(rev)s_%(slug)s';
/** The default `truncateSlugLength`, as Alembic's. */
export const DEFAULT_TRUNCATE_SLUG_LENGTH = 40;

/** The calendar fields of an instant in one time zone. */
export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  /** Minutes east of UTC. */
  readonly offsetMinutes: number;
}

/**
 * The calendar fields of `date` in `timezone` (an IANA name such as `Europe/Paris` or `UTC`), or in
 * the local zone when it is undefined. An unknown zone is an error naming it.
 */
export function dateParts(date: Date, timezone?: string): DateParts {
  if (timezone === undefined) {
    return {
      year: date.getFullYear(),
      month: date.getMonth() + 1,
      day: date.getDate(),
      hour: date.getHours(),
      minute: date.getMinutes(),
      second: date.getSeconds(),
      millisecond: date.getMilliseconds(),
      offsetMinutes: -date.getTimezoneOffset(),
    };
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new TsmigError(`Unknown time zone '${timezone}' (config \`timezone\`): use an IANA name such as 'UTC' or 'Europe/Paris'.`);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(date)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const fields = {
    year: parts['year']!,
    month: parts['month']!,
    day: parts['day']!,
    hour: parts['hour']!,
    minute: parts['minute']!,
    second: parts['second']!,
  };
  const asUtc = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
  const offsetMinutes = Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60000);
  return { ...fields, millisecond: date.getMilliseconds(), offsetMinutes };
}

/**
 * The "Create Date" of a revision header, as Python prints a datetime: `2024-05-01 12:30:05.123000`,
 * with the UTC offset appended when a time zone is configured (`... +02:00`).
 */
export function formatCreateDate(date: Date, timezone?: string): string {
  const p = dateParts(date, timezone);
  const two = (n: number) => String(n).padStart(2, '0');
  const text =
    `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)} ` +
    `${two(p.hour)}:${two(p.minute)}:${two(p.second)}.${String(p.millisecond * 1000).padStart(6, '0')}`;
  if (timezone === undefined) return text;
  const sign = p.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(p.offsetMinutes);
  return `${text}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/**
 * The slug of a message, as Alembic makes it: its words (letters, digits, `_`) lower-cased and joined by
 * `_`; longer than `maxLength`, it is cut at the last word boundary within the limit and ends in `_`.
 *
 * @example
 * ```ts
 * slugify('Add a "directors" table!', 40); // 'add_a_directors_table'
 * slugify('add a very long message here', 12); // 'add_a_very_'
 * ```
 */
export function slugify(message: string, maxLength: number = DEFAULT_TRUNCATE_SLUG_LENGTH): string {
  const slug = (message.match(/[\p{L}\p{N}_]+/gu) ?? []).join('_').toLowerCase();
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength);
  const boundary = cut.lastIndexOf('_');
  return `${boundary === -1 ? cut : cut.slice(0, boundary)}_`;
}

/** What a file name template can refer to. */
export interface FileNameFields {
  readonly rev: string;
  readonly message: string;
  readonly createDate: Date;
  readonly timezone?: string | undefined;
  readonly truncateSlugLength?: number | undefined;
}

/**
 * The file name (with `.ts`) of a new revision from a `fileTemplate` with Alembic's tokens: `%(rev)s`,
 * `%(slug)s`, `%(epoch)s`, `%(year)d`, `%(month).2d`, `%(day).2d`, `%(hour).2d`, `%(minute).2d`,
 * `%(second).2d`; `%%` is a percent sign. Python's `%` flags, width and precision apply.
 *
 * @example
 * ```ts
 * revisionFileName('%(year)d_%(month).2d_%(day).2d-%(rev)s_%(slug)s', { rev: 'ae1027a6acf0', message: 'add movies', createDate: new Date() });
 * // '2024_05_01-ae1027a6acf0_add_movies.ts'
 * ```
 */
export function revisionFileName(template: string, fields: FileNameFields): string {
  const parts = dateParts(fields.createDate, fields.timezone);
  const values: Record<string, string | number> = {
    rev: fields.rev,
    slug: slugify(fields.message, fields.truncateSlugLength ?? DEFAULT_TRUNCATE_SLUG_LENGTH),
    epoch: Math.floor(fields.createDate.getTime() / 1000),
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
  const name = percentFormat(template, values);
  if (name.includes('/') || name.includes('\\') || name.trim() === '') {
    throw new TsmigError(`The file template '${template}' gives the file name '${name}'; it must be a plain, non-empty name.`);
  }
  return `${name}.ts`;
}

const SPEC = /%(?:\(([^)]*)\))?([-#0 +]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])?/g;

/** Python's `template % {...}` for the `s` and `d` conversions. */
function percentFormat(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(SPEC, (whole, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, conversion: string | undefined) => {
    if (conversion === '%' && key === undefined) return '%';
    if (key === undefined || conversion === undefined) {
      throw new TsmigError(`Invalid token '${whole}' in the file template '${template}': write %(name)s or %(name)d.`);
    }
    if (!(key in values)) {
      throw new TsmigError(`Unknown token '%(${key})' in the file template '${template}': use ${Object.keys(values).join(', ')}.`);
    }
    const value = values[key]!;
    let text: string;
    if (conversion === 's') {
      text = String(value);
      if (precision !== undefined) text = text.slice(0, Number(precision));
    } else if (conversion === 'd' || conversion === 'i') {
      const n = Math.trunc(Number(value));
      if (!Number.isFinite(n)) throw new TsmigError(`Token '%(${key})d' in the file template '${template}' needs a number.`);
      text = String(Math.abs(n));
      if (precision !== undefined) text = text.padStart(Number(precision), '0');
      if (n < 0) text = `-${text}`;
      else if (flags.includes('+')) text = `+${text}`;
    } else {
      throw new TsmigError(`Unsupported conversion '%${conversion}' in the file template '${template}': use s or d.`);
    }
    const w = width === undefined ? 0 : Number(width);
    if (text.length < w) {
      if (flags.includes('-')) text = text.padEnd(w, ' ');
      else if (flags.includes('0') && conversion !== 's') text = text.startsWith('-') || text.startsWith('+') ? text[0] + text.slice(1).padStart(w - 1, '0') : text.padStart(w, '0');
      else text = text.padStart(w, ' ');
    }
    return text;
  });
}
