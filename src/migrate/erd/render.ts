/**
 * Draws a {@link Diagram}: Mermaid's `erDiagram` (renders on GitHub and in most editors) or Graphviz DOT
 * (one HTML-table node per table, crow's-foot ends on the relationships). Pure text.
 */
import type { Diagram, DiagramColumn, DiagramRelationship } from './diagram.js';

/**
 * Mermaid: `parent ||--o{ child : "fk_columns"`, with `|o` for an optional parent, `o|` for one-to-one and
 * a dotted line for a key that is not part of the child's primary key. Mermaid allows letters, digits,
 * `-`, `_`, brackets and parentheses in names and types; anything else becomes `_`.
 */
export function mermaidErd(diagram: Diagram): string {
  const lines = ['erDiagram'];
  for (const entity of diagram.entities) {
    lines.push(`  ${mermaidName(entity.name)} {`);
    for (const column of entity.columns) {
      const keys = [column.primaryKey ? 'PK' : null, column.foreignKey ? 'FK' : null, column.unique ? 'UK' : null].filter((k) => k !== null);
      const nullable = column.nullable && !column.primaryKey ? ' "nullable"' : '';
      lines.push(`    ${mermaidName(column.type)} ${mermaidName(column.name)}${keys.length > 0 ? ` ${keys.join(', ')}` : ''}${nullable}`);
    }
    lines.push('  }');
  }
  for (const r of diagram.relationships) {
    const parentEnd = r.optionalParent ? '|o' : '||';
    const childEnd = r.oneToOne ? 'o|' : 'o{';
    const line = r.identifying ? '--' : '..';
    lines.push(`  ${mermaidName(r.parent)} ${parentEnd}${line}${childEnd} ${mermaidName(r.child)} : "${r.columns.join(', ')}"`);
  }
  return lines.join('\n');
}

function mermaidName(text: string): string {
  const name = text.replace(/\s+/g, '').replace(/,/g, '_').replace(/[^A-Za-z0-9_\-()[\]]/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `_${name}`;
}

/** DOT: tables as HTML-like table nodes, relationships from child to parent with crow's-foot ends. */
export function dotErd(diagram: Diagram): string {
  const lines = ['digraph erd {', '  rankdir=LR;', '  node [shape=plain, fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  for (const entity of diagram.entities) {
    const rows = entity.columns.map((c) => `<tr><td align="left">${html(c.name)}</td><td align="left">${html(c.type)}</td><td align="left">${html(keyText(c))}</td></tr>`);
    const label = `<table border="0" cellborder="1" cellspacing="0" cellpadding="4"><tr><td colspan="3" bgcolor="#dde7f3"><b>${html(entity.name)}</b></td></tr>${rows.join('')}</table>`;
    lines.push(`  ${dotId(entity.name)} [label=<${label}>];`);
  }
  for (const r of diagram.relationships) lines.push(`  ${dotId(r.child)} -> ${dotId(r.parent)} [${dotEnds(r)}, label=${dotId(r.columns.join(', '))}];`);
  lines.push('}');
  return lines.join('\n');
}

function keyText(column: DiagramColumn): string {
  const keys = [column.primaryKey ? 'PK' : null, column.foreignKey ? 'FK' : null, column.unique ? 'UK' : null].filter((k) => k !== null);
  return [...keys, column.nullable && !column.primaryKey ? 'NULL' : null].filter((k) => k !== null).join(' ');
}

/** The child end: many (crow) or at most one; the parent end: exactly one or at most one. */
function dotEnds(r: DiagramRelationship): string {
  const tail = r.oneToOne ? 'teeodot' : 'crowodot';
  const head = r.optionalParent ? 'teeodot' : 'teetee';
  return `dir=both, arrowtail=${tail}, arrowhead=${head}${r.identifying ? '' : ', style=dashed'}`;
}

function dotId(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
