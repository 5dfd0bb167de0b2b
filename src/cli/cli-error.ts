import { EXIT, type ExitCode } from './exit-codes.ts';

/**
 * Codes for failures the CLI detects itself. They start with `CLI_` so they never collide with
 * the server's `FY_` registry (src/domain/errors.ts); a client-side "no such name" reuses
 * `FY_NOT_FOUND` because it means exactly what the server's code means.
 */
export type CliErrorCode =
  | 'CLI_USAGE'
  | 'CLI_UNREACHABLE'
  | 'CLI_BAD_RESPONSE'
  | 'CLI_OPERATION_FAILED'
  | 'CLI_TIMEOUT'
  | 'FY_NOT_FOUND';

/**
 * Every error the CLI reports to a user. main.ts prints `error: CODE: message` and exits with
 * `exitCode`; nothing else in the CLI calls process.exit on failure.
 */
export class CliError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;

  constructor(code: string, message: string, exitCode: ExitCode) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

export const usageError = (message: string): CliError => new CliError('CLI_USAGE', message, EXIT.USAGE);

export const operationFailed = (message: string): CliError =>
  new CliError('CLI_OPERATION_FAILED', message, EXIT.OPERATION_FAILED);

export const timedOut = (message: string): CliError => new CliError('CLI_TIMEOUT', message, EXIT.OPERATION_FAILED);

export const nameNotFound = (kind: string, name: string): CliError =>
  new CliError('FY_NOT_FOUND', `${kind} "${name}" does not exist`, EXIT.NOT_FOUND);
