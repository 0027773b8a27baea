/** The online-change options operations share (MySQL's `ALGORITHM=` and `LOCK=` clauses). */
import type { MysqlAlgorithm, MysqlLock } from '../../../schema/ddl.js';

/**
 * MySQL's online clauses on an ALTER TABLE, CREATE INDEX or DROP INDEX: the server carries the change
 * out that way or refuses the statement (it never falls back to copying the table under a lock). Other
 * dialects ignore them.
 */
export interface OnlineAlterFields {
  /** `ALGORITHM=`: `'INSTANT'` (metadata only), `'INPLACE'` (no table copy), `'COPY'`, `'DEFAULT'`. */
  readonly algorithm?: MysqlAlgorithm;
  /** `LOCK=`: `'NONE'` (reads and writes go on), `'SHARED'` (reads only), `'EXCLUSIVE'`, `'DEFAULT'`. */
  readonly lock?: MysqlLock;
}
