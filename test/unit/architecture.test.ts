/**
 * Keeps the layer table of docs/ARCHITECTURE.md true: reads every import of `src/**\/*.ts` (with the
 * TypeScript parser, so multi-line and `export ... from` imports count) and checks who may import what.
 *
 *   util <- types <- sql <- schema <- dialects <- engine <- inspect <- migrate <- cli
 *                                                   ^
 *                                                   +------ orm
 *
 * - A folder may import its own files and any folder to its left; `orm/` may import up to `engine/`,
 *   and only `index.ts` may import `orm/`. `errors.ts` is importable by all and imports nothing at run time.
 * - `index.ts` re-exports anything except `cli/`; nothing imports `cli/` but `package/`, the top: how the
 *   built package puts the library and the CLI into one script (and nothing imports `package/`).
 * - Only `engine/` imports knex and the drivers; only `cli/` imports commander, only `cli/output.ts` chalk.
 * - These rules hold for `import type` too: a layer does not even name the types of a layer above it.
 * - No run-time import cycle that crosses folders, e.g. between `sql/` and `sql/elements/`. Type-only
 *   imports are exempt from this one rule: `verbatimModuleSyntax` erases them, so they cannot create a
 *   cycle at load time, and expression trees legitimately name each other's types. Files of one folder may
 *   import each other. Between layers no cycle can exist at all, since every import points left.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import ts from 'typescript';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** The layers, lowest first. A layer may import the layers before it. */
const LAYERS = ['util', 'types', 'sql', 'schema', 'dialects', 'engine', 'inspect', 'migrate', 'cli', 'package'] as const;
/** `orm/` is a side branch: it may import up to this layer, and only `index.ts` imports it. */
const ORM_CEILING = 'engine';
/** Packages that only some places may import (the package name and its sub-paths). */
const RESTRICTED_PACKAGES: readonly { readonly pattern: RegExp; readonly allowed: (file: string) => boolean; readonly who: string }[] = [
  { pattern: /^(knex|pg|pg-[\w-]+|mysql2|better-sqlite3|@electric-sql\/pglite)(\/|$)/, allowed: (f) => f.startsWith('engine/'), who: 'engine/' },
  { pattern: /^commander(\/|$)/, allowed: (f) => f.startsWith('cli/'), who: 'cli/' },
  { pattern: /^chalk(\/|$)/, allowed: (f) => f === 'cli/output.ts', who: 'cli/output.ts' },
];

interface ImportRef {
  /** Importing file, relative to src/ with forward slashes (`sql/elements/case.ts`). */
  readonly from: string;
  /** The specifier as written. */
  readonly specifier: string;
  /** For relative specifiers: the imported file relative to src/ (`types/type-engine.ts`), or `../x` when outside. */
  readonly target: string | undefined;
  /** `import type` / `export type`: erased at run time. */
  readonly typeOnly: boolean;
}

function listSources(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + entry.name;
    if (entry.isDirectory()) files.push(...listSources(path.join(dir, entry.name), `${rel}/`));
    else if (entry.name.endsWith('.ts')) files.push(rel);
  }
  return files.sort();
}

