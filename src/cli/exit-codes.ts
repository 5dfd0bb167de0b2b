import type { ErrorCode } from '../domain/errors.ts';

/**
 * The CLI's exit codes. They are part of its interface: scripts branch on them, so a code's
 * meaning never changes and new meanings get new numbers.
 *
 * | code | meaning                                                                  |
 * | ---- | ------------------------------------------------------------------------ |
 * | 0    | success                                                                  |
 * | 1    | any other failure (server error, unexpected response)                    |
 * | 2    | usage error: bad flags or arguments, or the server rejected the input    |
 * | 3    | not found: the named object does not exist                               |
 * | 4    | conflict: name taken, object in use or changed, no capacity              |
 * | 5    | the API server cannot be reached                                         |
 * | 6    | the operation failed or did not finish within `--timeout`                |
 * | 7    | forbidden: your role does not allow this (HTTP 403)                      |
 * | 8    | not authenticated: no token, an invalid one, or a wrong password (401)   |
 *
 * 7 and 8 are apart because they call for different fixes: 8 for a (new) login or token, 7 for
 * an admin to act or to grant the role.
 */
export const EXIT = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  NOT_FOUND: 3,
  CONFLICT: 4,
  UNREACHABLE: 5,
  OPERATION_FAILED: 6,
  FORBIDDEN: 7,
  UNAUTHENTICATED: 8,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Server error codes with a CLI exit code of their own. Keyed by code, never by message text;
 * a code missing here (say, one a newer server added) falls back to its HTTP status.
 */
const EXIT_BY_SERVER_CODE: Partial<Record<ErrorCode, ExitCode>> = {
  FY_VALIDATION: EXIT.USAGE,
  FY_BAD_JSON: EXIT.USAGE,
  FY_BAD_ID: EXIT.USAGE,
  FY_BAD_CURSOR: EXIT.USAGE,
  FY_NOT_FOUND: EXIT.NOT_FOUND,
  // A missing route means client and server disagree on the API, not that an object is absent.
  FY_ROUTE_NOT_FOUND: EXIT.FAILURE,
  FY_NAME_TAKEN: EXIT.CONFLICT,
  FY_VERSION_CONFLICT: EXIT.CONFLICT,
  FY_IMAGE_IN_USE: EXIT.CONFLICT,
  FY_STORAGE_IN_USE: EXIT.CONFLICT,
  FY_APPLIANCE_DELETING: EXIT.CONFLICT,
  FY_NO_CAPACITY: EXIT.CONFLICT,
  FY_HA_ADMISSION: EXIT.CONFLICT,
  FY_IMAGE_SOURCE: EXIT.OPERATION_FAILED,
  FY_DRIVER_FAILED: EXIT.OPERATION_FAILED,
  FY_FORBIDDEN: EXIT.FORBIDDEN,
  FY_CSRF: EXIT.FORBIDDEN,
  FY_UNAUTHENTICATED: EXIT.UNAUTHENTICATED,
  FY_LOGIN_FAILED: EXIT.UNAUTHENTICATED,
};

/** The exit code for a server error, from its code first and its HTTP status second. */
export function exitCodeForServerError(code: string, status: number): ExitCode {
  const known = EXIT_BY_SERVER_CODE[code as ErrorCode];
  if (known !== undefined) return known;
  if (status === 404) return EXIT.NOT_FOUND;
  if (status === 409) return EXIT.CONFLICT;
  if (status === 403) return EXIT.FORBIDDEN;
  if (status === 401) return EXIT.UNAUTHENTICATED;
  if (status === 400 || status === 413 || status === 415) return EXIT.USAGE;
  return EXIT.FAILURE;
}
