/**
 * The list of CLI verbs, one file per verb in this folder. An explicit list rather than import-time
 * registration, so `main.ts` shows every command it can run.
 */
import type { CommandDefinition } from '../context.js';
import { branchesCommand } from './branches.js';
import { checkCommand } from './check.js';
import { currentCommand } from './current.js';
import { downgradeCommand } from './downgrade.js';
import { editCommand } from './edit.js';
import { erdCommand } from './erd.js';
import { ensureVersionCommand } from './ensure-version.js';
import { headsCommand } from './heads.js';
import { historyCommand } from './history.js';
import { initCommand } from './init.js';
import { lintCommand } from './lint.js';
import { listTemplatesCommand } from './list-templates.js';
import { mergeCommand } from './merge.js';
import { pullCommand } from './pull.js';
import { resetCommand } from './reset.js';
import { revisionCommand } from './revision.js';
import { showCommand } from './show.js';
import { squashCommand } from './squash.js';
import { stampCommand } from './stamp.js';
import { statusCommand } from './status.js';
import { testCommand } from './test.js';
import { upgradeCommand } from './upgrade.js';

/** Every verb of `tsmig`, in the order `tsmig --help` lists them. */
export const commands: readonly CommandDefinition[] = [
  // Setting a project up.
  initCommand,
  listTemplatesCommand,
  // The revision graph and files (no database).
  revisionCommand,
  mergeCommand,
  historyCommand,
  headsCommand,
  branchesCommand,
  showCommand,
  editCommand,
  // Running migrations against the database (through env.ts).
  upgradeCommand,
  downgradeCommand,
  currentCommand,
  statusCommand,
  checkCommand,
  lintCommand,
  testCommand,
  stampCommand,
  ensureVersionCommand,
  resetCommand,
  // Adopting an existing database, tidying the history (on a scratch database).
  pullCommand,
  squashCommand,
  // Pictures.
  erdCommand,
];
