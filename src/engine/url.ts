/**
 * Database URLs: parsing `dialect[+driver]://user:password@host:port/database?options` into a
 * `DatabaseUrl`, and rendering it back with the password hidden. Every URL tsmig prints goes through
 * `render()`, so a password never reaches a terminal or a log.
 */
import { inspect } from 'node:util';
import type { DialectName } from '../dialects/dialect.js';
import { UrlError } from '../errors.js';

/** The driver each dialect runs on by default; the `dialect+driver://` form may name it. */
const DRIVERS: Record<DialectName, string> = {
  sqlite: 'better-sqlite3',
  postgresql: 'pg',
  mysql: 'mysql2',
};

/**
 * Other drivers a dialect runs on: PostgreSQL in this process on PGlite, in memory (`postgresql+pglite://`)
 * or in a data folder (`postgresql+pglite:///relative/dir`, `postgresql+pglite:////absolute/dir`).
 */
const OTHER_DRIVERS: Record<DialectName, readonly string[]> = { sqlite: [], postgresql: ['pglite'], mysql: [] };

/** URL scheme names (before any `+driver`) and the dialect each selects. */
const SCHEMES: Record<string, { dialect: DialectName; mariadb: boolean }> = {
  sqlite: { dialect: 'sqlite', mariadb: false },
  postgresql: { dialect: 'postgresql', mariadb: false },
  postgres: { dialect: 'postgresql', mariadb: false },
  mysql: { dialect: 'mysql', mariadb: false },
  mariadb: { dialect: 'mysql', mariadb: true },
};

const DEFAULT_PORTS: Record<DialectName, number | null> = { sqlite: null, postgresql: 5432, mysql: 3306 };

const ACCEPTED_FORMS =
  'postgresql://user:pass@host:5432/db, mysql://user:pass@host:3306/db, mariadb://..., ' +
  'sqlite:///relative.db, sqlite:////absolute/path.db or sqlite:// (in memory)';

/** `host`, `[ipv6]`, either with `:port`, then the path and query. */
const HOST_PORT = /^(?:\[(?<ipv6>[^\]/?]+)\]|(?<host>[^/:?]*))?(?::(?<port>[^/?]*))?(?<rest>[/?].*)?$/s;

/** The parts of a database URL, as `parseDatabaseUrl` produces them. */
export interface DatabaseUrlParts {
  /** The scheme as written, e.g. `postgresql+pg`, `postgres`, `mariadb`. */
  readonly scheme: string;
  readonly dialect: DialectName;
  /** The Node driver: `pg`, `mysql2` or `better-sqlite3`. */
  readonly driver: string;
  /** True for `mariadb://` URLs (MySQL URLs are probed on first connect). */
  readonly mariadb: boolean;
  readonly username: string | null;
  readonly password: string | null;
  readonly host: string | null;
  readonly port: number | null;
  /** The database name, or the SQLite file path (`:memory:` for an in-memory database). */
  readonly database: string | null;
  /** Query-string options, decoded, in the order written. */
  readonly query: Readonly<Record<string, string>>;
}

/**
 * A parsed database URL. Printing it (`String(url)`, `console.log(url)`, `JSON.stringify`) hides the
 * password; only `render({ hidePassword: false })` shows it.
 *
 * @example
 * const url = parseDatabaseUrl('postgresql://app:s3cret@db:5432/shop');
 * String(url); // 'postgresql://app:***@db:5432/shop'
 */
export class DatabaseUrl implements DatabaseUrlParts {
  readonly scheme: string;
  readonly dialect: DialectName;
  readonly driver: string;
  readonly mariadb: boolean;
  readonly username: string | null;
  readonly host: string | null;
  readonly port: number | null;
  readonly database: string | null;
  readonly query: Readonly<Record<string, string>>;
  // Private so that neither `inspect` nor enumeration of the object reveals it.
  readonly #password: string | null;

  constructor(parts: DatabaseUrlParts) {
    this.scheme = parts.scheme;
    this.dialect = parts.dialect;
    this.driver = parts.driver;
    this.mariadb = parts.mariadb;
    this.username = parts.username;
    this.#password = parts.password;
    this.host = parts.host;
    this.port = parts.port;
    this.database = parts.database;
    this.query = Object.freeze({ ...parts.query });
  }

  /** The password, for handing to the driver; never print it. */
  get password(): string | null {
    return this.#password;
  }