/** Every static import, re-export and dynamic `import('...')` with a literal specifier in one file. */
function importsOf(file: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const refs: ImportRef[] = [];
  const add = (specifier: string, typeOnly: boolean): void => {
    let target: string | undefined;
    if (specifier.startsWith('.')) {
      target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
    }
    refs.push({ from: file, specifier, target, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.importClause?.isTypeOnly === true);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node.moduleReference.expression.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true); // `type X = import('./y.js').Y`
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

/** The layer of a file relative to src/: its top folder, or the file itself at the root (`errors.ts`). */
function layerOf(file: string): string {
  const slash = file.indexOf('/');
  return slash === -1 ? file : file.slice(0, slash);
}

function rank(layer: string): number {
  return (LAYERS as readonly string[]).indexOf(layer);
}

/** Why `ref` breaks the layer table, or undefined when it is allowed. */
function layerViolation(ref: ImportRef): string | undefined {
  const fromLayer = layerOf(ref.from);
  if (ref.target === undefined) {
    for (const rule of RESTRICTED_PACKAGES) {
      if (rule.pattern.test(ref.specifier) && !rule.allowed(ref.from) && ref.from !== 'index.ts') {
        return `only ${rule.who} may import '${ref.specifier}'`;
      }
    }
    return undefined;
  }
  if (ref.target.startsWith('../')) return `imports '${ref.specifier}', outside src/`;
  const toLayer = layerOf(ref.target);
  if (toLayer === 'package' && fromLayer !== 'package') return 'nothing imports package/ (it is how dist/ is put together)';
  if (fromLayer === 'package') return undefined;
  if (toLayer === 'cli' && fromLayer !== 'cli') return 'nothing imports cli/ (it is the top of the stack)';
  if (fromLayer === 'index.ts') return undefined;
  if (fromLayer === 'errors.ts') {
    return ref.typeOnly ? undefined : 'errors.ts imports nothing at run time, so every layer can import it';
  }
  if (toLayer === 'errors.ts' || toLayer === fromLayer) return undefined;
  if (toLayer === 'index.ts') return 'import from the defining module, not from index.ts (the public API)';
  if (toLayer === 'orm') return 'only index.ts imports orm/ (migrate/ needs schema MetaData, not models)';
  const fromRank = fromLayer === 'orm' ? rank(ORM_CEILING) + 1 : rank(fromLayer);
  const toRank = rank(toLayer);
  if (fromRank === -1) return `'${fromLayer}' is not a layer: add it to docs/ARCHITECTURE.md and this test`;
  if (toRank === -1) return `'${toLayer}' is not a layer: add it to docs/ARCHITECTURE.md and this test`;
  if (toRank >= fromRank) return `${fromLayer}/ may not import ${toLayer}/ (${LAYERS.join(' <- ')}; orm <= ${ORM_CEILING})`;
  return undefined;
}

/**
 * Groups of modules that import each other at run time (strongly connected components) and span more than
 * one folder, each as its sorted file list. Type-only imports are left out: they are erased before the code
 * runs. Cycles among the files of a single folder are not reported.
 */
function crossFolderCycles(refs: readonly ImportRef[]): string[] {
  const graph = new Map<string, string[]>();
  for (const r of refs) {
    if (r.typeOnly || r.target === undefined || r.target.startsWith('../')) continue;
    graph.set(r.from, [...(graph.get(r.from) ?? []), r.target]);
    if (!graph.has(r.target)) graph.set(r.target, []);
  }
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) as number);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (new Set(component.map((f) => path.posix.dirname(f))).size > 1) found.push(component.sort().join(' <-> '));
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found.sort();
}

function ref(from: string, specifier: string, typeOnly = false): ImportRef {
  return importsOf(from, `import ${typeOnly ? 'type ' : ''}{ x } from '${specifier}';`)[0] as ImportRef;
}

describe('architecture: layer table', () => {
  const files = listSources(SRC);
  const refs = files.flatMap((file) => importsOf(file, readFileSync(path.join(SRC, file), 'utf8')));

  it('finds the sources and their imports', () => {
    expect(files).to.include('errors.ts');
    expect(refs.length).to.be.greaterThan(0);
  });

  it('every import follows the layer table', () => {
    const violations = refs.flatMap((r) => {
      const why = layerViolation(r);
      return why === undefined ? [] : [`src/${r.from}: '${r.specifier}': ${why}`];
    });
    expect(violations, violations.join('\n')).to.deep.equal([]);
  });

  it('has no run-time import cycle that crosses folders', () => {
    const cycles = crossFolderCycles(refs);
    expect(cycles, cycles.join('\n')).to.deep.equal([]);
  });

  it('has no source file at the top of src/ besides index.ts and errors.ts', () => {
    expect(files.filter((f) => !f.includes('/') && f !== 'index.ts' && f !== 'errors.ts')).to.deep.equal([]);
  });

  it('has no folder outside the layer table', () => {
    const folders = new Set(files.filter((f) => f.includes('/')).map(layerOf));
    expect([...folders].filter((f) => rank(f) === -1 && f !== 'orm')).to.deep.equal([]);
  });
});

