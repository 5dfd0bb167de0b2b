/**
 * Progress of a long operation (an import, a `--wait`), always on stderr so stdout stays clean
 * for results. On a terminal it is one spinner line rewritten in place; anywhere else (CI logs,
 * pipes, tests) it is one plain line per change of state, because carriage returns and timers
 * only make a mess of a log file.
 */
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): unknown;
}

export class Progress {
  private readonly out: ProgressStream;
  private readonly tty: boolean;
  private readonly started = Date.now();
  private text: string;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;

  constructor(text: string, out: ProgressStream = process.stderr) {
    this.out = out;
    this.tty = out.isTTY === true;
    this.text = text;
    if (this.tty) {
      this.timer = setInterval(() => this.render(), 100);
      this.timer.unref();
      this.render();
    } else {
      this.out.write(`${text}\n`);
    }
  }

  /** Changes the state shown; a repeated state is not printed again. */
  update(text: string): void {
    if (this.finished || text === this.text) return;
    this.text = text;
    if (this.tty) this.render();
    else this.out.write(`${text}\n`);
  }

  /** Ends the display with a final line (✓ or ✗ on a terminal). */
  done(text: string, ok = true): void {
    if (this.finished) return;
    this.stop();
    if (this.tty) this.out.write(`\r\x1b[2K${ok ? '✓' : '✗'} ${text} (${this.elapsed()})\n`);
    else this.out.write(`${text}\n`);
  }

  /** Clears the spinner without a final line (an error message follows from elsewhere). */
  clear(): void {
    if (this.finished) return;
    this.stop();
    if (this.tty) this.out.write('\r\x1b[2K');
  }

  private render(): void {
    const line = `${FRAMES[this.frame++ % FRAMES.length]} ${this.text} (${this.elapsed()})`;
    const width = this.out.columns || 80;
    this.out.write(`\r\x1b[2K${line.length >= width ? `${line.slice(0, width - 2)}…` : line}`);
  }

  private elapsed(): string {
    return `${Math.floor((Date.now() - this.started) / 1000)}s`;
  }

  private stop(): void {
    this.finished = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
