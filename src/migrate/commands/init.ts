/**
 * `tsmig init` and `tsmig list-templates`: creating a script directory from one of the templates in
 * `templates/` (each a folder with env.ts, script.ts.tmpl, README.md and the config it starts from).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../util/package-root.js';
import { ConfigError } from '../config/config-error.js';
import { CONFIG_FILE_NAMES } from '../config/load-config.js';

/** The folder of the templates shipped with tsmig. */
export const TEMPLATES_DIR = path.join(packageRoot(import.meta.url), 'templates');

/** The files `init` copies into the new script directory. */
export const TEMPLATE_FILES: readonly string[] = ['env.ts', 'script.ts.tmpl', 'README.md'];

/** The config file each template starts from (not copied: rendered at the project root). */
const CONFIG_TEMPLATE = 'alembic.config.ts.tmpl';

/** A template and the first line of its README. */
export interface TemplateInfo {
  readonly name: string;
  readonly description: string;
}

/** Options of {@link init}. */
export interface InitOptions {
  /** The template (default `generic`). */
  readonly template?: string;
  /** Where relative paths start (default `process.cwd()`). */
  readonly cwd?: string;
  /** The config file to write when absent (default `alembic.config.ts` in `cwd`). */
  readonly configFile?: string;
  /** Reports each file or folder created. */
  readonly onCreate?: (line: string) => void;
}

/** What {@link init} did. */
export interface InitResult {
  readonly directory: string;
  readonly configFile: string;
  /** False when the config file existed and was left alone. */
  readonly configWritten: boolean;
}

/**
 * The templates, sorted by name.
 *
 * @example
 * ```ts
 * listTemplates(); // [{ name: 'async', description: '...' }, { name: 'generic', ... }, { name: 'multidb', ... }]
 * ```
 */
export function listTemplates(): TemplateInfo[] {
  return readdirSync(TEMPLATES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ name: entry.name, description: readmeSummary(path.join(TEMPLATES_DIR, entry.name)) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Creates a script directory: `directory` (which must not exist or be empty) with the template's files
 * and an empty `versions/`, and the config file pointing at it unless one exists already.
 *
 * @example
 * ```ts
 * await init('migrations', { template: 'generic' });
 * ```
 */
export function init(directory: string, options: InitOptions = {}): InitResult {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const name = options.template ?? 'generic';
  const templates = listTemplates();
  if (!templates.some((t) => t.name === name)) {
    throw new ConfigError(`No template named ${name}; the templates are ${templates.map((t) => t.name).join(', ')} (see \`tsmig list-templates\`).`);
  }
  const source = path.join(TEMPLATES_DIR, name);
  const target = path.resolve(cwd, directory);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new ConfigError(`${target} exists and is not a directory; choose another name.`);
    if (readdirSync(target).length > 0) throw new ConfigError(`Directory ${target} already exists and is not empty; choose another one.`);
  }
  const existingConfig = options.configFile === undefined ? findConfigIn(cwd) : path.resolve(cwd, options.configFile);
  // tsx loads a .ts file of a package without "type": "module" as CommonJS, and tsmig's files are ES
  // modules: outside such a package the config becomes .mts and the script directory gets a package.json.
  const esm = isEsmPackage(cwd);
  const configFile = existingConfig ?? path.join(cwd, esm ? 'alembic.config.ts' : 'alembic.config.mts');

  const report = options.onCreate ?? (() => undefined);
  mkdirSync(target, { recursive: true });
  report(`Creating directory ${target}`);
  mkdirSync(path.join(target, 'versions'));
  report(`Creating directory ${path.join(target, 'versions')}`);
  for (const file of TEMPLATE_FILES) {
    writeFileSync(path.join(target, file), readFileSync(path.join(source, file)));
    report(`Generating ${path.join(target, file)}`);
  }
  if (!isEsmPackage(target)) {
    writeFileSync(path.join(target, 'package.json'), `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
    report(`Generating ${path.join(target, 'package.json')} (env.ts and the revision files are ES modules)`);
  }
  let configWritten = false;
  if (!existsSync(configFile)) {
    let location = path.relative(path.dirname(configFile), target).split(path.sep).join('/');
    if (location === '') location = '.';
    const text = readFileSync(path.join(source, CONFIG_TEMPLATE), 'utf8').replace(/\$\{scriptLocation\}/g, location.replace(/'/g, "\\'"));
    mkdirSync(path.dirname(configFile), { recursive: true });
    writeFileSync(configFile, text);
    configWritten = true;
    report(`Generating ${configFile}`);
  }
  return { directory: target, configFile, configWritten };
}

/** Whether the nearest package.json above `dir` declares `"type": "module"`. */
export function isEsmPackage(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const file = path.join(current, 'package.json');
    if (existsSync(file)) {
      try {
        return (JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(current) === current) return false;
  }
}

function findConfigIn(dir: string): string | null {
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.join(dir, name);
    if (existsSync(file)) return file;
  }
  return null;
}

/** The README's first non-empty line, without Markdown heading marks. */
function readmeSummary(dir: string): string {
  const file = path.join(dir, 'README.md');
  if (!existsSync(file)) return '';
  const line = readFileSync(file, 'utf8').split('\n').find((l) => l.trim() !== '') ?? '';
  return line.replace(/^#+\s*/, '').trim();
}
