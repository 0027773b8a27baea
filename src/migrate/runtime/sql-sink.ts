/**
 * Where offline (`--sql`) mode writes: statements with their `;` terminator and a blank line, comments
 * for the steps and for blocks that run outside a transaction. A migration's text can be held back and
 * dropped, for the one case where a migration is written a second time (see MigrationContext).
 */

/**
 * Collects an SQL script and hands it to `write` (the CLI's stdout).
 *
 * @example
 * ```ts
 * const sink = new SqlSink((text) => process.stdout.write(text));
 * sink.comment('Running upgrade base -> a1b2c3, add movies');
 * sink.statement('CREATE TABLE movies (id INTEGER NOT NULL)');
 * // -- Running upgrade base -> a1b2c3, add movies
 * //
 * // CREATE TABLE movies (id INTEGER NOT NULL);
 * ```
 */
export class SqlSink {
  readonly #write: (text: string) => void;
  #held: string[] | null = null;

  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  /** One statement; `;` is added unless the text already ends with one. */
  statement(sql: string): void {
    const trimmed = sql.trim();
    this.#emit(`${trimmed}${trimmed.endsWith(';') ? '' : ';'}\n\n`);
  }

  /** A `-- ` comment line (each line of `text` becomes one). */
  comment(text: string): void {
    this.#emit(`${text.split('\n').map((line) => `-- ${line}`.trimEnd()).join('\n')}\n\n`);
  }

  /** Holds everything written from now on until {@link release} or {@link discard}. */
  hold(): void {
    this.#held ??= [];
  }

  /** Writes what was held. */
  release(): void {
    const held = this.#held;
    this.#held = null;
    if (held !== null && held.length > 0) this.#write(held.join(''));
  }

  /** Drops what was held; holding goes on. */
  discard(): void {
    if (this.#held !== null) this.#held = [];
  }

  #emit(text: string): void {
    if (this.#held !== null) this.#held.push(text);
    else this.#write(text);
  }
}
