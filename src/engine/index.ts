/**
 * The engine layer's public surface: engines, connections, transactions, results and URLs.
 * `src/index.ts` re-exports from here; other layers import from here too.
 */
export { Engine, createEngine, type EngineOptions } from './engine.js';
export { Connection, type Executable } from './connection.js';
export { Transaction } from './transaction.js';
export { MappingResult, Result, ScalarResult, type FirstOf, type MappingOf, type StatementRow } from './result.js';
export { DatabaseUrl, parseDatabaseUrl, type DatabaseUrlParts } from './url.js';
export type { Params } from './execution-plan.js';
