/**
 * `tsmig erd [--format mermaid|dot|svg] [--out FILE] [--from-db]`: an entity-relationship diagram of the
 * models (or of the live schema) on stdout or in a file. `svg` runs Graphviz's `dot` when installed.
 */
import { Option } from 'commander';
import type { CommandDefinition } from '../context.js';
import { loadRunConfig, runReporter, withConfigOptions } from './run-common.js';

const FORMATS = ['mermaid', 'dot', 'svg'] as const;

interface ErdFlags {
  readonly format: (typeof FORMATS)[number];
  readonly out?: string;
  readonly fromDb?: boolean;
}

/** The `tsmig erd` verb. */
export const erdCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('erd'))
    .description('Draw the models (or, with --from-db, the live schema) as an entity-relationship diagram.')
    .addOption(new Option('--format <format>', 'mermaid (renders on GitHub), dot (Graphviz source) or svg (runs Graphviz)').choices(FORMATS).default('mermaid'))
    .option('-o, --out <file>', 'write the diagram to this file instead of stdout')
    .option('--from-db', 'draw the tables of the database (through env.ts) instead of the models')
    .action(async (flags: ErdFlags, command) => {
      const { writeFileSync } = await import('node:fs');
      const path = await import('node:path');
      const { erd } = await import('../../migrate/commands/erd.js');
      const { dotErd, mermaidErd } = await import('../../migrate/erd/render.js');
      const config = await loadRunConfig(ctx, command);
      const diagram = await erd(config, { fromDb: flags.fromDb === true, reporter: runReporter(ctx) });
      let text: string;
      if (flags.format === 'mermaid') text = mermaidErd(diagram);
      else if (flags.format === 'dot') text = dotErd(diagram);
      else text = (await import('../../migrate/erd/graphviz.js')).renderSvg(dotErd(diagram));
      if (flags.out === undefined) {
        ctx.output.result(text);
        return;
      }
      const file = path.resolve(ctx.cwd, flags.out);
      writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
      const count = diagram.entities.length;
      ctx.output.status(`Wrote ${count} table${count === 1 ? '' : 's'} to ${file}`);
    });
