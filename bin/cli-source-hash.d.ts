/** The repository's root directory. */
export declare const ROOT: string;
/** Where the compiled CLI is written (dist/cli). */
export declare const CLI_DIST: string;
/** The file holding the hash of the sources the compiled CLI was built from. */
export declare const HASH_FILE: string;
/** The hash of every TypeScript source under src/ but the tests, as they are now. */
export declare function cliSourceHash(): string;
