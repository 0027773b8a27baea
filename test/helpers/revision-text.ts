/**
 * Editing a revision file the way a user does after `tsmig revision`: the stub imports nothing until its
 * code uses something (so it passes noUnusedLocals as generated), so the edit adds the import too.
 */

/** `text` with `import { names } from 'tsmig'` added right after its header comment. */
export function withTsmigImport(text: string, names: readonly string[]): string {
  return text.replace(/^ \*\/\n/m, ` */\nimport { ${names.join(', ')} } from 'tsmig';\n`);
}
