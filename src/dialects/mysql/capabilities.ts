import type { Capabilities } from '../dialect.js';

/** MySQL 8: DDL commits implicitly, no RETURNING, no FULL OUTER JOIN, no NULLS FIRST/LAST. */
export const mysqlCapabilities: Capabilities = {
  transactionalDdl: false,
  insertReturning: false,
  updateReturning: false,
  deleteReturning: false,
  multiRowInsert: true,
  maxBindParams: 65535,
  fullOuterJoin: false,
  nullsOrdering: false,
  schemas: true,
  nativeBoolean: false,
  alterConstraints: true,
  alterColumns: true,
  concurrentIndexes: false,
  forwardForeignKeys: false,
  sequences: false,
  enumTypes: false,
  expressionIndexes: true,
  rowValueInList: true,
  commitAndChain: true,
};

/** MariaDB 10.5+ adds INSERT and DELETE ... RETURNING (not UPDATE) and has no expression indexes. */
export const mariadbCapabilities: Capabilities = {
  ...mysqlCapabilities,
  insertReturning: true,
  deleteReturning: true,
  expressionIndexes: false,
  rowValueInList: true,
};
