import { usageError } from './cli-error.ts';

/**
 * Asks for a secret on the terminal without echoing it (the terminal in raw mode, one key at a
 * time): Enter ends it, Backspace takes one character back, Ctrl-C or Ctrl-D gives up.
 */
export function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) return Promise.reject(usageError('no terminal to ask for the password on; use --password-stdin'));
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (err?: Error): void => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004') return done(usageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}
