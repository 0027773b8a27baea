/**
 * The commands that work on the revision graph and files only (no database): `revision`, `merge`,
 * `heads`, `history`, `branches`, `show`, `edit`. Each is a function over a {@link ScriptDirectory} that
 * returns data; the CLI formats and prints it. Commands that need the database's current revisions take
 * them from the caller.
 */
import { spawnSync } from 'node:child_process';
import { TsmigError } from '../../errors.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { RevisionGraphError } from '../script/errors.js';
import { type GenerateRevisionOptions, ScriptDirectory } from '../script/script-directory.js';
import type { RevisionInfo } from '../script/revision.js';

/**
 * Options of {@link revision}. Autogenerate (a later issue) renders `upgradeBody`, `downgradeBody` and
 * `imports` from the model/database comparison and passes them here; without them the functions are empty.
 */
export type RevisionOptions = Omit<GenerateRevisionOptions, 'now'>;

/**
 * `tsmig revision`: writes a new revision file on the head (or `head`/`splice`/`branchLabel`/...) and
 * returns it as read back.
 *
 * @example
 * ```ts
 * const created = await revision(scripts, { message: 'add directors' });
 * created.path; // '/app/migrations/versions/2b1ae634e5cd_add_directors.ts'
 * ```
 */
export function revision(scripts: ScriptDirectory, options: RevisionOptions = {}): Promise<RevisionInfo> {
  return scripts.generateRevision(options);
}

/** Options of {@link merge}. */
export interface MergeOptions {
  readonly message?: string | undefined;
  readonly branchLabel?: string | readonly string[] | undefined;
  readonly revId?: string | undefined;
}

/**
 * `tsmig merge REVS...`: writes a revision whose `downRevision` lists the given revisions (`heads` names
 * every head). At least two distinct revisions are needed; each must be a head.
 */
export async function merge(scripts: ScriptDirectory, revisions: readonly string[], options: MergeOptions = {}): Promise<RevisionInfo> {
  const map = scripts.revisionMap();
  const resolved = new Set<string>();
  for (const identifier of revisions) for (const info of map.resolve(identifier)) resolved.add(info.revision);
  if (resolved.size < 2) {
    throw new RevisionGraphError(
      `Nothing to merge: ${revisions.join(' ') || '(no revision)'} names ${resolved.size === 0 ? 'no revision' : `only ${[...resolved][0]}`}. ` +
        'Give two or more heads, or `heads`.',
    );
  }
  return scripts.generateRevision({
    message: options.message,
    head: [...resolved],
    branchLabel: options.branchLabel,
    revId: options.revId,
  });
}

/**
 * `tsmig heads`: the heads, in file order. With `resolveDependencies`, only the heads nothing depends on
 * (those `upgrade heads` ends at).
 */
export function heads(scripts: ScriptDirectory, options: { readonly resolveDependencies?: boolean } = {}): readonly RevisionInfo[] {
  const map = scripts.revisionMap();
  return (options.resolveDependencies === true ? map.realHeads : map.heads).map((id) => map.get(id));
}

/** Options of {@link history}. */
export interface HistoryOptions {
  /** `A:B`, `A:` or `:B`; the whole history without it. */
  readonly range?: string | undefined;
  /** The database's revisions, so the range may say `current` and relative steps count from them. */
  readonly currentHeads?: readonly string[] | undefined;
}

/** `tsmig history`: the revisions of a range (default all), newest first. */
export function history(scripts: ScriptDirectory, options: HistoryOptions = {}): readonly RevisionInfo[] {
  const map = scripts.revisionMap();
  const resolve = options.currentHeads === undefined ? {} : { current: options.currentHeads };
  return options.range === undefined ? map.history() : map.range(options.range, resolve);
}

/** A branch point and the revisions it branches into. */
export interface BranchPoint {
  readonly revision: RevisionInfo;
  readonly branches: readonly RevisionInfo[];
}

/** `tsmig branches`: every branch point, newest first, with the revisions that start each branch. */
export function branches(scripts: ScriptDirectory): readonly BranchPoint[] {
  const map = scripts.revisionMap();
  return map
    .history()
    .filter((info) => map.isBranchPoint(info.revision))
    .map((info) => ({ revision: info, branches: map.children(info.revision).map((id) => map.get(id)) }));
}

/**
 * `tsmig show REV`: the revisions an identifier names (`heads` may name several). Naming none (`base`)
 * is an error.
 */
export function show(scripts: ScriptDirectory, identifier: string, options: { readonly currentHeads?: readonly string[] } = {}): readonly RevisionInfo[] {
  const map = scripts.revisionMap();
  const found = map.resolve(identifier, options.currentHeads === undefined ? {} : { current: options.currentHeads });
  if (found.length === 0) throw new RevisionGraphError(`'${identifier}' names no revision file (base is before the first revision).`);
  return found;
}

/** Options of {@link edit}. */
export interface EditOptions {
  /** Where `EDITOR` and `VISUAL` are read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly currentHeads?: readonly string[];
}

/**
 * `tsmig edit REV`: opens each revision file the identifier names in `$VISUAL` or `$EDITOR` (which may
 * carry arguments: `code -w`) and waits for it. Neither set, or the editor failing, is an error.
 * Returns the files opened.
 */
export function edit(scripts: ScriptDirectory, identifier: string, options: EditOptions = {}): readonly string[] {
  const env = options.env ?? process.env;
  const editor = [env['VISUAL'], env['EDITOR']].map((e) => e?.trim()).find((e) => e !== undefined && e !== '');
  const files = show(scripts, identifier, options.currentHeads === undefined ? {} : { currentHeads: options.currentHeads }).map((r) => r.path);
  if (editor === undefined) {
    throw new TsmigError(`No editor: set VISUAL or EDITOR (e.g. EDITOR=vim) to edit ${files.join(', ')}.`);
  }
  const [command, ...args] = editor.split(/\s+/) as [string, ...string[]];
  for (const file of files) {
    const run = spawnSync(command, [...args, file], { stdio: 'inherit' });
    if (run.error !== undefined) throw new TsmigError(`Could not start the editor '${editor}': ${run.error.message}`, { cause: run.error });
    if (run.status !== 0) throw new TsmigError(`The editor '${editor}' exited with ${run.status ?? run.signal} on ${file}.`);
  }
  return files;
}

/**
 * The script directory of a loaded configuration: `alembic.config.ts` keys mapped onto
 * {@link ScriptDirectory}'s options.
 */
export function openScriptDirectory(config: ResolvedConfig): ScriptDirectory {
  return new ScriptDirectory({
    dir: config.scriptLocation,
    versionLocations: config.versionLocations,
    fileTemplate: config.fileTemplate,
    truncateSlugLength: config.truncateSlugLength,
    timezone: config.timezone ?? undefined,
    postWriteHooks: config.postWriteHooks,
  });
}
