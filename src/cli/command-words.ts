import { usageError } from './cli-error.ts';

/**
 * Splits a `--command "…"` value into argv words the way a POSIX shell would, without running
 * one: whitespace separates words, '…' quotes literally, "…" quotes with \" \\ \$ \` escapes,
 * and a backslash outside quotes escapes the next character. Nothing is expanded. A value that
 * is a JSON array of strings is taken as the argv itself, for words no quoting makes readable.
 */
export function splitCommand(input: string): string[] {
  const trimmed = input.trim();
  if (trimmed.startsWith('[')) return jsonArgv(trimmed);
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < input.length && '"\\$`'.includes(input[i + 1]!)) word += input[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 < input.length) word += input[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw usageError(`--command has an unterminated ${quote} quote`);
  if (inWord) words.push(word);
  if (words.length === 0) throw usageError('--command is empty');
  return words;
}

function jsonArgv(text: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw usageError('--command starts with "[" but is not a JSON array');
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every((w) => typeof w === 'string')) {
    throw usageError('--command as JSON must be a non-empty array of strings');
  }
  return value;
}
