/** `tsmig list-templates`: the templates `tsmig init --template` accepts. */
import { listTemplates } from '../../migrate/commands/init.js';
import type { CommandDefinition } from '../context.js';

export const listTemplatesCommand: CommandDefinition = (program, ctx) =>
  program
    .command('list-templates')
    .description('List the templates for `tsmig init`.')
    .action(() => {
      const templates = listTemplates();
      const width = Math.max(...templates.map((t) => t.name.length));
      const lines = ['Available templates:', '', ...templates.map((t) => `${t.name.padEnd(width)} - ${t.description}`)];
      lines.push('', 'Templates are used by the init command, e.g.:', '', '  tsmig init --template generic ./migrations');
      ctx.output.result(lines.join('\n'));
    });
