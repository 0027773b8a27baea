/**
 * The list of CLI verbs, one file per verb in this folder. An explicit list rather than import-time
 * registration, so `main.ts` shows every command it can run. No verb exists yet: the migration commands
 * (init, revision, upgrade, downgrade, history, heads, current, check, ...) arrive with `migrate/`.
 */
import type { CommandDefinition } from '../context.js';

/** Every verb of `tsmig`, in the order `tsmig --help` lists them. */
export const commands: readonly CommandDefinition[] = [];
