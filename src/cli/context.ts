/**
 * What a CLI verb receives from `main`: the configured output and the working directory. Verbs parse their
 * own options, call `migrate/commands.ts` and print through `output`; they never touch `process`.
 */
import type { Command } from 'commander';
import type { Output } from './output.js';

/** The run-wide state handed to every verb. */
export interface CliContext {
  /** All printing goes through here (results to stdout, status to stderr). */
  readonly output: Output;
  /** The directory the command runs in; config files are looked up from here. */
  readonly cwd: string;
}

/**
 * Adds one verb to the program, in its own file `src/cli/commands/<verb>.ts`. The verb is created with
 * `program.command(name)` so it inherits the program's output routing, `exitOverride()` and help style.
 *
 * @example
 * ```ts
 * export const upgradeCommand: CommandDefinition = (program, ctx) =>
 *   program
 *     .command('upgrade')
 *     .description('Upgrade the database to a later revision.')
 *     .argument('[revision]', 'target revision', 'head')
 *     .action(async (revision: string) => { ... ctx.output.status(...) });
 * ```
 */
export type CommandDefinition = (program: Command, ctx: CliContext) => Command;
