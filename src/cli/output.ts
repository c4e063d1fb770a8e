/** Writing results: plain lines for people (coloured only on a terminal), or JSON for scripts. */
import pc from 'picocolors';
import type { Writer } from './world.js';

export type Colors = ReturnType<typeof pc.createColors>;

export interface Output {
  colors: Colors;
  /** One or more lines for people, on stdout. */
  line(text?: string): void;
  /** The machine-readable result, on stdout. */
  json(value: unknown): void;
  /** A note that is not the result (warnings, hints), on stderr. */
  note(text: string): void;
}

/** Output on the world's stdout and stderr; coloured only when stdout is a terminal and NO_COLOR is unset. */
export function createOutput(world: { stdout: Writer; stderr: Writer; env: NodeJS.ProcessEnv }, options: { color?: boolean } = {}): Output {
  const { stdout, stderr } = world;
  const color = options.color ?? (Boolean(stdout.isTTY) && !('NO_COLOR' in world.env));
  return {
    colors: pc.createColors(color),
    line: (text = '') => void stdout.write(`${text}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    note: (text) => void stderr.write(`${text}\n`),
  };
}

/** Pads plain columns; colour codes go around the padded text, never inside the width. */
export function table(rows: string[][], style: ((cell: string, col: number, row: number) => string) | undefined = undefined): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
    });
  }
  return rows.map((row, r) =>
    row
      .map((cell, i) => {
        const padded = i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length);
        return style ? style(padded, i, r) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
}

/** Prints a table whose first row is the header (dimmed on a terminal). */
export function printTable(out: Output, rows: string[][]): void {
  for (const l of table(rows, (cell, _col, r) => (r === 0 ? out.colors.dim(cell) : cell))) out.line(l);
}
