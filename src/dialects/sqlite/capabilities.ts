import type { Capabilities } from '../dialect.js';

/** SQLite 3.35+ (RETURNING), 3.39+ (FULL OUTER JOIN); better-sqlite3 ships a newer one. */
export const sqliteCapabilities: Capabilities = {
  transactionalDdl: true,
  insertReturning: true,
  updateReturning: true,
  deleteReturning: true,
  multiRowInsert: true,
  maxBindParams: 32766,
  fullOuterJoin: true,
  nullsOrdering: true,
  schemas: false,
  nativeBoolean: false,
  alterConstraints: false,
  alterColumns: false,
  concurrentIndexes: false,
  forwardForeignKeys: true,
  sequences: false,
  enumTypes: false,
  expressionIndexes: true,
  rowValueInList: false,
  commitAndChain: false,
};