describe('architecture: the checker itself', () => {
  it('reads multi-line imports, re-exports, dynamic imports and import types', () => {
    const text = [
      "import {\n  a,\n  b,\n} from './a.js';",
      "import type { T } from '../types/t.js';",
      "export * from './b.js';",
      "export type { U } from './c.js';",
      "const m = await import('../engine/x.js');",
      "type V = import('./d.js').V;",
      "import './side-effect.js';",
    ].join('\n');
    const found = importsOf('sql/x.ts', text).map((r) => `${r.target ?? r.specifier}${r.typeOnly ? ' (type)' : ''}`);
    expect(found).to.deep.equal([
      'sql/a.ts',
      'types/t.ts (type)',
      'sql/b.ts',
      'sql/c.ts (type)',
      'engine/x.ts',
      'sql/d.ts (type)',
      'sql/side-effect.ts',
    ]);
  });

  it('allows imports to the left and within a layer', () => {
    expect(layerViolation(ref('sql/elements/case.ts', '../../types/type-engine.js'))).to.equal(undefined);
    expect(layerViolation(ref('schema/table.ts', './column.js'))).to.equal(undefined);
    expect(layerViolation(ref('util/x.ts', '../errors.js'))).to.equal(undefined);
    expect(layerViolation(ref('orm/session/session.ts', '../../engine/engine.js'))).to.equal(undefined);
    expect(layerViolation(ref('index.ts', './orm/mapper.js'))).to.equal(undefined);
    expect(layerViolation(ref('engine/engine.ts', 'knex'))).to.equal(undefined);
  });

  it('rejects imports to the right, into orm/ and cli/, and drivers outside engine/', () => {
    expect(layerViolation(ref('types/x.ts', '../sql/elements/element.js', true))).to.match(/types\/ may not import sql\//);
    expect(layerViolation(ref('sql/x.ts', '../dialects/dialect.js'))).to.match(/may not import/);
    expect(layerViolation(ref('orm/x.ts', '../inspect/inspector.js'))).to.match(/may not import/);
    expect(layerViolation(ref('migrate/x.ts', '../orm/mapper.js'))).to.match(/only index\.ts imports orm/);
    expect(layerViolation(ref('index.ts', './cli/main.js'))).to.match(/nothing imports cli/);
    expect(layerViolation(ref('dialects/x.ts', 'knex', true))).to.match(/only engine\//);
    expect(layerViolation(ref('sql/x.ts', 'pg'))).to.match(/only engine\//);
    expect(layerViolation(ref('migrate/x.ts', 'chalk'))).to.match(/only cli\/output\.ts/);
    expect(layerViolation(ref('errors.ts', './util/x.js'))).to.match(/errors\.ts imports nothing/);
    expect(layerViolation(ref('widgets/x.ts', '../sql/x.js'))).to.match(/not a layer/);
  });

  it('finds run-time cycles across folders and ignores type-only ones and those inside one folder', () => {
    expect(crossFolderCycles([ref('sql/a.ts', './elements/b.js'), ref('sql/elements/b.ts', '../a.js', true)])).to.deep.equal([]);
    expect(
      crossFolderCycles([ref('sql/a.ts', './elements/b.js'), ref('sql/elements/b.ts', './c.js'), ref('sql/elements/c.ts', '../a.js')]),
    ).to.deep.equal(['sql/a.ts <-> sql/elements/b.ts <-> sql/elements/c.ts']);
    expect(crossFolderCycles([ref('sql/elements/a.ts', './b.js'), ref('sql/elements/b.ts', './a.js')])).to.deep.equal([]);
    // A parent folder's registry importing its sub-folders, which import the parent's shared modules, is no cycle.
    expect(
      crossFolderCycles([ref('dialects/index.ts', './sqlite/dialect.js'), ref('dialects/sqlite/dialect.ts', '../dialect.js')]),
    ).to.deep.equal([]);
  });
});
