/** `tsmig list-templates`: the templates `tsmig init --template` accepts. */
import type { CommandDefinition } from '../context.js';

export const listTemplatesCommand: CommandDefinition = (program, ctx) =>
  program
    .command('list-templates')
    .description('List the templates for `tsmig init`.')
    .action(async () => {
      const { listTemplates } = await import('../../migrate/commands/init.js');
      const templates = listTemplates();
      const width = Math.max(...templates.map((t) => t.name.length));
      const lines = ['Available templates:', '', ...templates.map((t) => `${t.name.padEnd(width)} - ${t.description}`)];
      lines.push('', 'Templates are used by the init command, e.g.:', '', '  tsmig init --template generic ./migrations');
      ctx.output.result(lines.join('\n'));
    });
