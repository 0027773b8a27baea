/**
 * Every name `src/index.ts` exports carries a TSDoc comment, so the API reference (`npm run docs`, TypeDoc)
 * has no blank entries. A name passes when one of its declarations (an overload, say) has a comment.
 *
 * The exports are followed with the TypeScript parser alone, file by file (`export *`, `export { a as b }
 * from`, local `export { x }` and the imports behind them): TypeDoc's own `notDocumented` validation, or
 * a full compiler program, reads ~350 files including the drivers' types and takes 15-60 s on this
 * machine, too long for every `npm test`; this reads the few dozen files the exports pass through.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import ts from 'typescript';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

describe('public API documentation', () => {
  it('documents every name exported from src/index.ts', () => {
    const api = new ExportReader();
    const exported = api.exportsOf(path.join(SRC, 'index.ts'));
    const undocumented = [...exported]
      .filter(([, declarations]) => !documented(declarations))
      .map(([name]) => name)
      .sort();

    expect(exported.size, 'exports found').to.be.greaterThan(200);
    expect(undocumented, 'exported without a TSDoc comment (write one where the name is defined)').to.deep.equal([]);
  });
});

/** Declarations reached by a name: a class, a function's overloads, a `const`, an interface merged with a class. */
type Declarations = readonly ts.Node[];

class ExportReader {
  readonly #files = new Map<string, ts.SourceFile>();
  readonly #exports = new Map<string, Map<string, Declarations>>();

  /** The names a module exports, each with the declarations it stands for. */
  exportsOf(file: string): Map<string, Declarations> {
    const known = this.#exports.get(file);
    if (known) return known;
    const names = new Map<string, Declarations>();
    this.#exports.set(file, names);
    for (const statement of this.#source(file).statements) {
      if (ts.isExportDeclaration(statement)) {
        const from = statement.moduleSpecifier && this.#target(file, statement.moduleSpecifier);
        if (!statement.exportClause && from) {
          for (const [name, declarations] of this.exportsOf(from)) if (name !== 'default') names.set(name, declarations);
        } else if (statement.exportClause && ts.isNamedExports(statement.exportClause)) {
          for (const element of statement.exportClause.elements) {
            const original = (element.propertyName ?? element.name).text;
            names.set(element.name.text, from ? this.#exported(from, original) : this.#local(file, original));
          }
        }
      } else if (isExported(statement)) {
        for (const name of declaredNames(statement)) names.set(name, [...(names.get(name) ?? []), statement]);
      }
    }
    return names;
  }

  #exported(file: string, name: string): Declarations {
    const declarations = this.exportsOf(file).get(name);
    if (!declarations) throw new Error(`${path.relative(SRC, file)} does not export ${name}`);
    return declarations;
  }

  /** A name used inside a module: declared there, or imported. */
  #local(file: string, name: string): Declarations {
    const declared = this.#source(file).statements.filter((statement) => declaredNames(statement).includes(name));
    if (declared.length > 0) return declared;
    for (const statement of this.#source(file).statements.filter(ts.isImportDeclaration)) {
      const bindings = statement.importClause?.namedBindings;
      if (!bindings || !ts.isNamedImports(bindings)) continue;
      const element = bindings.elements.find((candidate) => candidate.name.text === name);
      const from = this.#target(file, statement.moduleSpecifier);
      if (element && from) return this.#exported(from, (element.propertyName ?? element.name).text);
    }
    throw new Error(`${path.relative(SRC, file)}: cannot find ${name}`);
  }

  /** The source file a relative specifier names (`./x.js` -> `x.ts`); packages are not ours to check. */
  #target(file: string, specifier: ts.Expression): string | undefined {
    const text = (specifier as ts.StringLiteral).text;
    return text.startsWith('.') ? path.resolve(path.dirname(file), text.replace(/\.js$/, '.ts')) : undefined;
  }

  #source(file: string): ts.SourceFile {
    let source = this.#files.get(file);
    if (!source) {
      source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
      this.#files.set(file, source);
    }
    return source;
  }
}

function isExported(statement: ts.Statement): boolean {
  return ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function declaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  }
  if (
    ts.isClassDeclaration(statement) ||
    ts.isFunctionDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isModuleDeclaration(statement)
  ) {
    return statement.name && ts.isIdentifier(statement.name) ? [statement.name.text] : [];
  }
  return [];
}

/**
 * Whether a name has its comment where TypeDoc reads it: on the class when a class merges with an
 * interface of the same name (the pattern of the operation classes), else on any declaration.
 */
function documented(declarations: Declarations): boolean {
  const classes = declarations.filter(ts.isClassDeclaration);
  return (classes.length > 0 ? classes : declarations).some(hasDocComment);
}

/** A `/** ... *\/` comment with text or tags on the declaration. */
function hasDocComment(node: ts.Node): boolean {
  return ts.getJSDocCommentsAndTags(node).some((doc) => ts.isJSDoc(doc) && (doc.comment !== undefined || (doc.tags?.length ?? 0) > 0));
}
