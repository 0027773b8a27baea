/**
 * The error of configuration problems: no `alembic.config.ts`, one that fails to load or declares
 * nonsense, no database URL where a command needs one.
 */
import { TsmigError } from '../../errors.js';

/** The project's configuration is missing, does not load, or lacks what the command needs. */
export class ConfigError extends TsmigError {
  override readonly name: string = 'ConfigError';
}
