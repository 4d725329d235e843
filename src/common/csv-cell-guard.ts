import { Transform, TransformCallback } from 'node:stream';
import { FileFormatError } from './tabular-limits';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

const enum State {
  /** At the start of a cell. */
  Start,
  Unquoted,
  Quoted,
  /** A quote met inside a quoted cell: an escaped quote if another follows, else the closing one. */
  QuoteInQuoted,
}

/**
 * Bounds every CSV cell as the decoded text streams to the parser: a cell keeps at most
 * `maxChars + 1` characters, the rest is dropped, so an over-long cell reaches the parser one
 * character too long (its record is rejected) and an unterminated quote cannot pull the rest of a
 * file into memory. Line breaks inside a quoted cell are kept, so line numbers stay right; a cell
 * holding more line breaks than `maxChars` ends the file (no reader could place its records).
 */
export class CsvCellGuard extends Transform {
  private state = State.Start;
  /** Characters of the current cell (an escaped quote counts once). */
  private length = 0;
  /** Line breaks kept inside the current cell after it went over the limit. */
  private keptBreaks = 0;
  /** The previous quote was dropped: it must be written if it turns out to close the cell. */
  private droppedQuote = false;
  private line = 1;
  private cellLine = 1;

  constructor(private readonly maxChars: number) {
    super({ decodeStrings: false, encoding: 'utf8' });
  }

  override _transform(chunk: string | Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      cb(null, this.scan(String(chunk)));
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    cb(null, this.droppedQuote ? '"' : '');
  }

  private get over(): boolean {
    return this.length > this.maxChars;
  }

  /** The chunk less the characters of cells beyond the limit. */
  private scan(chunk: string): string {
    const out: string[] = [];
    let keptFrom = 0; // start of the run of characters being kept, or -1 while dropping
    const drop = (i: number) => {
      if (keptFrom !== -1) out.push(chunk.slice(keptFrom, i));
      keptFrom = -1;
    };
    const keep = (i: number) => {
      if (keptFrom === -1) keptFrom = i;
    };
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === LF) this.line++;
      const decision = this.step(c);
      if (this.droppedQuote && this.state !== State.QuoteInQuoted) {
        // The dropped quote closed the cell: write it before this character.
        this.droppedQuote = false;
        drop(i);
        out.push('"');
      }
      if (decision === 'keep') keep(i);
      else drop(i);
    }
    if (keptFrom !== -1) out.push(chunk.slice(keptFrom));
    return out.join('');
  }

  /** Moves the state machine over one character; says whether the character is written. */
  private step(c: number): 'keep' | 'drop' {
    switch (this.state) {
      case State.Start:
        return this.startCell(c);
      case State.Unquoted:
        if (c === COMMA || c === LF || c === CR) {
          this.state = State.Start;
          return 'keep';
        }
        return this.content();
      case State.Quoted:
        if (c === QUOTE) {
          this.state = State.QuoteInQuoted;
          this.droppedQuote = this.over;
          return this.over ? 'drop' : 'keep';
        }
        if (c === LF || c === CR) return this.lineBreakInCell();
        return this.content();
      case State.QuoteInQuoted:
        if (c === QUOTE) {
          // An escaped quote: one character of content, written as the pair or not at all.
          this.state = State.Quoted;
          const dropping = this.droppedQuote;
          this.droppedQuote = false;
          this.length++;
          return dropping || this.length > this.maxChars + 1 ? 'drop' : 'keep';
        }
        // The quote closed the cell; what follows up to the delimiter counts as more content.
        this.state = State.Unquoted;
        return this.step(c);
    }
  }

  private startCell(c: number): 'keep' {
    this.length = 0;
    this.keptBreaks = 0;
    this.cellLine = this.line;
    if (c === QUOTE) this.state = State.Quoted;
    else if (c !== COMMA && c !== LF && c !== CR) {
      this.state = State.Unquoted;
      this.length = 1;
    }
    return 'keep';
  }

  private content(): 'keep' | 'drop' {
    this.length++;
    return this.length > this.maxChars + 1 ? 'drop' : 'keep';
  }

  private lineBreakInCell(): 'keep' {
    if (this.over && ++this.keptBreaks > this.maxChars) {
      throw new FileFormatError(`文件格式错误: 第 ${this.cellLine} 行开始的单元格超过 ${this.maxChars} 个字符且跨越过多行（引号可能不匹配）`);
    }
    return 'keep';
  }
}