  /**
   * True for `sqlite://`, `sqlite:///:memory:` and PGlite: a database only this process can reach (PGlite
   * opens its data folder for one process), so nothing needs locking.
   */
  get isMemory(): boolean {
    if (this.driver === 'pglite') return true;
    return this.dialect === 'sqlite' && (this.database === null || this.database === ':memory:');
  }

  /** The port written in the URL, or the dialect's default port. */
  get effectivePort(): number | null {
    return this.port ?? DEFAULT_PORTS[this.dialect];
  }

  /**
   * The URL as text. The password is shown as `***` unless `hidePassword` is false.
   *
   * @example
   * url.render();                         // 'mysql://root:***@127.0.0.1:3306/test'
   * url.render({ hidePassword: false });  // 'mysql://root:pw@127.0.0.1:3306/test'
   */
  render(options: { hidePassword?: boolean } = {}): string {
    const hide = options.hidePassword ?? true;
    const query = Object.entries(this.query)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
    const suffix = query ? `?${query}` : '';
    if (this.dialect === 'sqlite' || this.driver === 'pglite') {
      return this.database === null || this.database === ':memory:' && this.database === null ? `${this.scheme}://${suffix}` : `${this.scheme}:///${this.database}${suffix}`;
    }
    let auth = '';
    if (this.username !== null) {
      auth = encodeUserinfo(this.username);
      if (this.#password !== null) auth += `:${hide ? '***' : encodeUserinfo(this.#password)}`;
      auth += '@';
    }
    const host = this.host === null ? '' : this.host.includes(':') ? `[${this.host}]` : this.host;
    const port = this.port === null ? '' : `:${this.port}`;
    const db = this.database === null ? '' : `/${encodeURIComponent(this.database)}`;
    return `${this.scheme}://${auth}${host}${port}${db}${suffix}`;
  }

  /** A copy with some parts replaced (e.g. another database on the same server). */
  with(changes: Partial<DatabaseUrlParts>): DatabaseUrl {
    return new DatabaseUrl({ ...this.#parts(), ...changes });
  }

  toString(): string {
    return this.render();
  }

  toJSON(): string {
    return this.render();
  }

  [inspect.custom](): string {
    return `DatabaseUrl(${this.render()})`;
  }

  #parts(): DatabaseUrlParts {
    return {
      scheme: this.scheme,
      dialect: this.dialect,
      driver: this.driver,
      mariadb: this.mariadb,
      username: this.username,
      password: this.#password,
      host: this.host,
      port: this.port,
      database: this.database,
      query: this.query,
    };
  }
}

/**
 * Parses a database URL; a malformed URL or an unknown dialect or driver is a one-line `UrlError`
 * that names the URL (password hidden) and the accepted forms.
 *
 * @example
 * parseDatabaseUrl('sqlite:///app.db').database;            // 'app.db'
 * parseDatabaseUrl('sqlite:////var/data/app.db').database;  // '/var/data/app.db'
 * parseDatabaseUrl('postgres://u:p%40ss@h/db').password;    // 'p@ss'
 */
export function parseDatabaseUrl(url: string | DatabaseUrl): DatabaseUrl {
  if (url instanceof DatabaseUrl) return url;
  if (typeof url !== 'string') {
    throw new UrlError(`A database URL must be a string, got ${typeof url}; expected one of: ${ACCEPTED_FORMS}`);
  }
  const head = /^(?<scheme>[A-Za-z][A-Za-z0-9+.-]*):\/\/(?<rest>.*)$/s.exec(url.trim());
  if (!head?.groups) throw malformed(url, 'it does not start with dialect://');
  const scheme = head.groups.scheme!.toLowerCase();
  const rest = head.groups.rest!;
  const [name, driverName, ...extra] = scheme.split('+');
  const known = SCHEMES[name!];
  if (!known) {
    throw new UrlError(
      `Unknown database dialect "${name}" in URL "${maskUrl(url)}"; tsmig supports sqlite, postgresql (postgres), ` +
        `mysql and mariadb, e.g. ${ACCEPTED_FORMS}`,
    );
  }
  const driver = driverName !== undefined && OTHER_DRIVERS[known.dialect].includes(driverName) ? driverName : DRIVERS[known.dialect];
  if (extra.length > 0 || (driverName !== undefined && driverName !== driver)) {
    throw new UrlError(
      `Unknown driver "${scheme.slice(name!.length + 1)}" for ${known.dialect} in URL "${maskUrl(url)}"; ` +
        `tsmig runs ${known.dialect} on ${driver}: write ${name}:// or ${name}+${driver}://`,
    );
  }
  const base = { scheme, dialect: known.dialect, driver, mariadb: known.mariadb };
  return known.dialect === 'sqlite' || driver === 'pglite' ? parseLocal(url, rest, base) : parseNetwork(url, rest, base);
}

type UrlBase = Pick<DatabaseUrlParts, 'scheme' | 'dialect' | 'driver' | 'mariadb'>;

/**
 * A database in this process's files or memory (SQLite, PGlite): `sqlite://` and `sqlite:///:memory:` are
 * in memory; `sqlite:///x.db` is relative, `sqlite:////x.db` absolute.
 */
function parseLocal(url: string, rest: string, base: UrlBase): DatabaseUrl {
  const [pathPart, queryPart] = splitOnce(rest, '?');
  if (pathPart !== '' && !pathPart.startsWith('/')) {
    throw malformed(url, `a ${base.scheme} URL has no host: use three slashes (${base.scheme}:///file) or four for an absolute path`);
  }
  const path = decode(url, pathPart.slice(1));
  return new DatabaseUrl({
    ...base,
    username: null,
    password: null,
    host: null,
    port: null,
    database: path === '' ? null : path,
    query: parseQuery(url, queryPart),
  });
}

function parseNetwork(url: string, rest: string, base: UrlBase): DatabaseUrl {
  // Userinfo ends at the last '@' before the query string, so an unescaped '/', ':' or '@' in a
  // password still parses (SQLAlchemy is as lenient); the user name ends at the first ':'.
  const queryStart = rest.indexOf('?');
  const at = (queryStart === -1 ? rest : rest.slice(0, queryStart)).lastIndexOf('@');
  const userinfo = at === -1 ? null : rest.slice(0, at);
  const afterAuth = at === -1 ? rest : rest.slice(at + 1);
  let username: string | null = null;
  let password: string | null = null;
  if (userinfo !== null) {
    const colon = userinfo.indexOf(':');
    username = decode(url, colon === -1 ? userinfo : userinfo.slice(0, colon));
    password = colon === -1 ? null : decode(url, userinfo.slice(colon + 1));
  }
  const hp = HOST_PORT.exec(afterAuth);
  if (!hp?.groups) throw malformed(url, 'the host:port part is malformed');
  const host = hp.groups.ipv6 ?? (hp.groups.host ? decode(url, hp.groups.host) : null);
  let port: number | null = null;
  if (hp.groups.port !== undefined && hp.groups.port !== '') {
    if (!/^\d{1,5}$/.test(hp.groups.port) || Number(hp.groups.port) > 65535) {
      throw malformed(url, `the port "${hp.groups.port}" is not a number between 1 and 65535`);
    }
    port = Number(hp.groups.port);
  }
  const tail = hp.groups.rest ?? '';
  const [pathPart, queryPart] = splitOnce(tail, '?');
  const dbText = pathPart.startsWith('/') ? pathPart.slice(1) : pathPart;
  if (dbText.includes('/')) throw malformed(url, `the database name "${dbText}" contains "/"`);
  return new DatabaseUrl({
    ...base,
    username: username === '' ? null : username,
    password,
    host,
    port,
    database: dbText === '' ? null : decode(url, dbText),
    query: parseQuery(url, queryPart),
  });
}

function parseQuery(url: string, text: string | undefined): Record<string, string> {
  const query: Record<string, string> = {};
  if (!text) return query;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const [k, v] = splitOnce(pair, '=');
    query[decode(url, k.replace(/\+/g, ' '))] = decode(url, (v ?? '').replace(/\+/g, ' '));
  }
  return query;
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const i = text.indexOf(sep);
  return i === -1 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}

function decode(url: string, text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw malformed(url, `"${text.includes('%') ? '%-escape' : text}" is not valid percent-encoding`);
  }
}

/** Characters that must be escaped in user and password so that the URL parses back the same. */
function encodeUserinfo(text: string): string {
  return encodeURIComponent(text);
}

function malformed(url: string, reason: string): UrlError {
  return new UrlError(`Malformed database URL "${maskUrl(url)}": ${reason}; expected one of: ${ACCEPTED_FORMS}`);
}

/**
 * Hides the password of a URL that may not even parse, for error messages: `scheme://user:***@...`.
 * @internal
 */
export function maskUrl(url: string): string {
  const m = /^([^:/?#]*:\/\/[^:/@?]*:)([^?]*)@/s.exec(url);
  return m ? `${m[1]}***@${url.slice(m[0].length)}` : url;
}
