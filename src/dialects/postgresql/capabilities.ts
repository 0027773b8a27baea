import type { Capabilities } from '../dialect.js';

export const postgresqlCapabilities: Capabilities = {
  transactionalDdl: true,
  insertReturning: true,
  updateReturning: true,
  deleteReturning: true,
  multiRowInsert: true,
  maxBindParams: 65535,
  fullOuterJoin: true,
  nullsOrdering: true,
  schemas: true,
  nativeBoolean: true,
  alterConstraints: true,
  alterColumns: true,
  concurrentIndexes: true,
  forwardForeignKeys: false,
  sequences: true,
  enumTypes: true,
  expressionIndexes: true,
  rowValueInList: true,
  commitAndChain: true,
};
