/**
 * The script directory: the revision files on disk. It lists them, reads each one's graph data from its
 * header without importing it (`revision-header.ts`), builds the {@link RevisionMap}, loads a module only
 * when it is about to run, and writes new revision files from the template. The graph logic itself is
 * the map's; this module only does files.
 */
import { type Dirent, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { TsmigError } from '../../errors.js';
import { writeAtomically } from '../../util/cache-dir.js';
import type { PostWriteHook } from '../config/config.js';
import { importUserModules, UserModuleError } from '../config/user-modules.js';
import { MultipleHeadsError, RevisionFileError, RevisionGraphError } from './errors.js';
import { DEFAULT_FILE_TEMPLATE, DEFAULT_TRUNCATE_SLUG_LENGTH, formatCreateDate, revisionFileName } from './file-name.js';
import { RESERVED_SYMBOLS } from './identifier.js';
import { readRevisionHeaders } from './header-cache.js';
import { parseRevisionHeader } from './revision-header.js';
import { checkRevisionId, generateRevisionId } from './revision-id.js';
import { RevisionMap } from './revision-map.js';
import type { RevisionInfo, RevisionModule } from './revision.js';
import { TEMPLATE_FILE_NAME, renderTemplate, templateValues, tidyTsmigImports } from './template.js';
import { runPostWriteHooks } from './write-hooks.js';

/** Where the revision files are and how new ones are named; the config loader maps `alembic.config.ts` onto it. */
export interface ScriptDirectoryOptions {
  /** The script location, absolute: it holds `env.ts`, `script.ts.tmpl` and by default `versions/`. */
  readonly dir: string;
  /** Folders of revision files (relative ones are resolved against `dir`); default `<dir>/versions`. */
  readonly versionLocations?: readonly string[] | undefined;
  /** New file names, with Alembic's tokens (default `%(rev)s_%(slug)s`); `.ts` is appended. */
  readonly fileTemplate?: string | undefined;
  /** The longest slug taken from the message (default 40). */
  readonly truncateSlugLength?: number | undefined;
  /** IANA time zone of "Create Date" and of the date tokens (default: the local zone). */
  readonly timezone?: string | undefined;
  /** The revision template (default `<dir>/script.ts.tmpl`). */
  readonly templateFile?: string | undefined;
  /** Run on each new revision file. */
  readonly postWriteHooks?: readonly PostWriteHook[] | undefined;
}

/** What {@link ScriptDirectory.generateRevision} needs; the CLI's `revision` and `merge` fill it. */
export interface GenerateRevisionOptions {
  /** The message (`-m`); the header's first line and the file name's slug. */
  readonly message?: string | undefined;
  /**
   * The revision(s) to build on (`--head`): default `head`, which must be the only head; `base` starts a
   * new root; several make a merge.
   */
  readonly head?: string | readonly string[] | undefined;
  /** Allow building on a revision that is not a head, which starts a new branch (`--splice`). */
  readonly splice?: boolean | undefined;
  /** Branch label(s) for the new revision (`--branch-label`). */
  readonly branchLabel?: string | readonly string[] | undefined;
  /** Revisions or branch labels the new revision depends on (`--depends-on`); partial ids are expanded. */
  readonly dependsOn?: string | readonly string[] | undefined;
  /** The id to use instead of a random one (`--rev-id`). */
  readonly revId?: string | undefined;
  /** The version location to write into (`--version-path`); required when there are several. */
  readonly versionPath?: string | undefined;
  /** The body of `upgrade()` (autogenerate renders it); default empty. */
  readonly upgradeBody?: string | undefined;
  /** The body of `downgrade()`; default empty. */
  readonly downgradeBody?: string | undefined;
  /** Extra import lines the bodies need. */
  readonly imports?: readonly string[] | undefined;
  /** @internal the creation time (tests). */
  readonly now?: Date | undefined;
  /**
   * @internal the revisions the new one replaces (`tsmig squash`): its id may be one of theirs, and their
   * files are removed once the new file is written.
   */
  readonly replaces?: readonly RevisionInfo[] | undefined;
}

/**
 * The revision files of one script location.
 *
 * @example
 * ```ts
 * const scripts = new ScriptDirectory({ dir: '/app/migrations' });
 * scripts.revisionMap().heads;                         // ['2b1ae634e5cd']
 * const rev = await scripts.generateRevision({ message: 'add directors' });
 * const module = await scripts.loadModule(rev.revision); // compiles the file (cached) and imports it
 * ```
 */
export class ScriptDirectory {
  readonly dir: string;
  readonly versionLocations: readonly string[];
  readonly fileTemplate: string;
  readonly truncateSlugLength: number;
  readonly timezone: string | undefined;
  readonly templateFile: string;
  readonly postWriteHooks: readonly PostWriteHook[];
  #revisions: readonly RevisionInfo[] | null = null;
  #map: RevisionMap | null = null;
  /** The revision modules imported so far, by file: a fleet run loads a plan once for all its databases. */
  readonly #modules = new Map<string, Promise<RevisionModule>>();

  constructor(options: ScriptDirectoryOptions) {
    this.dir = path.resolve(options.dir);
    const locations = options.versionLocations ?? [];
    this.versionLocations = locations.length === 0 ? [path.join(this.dir, 'versions')] : locations.map((l) => path.resolve(this.dir, l));
    this.fileTemplate = options.fileTemplate ?? DEFAULT_FILE_TEMPLATE;
    this.truncateSlugLength = options.truncateSlugLength ?? DEFAULT_TRUNCATE_SLUG_LENGTH;
    this.timezone = options.timezone;
    this.templateFile = options.templateFile === undefined ? path.join(this.dir, TEMPLATE_FILE_NAME) : path.resolve(this.dir, options.templateFile);
    this.postWriteHooks = options.postWriteHooks ?? [];
  }

  /**
   * The revision files: every `*.ts` directly inside each version location, sorted by name, except
   * declaration files (`.d.ts`) and hidden or editor files (`.#x.ts`). Sub-folders are not searched.
   * A location that does not exist yet has no files.
   */
  revisionFiles(): readonly string[] {
    if (!existsSync(this.dir)) {
      throw new TsmigError(`The script location ${this.dir} does not exist. Run \`tsmig init\` to create it, or fix scriptLocation in the config.`);
    }
    const files: string[] = [];
    const seen = new Set<string>();
    for (const location of this.versionLocations) {
      let entries: Dirent[];
      try {
        entries = readdirSync(location, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const name = entry.name;
        if (!name.endsWith('.ts') || name.endsWith('.d.ts') || name.startsWith('.')) continue;
        const file = childPath(location, name);
        if (seen.has(file) || !(entry.isFile() || (entry.isSymbolicLink() && isFile(file)))) continue;
        seen.add(file);
        files.push(file);
      }
    }
    return files;
  }

  /** Every revision's graph data, read from the files' headers (cached until {@link refresh}). */
  revisions(): readonly RevisionInfo[] {
    this.#revisions ??= readRevisionHeaders(this.dir, this.revisionFiles());
    return this.#revisions;
  }

  /** The revision graph of these files (cached until {@link refresh}); an invalid graph is an error naming the file. */
  revisionMap(): RevisionMap {
    this.#map ??= new RevisionMap(this.revisions());
    return this.#map;
  }

  /** Forgets what was read, so the next call reads the files again. */
  refresh(): void {
    this.#revisions = null;
    this.#map = null;
    this.#modules.clear();
  }

  /** Imports one revision file to run it; see {@link ScriptDirectory.loadModules}. */
  async loadModule(revision: string | RevisionInfo): Promise<RevisionModule> {
    const [module] = await this.loadModules([typeof revision === 'string' ? this.revisionMap().get(revision) : revision]);
    return module!;
  }

  /**
   * Imports revision files to run them, all at once, so that a plan finds a file that does not compile or
   * lacks `upgrade`/`downgrade` before its first step runs. The error names the file and the cause.
   * A module once loaded is kept until {@link refresh}.
   */
  async loadModules(revisions: readonly RevisionInfo[]): Promise<RevisionModule[]> {
    const missing = revisions.filter((info) => !this.#modules.has(info.path));
    if (missing.length > 0) {
      const loaded = importRevisionModules(missing);
      // Kept while still loading, so targets of a fleet run that start together share one import; a file
      // that failed is tried again next time (it may have been fixed).
      for (const [index, info] of missing.entries()) this.#modules.set(info.path, loaded.then((modules) => modules[index]!));
      loaded.catch(() => {
        for (const info of missing) this.#modules.delete(info.path);
      });
    }
    return Promise.all(revisions.map((info) => this.#modules.get(info.path)!));
  }

  /**
   * Writes a new revision file from the template and returns it as read back from disk. The checks come
   * first, as Alembic's: the head(s) must resolve (several heads need `head` to be chosen or merged),
   * must be heads unless `splice`, the id and branch labels must be new, the version location known.
   */
  async generateRevision(options: GenerateRevisionOptions = {}): Promise<RevisionInfo> {
    const map = this.revisionMap();
    const parents = this.#parentsOf(map, options.head ?? 'head');
    const revision = options.revId ?? generateRevisionId();
    checkRevisionId(revision);
    const replaced = options.replaces ?? [];
    if (map.has(revision) && !replaced.some((r) => r.revision === revision)) {
      throw new RevisionGraphError(`Revision id ${revision} already exists (${map.get(revision).path}); choose another --rev-id.`);
    }
    if (options.splice !== true) {
      for (const parent of parents) {
        if (!map.isHead(parent.revision)) {
          throw new RevisionGraphError(`Revision ${parent.revision} is not a head; pass --splice to start a new branch from it.`);
        }
      }
    }
    const branchLabels = toList(options.branchLabel);
    for (const label of branchLabels) {
      checkBranchLabel(label);
      const owner = map.has(label) ? map.get(label) : map.revisions.find((r) => r.branchLabels.includes(label));
      if (owner !== undefined) throw new RevisionGraphError(`Branch label '${label}' is already used by revision ${owner.revision} (${owner.path}).`);
    }
    const dependsOn = toList(options.dependsOn).map((dep) => {
      const target = map.resolveOne(dep);
      if (target === null) throw new RevisionGraphError(`--depends-on ${dep} names base; name a revision or a branch label.`);
      // Keep a branch label as written (it follows the branch), expand a partial id to the full one.
      return map.branchLabels(target.revision).includes(dep) ? dep : target.revision;
    });

    const versionPath = this.#versionPathFor(options.versionPath, parents);
    const message = options.message ?? 'empty message';
    const now = options.now ?? new Date();
    const fileName = revisionFileName(this.fileTemplate, {
      rev: revision,
      message: options.message ?? '',
      createDate: now,
      timezone: this.timezone,
      truncateSlugLength: this.truncateSlugLength,
    });
    const file = path.join(versionPath, fileName);
    const text = tidyTsmigImports(renderTemplate(
      this.#template(),
      templateValues({
        message,
        revision,
        downRevisions: parents.map((p) => p.revision),
        branchLabels,
        dependsOn,
        createDate: formatCreateDate(now, this.timezone),
        imports: options.imports,
        upgrades: options.upgradeBody,
        downgrades: options.downgradeBody,
      }),
      this.templateFile,
    ));
    mkdirSync(versionPath, { recursive: true });
    try {
      // Never half a file: a concurrent `tsmig revision` or `history` reads the whole file or none.
      writeAtomically(file, text, { exclusive: !replaced.some((r) => r.path === file) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new TsmigError(`${file} already exists; choose another message or --rev-id.`);
      throw error;
    }
    for (const old of replaced) if (old.path !== file) rmSync(old.path);
    await runPostWriteHooks(this.postWriteHooks, file);
    this.refresh();
    let written: RevisionInfo;
    try {
      written = parseRevisionHeader(readFileSync(file, 'utf8'), file);
    } catch (error) {
      throw new TsmigError(`The revision template ${this.templateFile} wrote ${file}, which tsmig cannot read back: ${(error as Error).message}`, { cause: error });
    }
    if (written.revision !== revision || branchLabels.some((l) => !written.branchLabels.includes(l))) {
      throw new TsmigError(
        `The revision template ${this.templateFile} wrote ${file} without the expected revision id or branch labels; ` +
          'check that it writes ${revision}, ${downRevision}, ${branchLabels} and ${dependsOn}.',
      );
    }
    return written;
  }

  #parentsOf(map: RevisionMap, head: string | readonly string[]): RevisionInfo[] {
    const parents: RevisionInfo[] = [];
    for (const identifier of toList(head)) {
      try {
        parents.push(...map.resolve(identifier));
      } catch (error) {
        if (error instanceof MultipleHeadsError) {
          throw new MultipleHeadsError(
            error.heads,
            error.identifier,
            'Choose the revision to build on with --head <revision>, or run `tsmig merge heads -m "..."` first.',
          );
        }
        throw error;
      }
    }
    const unique = new Set(parents.map((p) => p.revision));
    if (unique.size !== parents.length) throw new RevisionGraphError(`The same revision is named twice in ${toList(head).join(', ')}.`);
    return parents;
  }

  #versionPathFor(requested: string | undefined, parents: readonly RevisionInfo[]): string {
    if (requested !== undefined) {
      const wanted = path.resolve(requested);
      if (!this.versionLocations.includes(wanted)) {
        throw new TsmigError(`--version-path ${requested} is not one of the version locations: ${this.versionLocations.join(', ')}.`);
      }
      return wanted;
    }
    if (this.versionLocations.length === 1) return this.versionLocations[0]!;
    const beside = parents.map((p) => path.dirname(p.path)).find((dir) => this.versionLocations.includes(dir));
    if (beside !== undefined) return beside;
    throw new TsmigError(`There are several version locations (${this.versionLocations.join(', ')}); choose one with --version-path.`);
  }

  #template(): string {
    try {
      return readFileSync(this.templateFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new TsmigError(`No revision template at ${this.templateFile}. Run \`tsmig init\`, or copy script.ts.tmpl from one of tsmig's templates/ into the script location.`);
      }
      throw error;
    }
  }
}

function toList(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function checkBranchLabel(label: string): void {
  const bad = /[@:\s]/.exec(label);
  if (label === '' || bad !== null) throw new RevisionGraphError(`Branch label '${label}' cannot be empty or contain '@', ':' or spaces.`);
  if (RESERVED_SYMBOLS.has(label)) throw new RevisionGraphError(`Branch label '${label}' is a reserved word.`);
}


/** Imports revision files as one bundle and checks that each is a revision module. */
async function importRevisionModules(revisions: readonly RevisionInfo[]): Promise<RevisionModule[]> {
  let modules: Record<string, unknown>[];
  try {
    modules = await importUserModules(
      revisions.map((info) => info.path),
      ['revision', 'upgrade', 'downgrade'],
    );
  } catch (error) {
    const info = revisions.find((r) => error instanceof UserModuleError && r.path === error.file) ?? revisions[0]!;
    throw new RevisionFileError(info.path, `Revision file ${info.path} failed to load: ${firstLine(error)}`, { cause: error });
  }
  return modules.map((module, index) => checkRevisionModule(module, revisions[index]!));
}

/** A loaded revision module that has what running it needs, or an error naming the file. */
function checkRevisionModule(module: Record<string, unknown>, info: RevisionInfo): RevisionModule {
  for (const name of ['upgrade', 'downgrade'] as const) {
    if (typeof module[name] !== 'function') {
      throw new RevisionFileError(info.path, `Revision file ${info.path} does not export an async function ${name}().`);
    }
  }
  if (module['revision'] !== info.revision) {
    throw new RevisionFileError(
      info.path,
      `Revision file ${info.path} exports revision ${JSON.stringify(module['revision'])} at run time but ${info.revision} in its header; keep \`export const revision = '...'\` a plain string.`,
    );
  }
  return module as unknown as RevisionModule;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * `path.join(dir, name)` for a resolved `dir` and a plain file name: the same string without normalizing
 * it again, which over a thousand revisions cost `tsmig heads` more than reading their headers.
 */
function childPath(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}
