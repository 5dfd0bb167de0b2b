/**
 * What a name may be (names.ts says why), apart from its zod schema so the web console can check
 * a name as it is typed without loading zod.
 */
export const NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,62}$/u;
