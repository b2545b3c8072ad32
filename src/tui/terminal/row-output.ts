/**
 * A faster stand-in for Ink's `Output` (ink/build/output.js), the step that
 * turns a laid-out frame into its text. Ink's builds a styled cell for every
 * column of every row and re-derives each cell's escape codes from its
 * neighbour's — most of the console's time per frame. This console's rows are
 * pre-styled strings placed side by side (one Text per row or per pane
 * column), so a row is simply its pieces joined, with spaces in any gap.
 * Anything else — pieces that overlap, a clipped box, a piece off the edge —
 * goes to Ink's own Output, unchanged. The bundle puts this in Ink's place
 * (scripts/bundle-tui.mjs); a test holds the two to the same screen.
 */

type Transformer = (line: string, index: number) => string;

/** One of the operations Ink's renderer records on an Output. */
type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: unknown }
  | { type: 'unclip' };

/** Ink's Output, as its renderer uses it. */
export interface InkOutput {
  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void;
  clip(clip: unknown): void;
  unclip(): void;
  get(): { output: string; height: number };
}

/** Ink's Output class. */
export type InkOutputClass = new (options: { width: number; height: number }) => InkOutput;

/** Widths remembered across frames (a row that did not change is not measured again), up to this many. */
const WIDTHS_KEPT = 20_000;

/** The Output class to use in Ink's place: rows joined directly, everything else by `Original`. */
export function rowOutputClass(Original: InkOutputClass, stringWidth: (text: string) => number): InkOutputClass {
  const widths = new Map<string, number>();
  const widthOf = (text: string): number => {
    let width = widths.get(text);
    if (width === undefined) {
      if (widths.size >= WIDTHS_KEPT) widths.clear();
      width = stringWidth(text);
      widths.set(text, width);
    }
    return width;
  };

  return class RowOutput implements InkOutput {
    private readonly operations: Operation[] = [];
    readonly width: number;
    readonly height: number;

    constructor({ width, height }: { width: number; height: number }) {
      this.width = width;
      this.height = height;
    }

    write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void {
      if (!text) return;
      this.operations.push({ type: 'write', x, y, text, transformers: options.transformers });
    }

    clip(clip: unknown): void {
      this.operations.push({ type: 'clip', clip });
    }

    unclip(): void {
      this.operations.push({ type: 'unclip' });
    }

    get(): { output: string; height: number } {
      return this.joinRows() ?? this.byInk();
    }

    /** Rows as their pieces joined; undefined when a row is not simply pieces side by side. */
    private joinRows(): { output: string; height: number } | undefined {
      const rows: { x: number; line: string; width: number }[][] = Array.from({ length: this.height }, () => []);
      for (const op of this.operations) {
        if (op.type !== 'write') return undefined; // a clipped box: Ink slices what it clips
        if (op.x < 0) return undefined;
        const lines = op.text.split('\n');
        for (let index = 0; index < lines.length; index++) {
          const y = op.y + index;
          if (y < 0 || y >= this.height) continue;
          let line = lines[index]!;
          for (const transform of op.transformers) line = transform(line, index);
          rows[y]!.push({ x: op.x, line, width: widthOf(line) });
        }
      }
      const out: string[] = [];
      for (const pieces of rows) {
        if (pieces.length > 1) pieces.sort((a, b) => a.x - b.x);
        let column = 0;
        let row = '';
        for (const piece of pieces) {
          if (piece.x < column || piece.x + piece.width > this.width) return undefined;
          row += ' '.repeat(piece.x - column) + piece.line;
          column = piece.x + piece.width;
        }
        out.push(row.trimEnd());
      }
      return { output: out.join('\n'), height: this.height };
    }

    private byInk(): { output: string; height: number } {
      const ink = new Original({ width: this.width, height: this.height });
      for (const op of this.operations) {
        if (op.type === 'write') ink.write(op.x, op.y, op.text, { transformers: op.transformers });
        else if (op.type === 'clip') ink.clip(op.clip);
        else ink.unclip();
      }
      return ink.get();
    }
  };
}
