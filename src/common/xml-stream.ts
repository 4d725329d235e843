/**
 * A small streaming XML tokenizer for the parts of an XLSX file. Unlike a general SAX parser it
 * never gathers a text node whole: text reaches the handler in pieces as it streams by, so one
 * huge cell cannot take the process's memory (the handler decides what to keep). Markup (one tag
 * with its attributes) is bounded. Entities are the five of XML and character references; a DOCTYPE
 * (and with it any entity definition) is refused. Tags must nest and close.
 */

export interface XmlHandler {
  /** A start tag (local name, without namespace prefix); a self-closing tag also calls `close`. */
  open(name: string, attrs: Record<string, string>): void;
  close(name: string): void;
  /** Decoded character data, possibly in several pieces per text node. */
  text(piece: string): void;
}

export class XmlError extends Error {}

const MAX_MARKUP = 64 * 1024;
const MAX_DEPTH = 256;
const MAX_ENTITY = 16;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

type State = 'text' | 'markup' | 'entity' | 'cdata';
type MarkupKind = 'element' | 'pi' | 'comment';

export class XmlStream {
  private state: State = 'text';
  /** Markup read so far (after '<'), and what it is once its first characters tell. */
  private markup = '';
  private kind: MarkupKind | null = null;
  private quote = '';
  private entity = '';
  private cdataTail = '';
  private readonly stack: string[] = [];
  private sawRoot = false;

  constructor(private readonly h: XmlHandler) {}

  write(chunk: string): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'text') i = this.scanText(chunk, i);
      else if (this.state === 'markup') i = this.scanMarkup(chunk, i);
      else if (this.state === 'entity') i = this.scanEntity(chunk, i);
      else i = this.scanCdata(chunk, i);
    }
  }

  end(): void {
    if (this.state !== 'text') throw new XmlError('XML 在标记或实体中间结束（文件被截断？）');
    if (this.stack.length) throw new XmlError(`XML 元素 <${this.stack[this.stack.length - 1]}> 没有结束（文件被截断？）`);
    if (!this.sawRoot) throw new XmlError('XML 没有根元素');
  }

  private scanText(chunk: string, from: number): number {
    const lt = chunk.indexOf('<', from);
    const amp = chunk.indexOf('&', from);
    const stop = lt === -1 ? amp : amp === -1 ? lt : Math.min(lt, amp);
    const end = stop === -1 ? chunk.length : stop;
    if (end > from && this.stack.length) this.h.text(chunk.slice(from, end));
    if (stop === -1) return chunk.length;
    if (chunk[stop] === '<') this.startMarkup();
    else this.startEntity();
    return stop + 1;
  }

  private startMarkup(): void {
    this.state = 'markup';
    this.markup = '';
    this.kind = null;
    this.quote = '';
  }

  private startEntity(): void {
    this.state = 'entity';
    this.entity = '';
  }

  private scanMarkup(chunk: string, from: number): number {
    if (!this.kind) return this.classifyMarkup(chunk, from);
    const end = this.kind === 'element' ? this.elementEnd(chunk, from) : this.terminatorEnd(chunk, from, this.kind === 'pi' ? '?>' : '-->');
    this.markup += chunk.slice(from, end === -1 ? chunk.length : end);
    if (this.markup.length > MAX_MARKUP) throw new XmlError('XML 标记过长');
    if (end === -1) return chunk.length;
    this.state = 'text';
    if (this.kind === 'element') this.onElement(this.markup);
    return end + 1;
  }

  /** Reads the markup's first characters until they tell an element, a PI, a comment or CDATA. */
  private classifyMarkup(chunk: string, from: number): number {
    const head = this.markup + chunk.slice(from, from + 9);
    const kind = markupKind(head);
    if (kind === undefined) {
      const took = head.length - this.markup.length;
      this.markup = head;
      return from + took;
    }
    if (kind === 'doctype') throw new XmlError('不支持 XML 文档类型声明（DOCTYPE）');
    if (kind === 'cdata') {
      const taken = '![CDATA['.length - this.markup.length;
      this.state = 'cdata';
      this.cdataTail = '';
      return from + taken;
    }
    this.kind = kind;
    return from; // scanned again as that kind, from the same place
  }

  /** Index of the '>' that ends an element tag (quotes protect '>' in attribute values), or -1. */
  private elementEnd(chunk: string, from: number): number {
    for (let i = from; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.quote) {
        if (c === this.quote.charCodeAt(0)) this.quote = '';
      } else if (c === 0x22 || c === 0x27) {
        this.quote = chunk[i];
      } else if (c === 0x3e) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the last character of `terminator` (which may start in earlier chunks), or -1. */
  private terminatorEnd(chunk: string, from: number, terminator: string): number {
    const carried = Math.min(this.markup.length, terminator.length - 1);
    const s = this.markup.slice(this.markup.length - carried) + chunk.slice(from);
    const before = this.markup.length - carried; // markup characters before s begins
    const at = s.indexOf(terminator, this.kind === 'comment' ? Math.max(0, 3 - before) : 0);
    return at === -1 ? -1 : from + at + terminator.length - 1 - carried;
  }

  private scanCdata(chunk: string, from: number): number {
    const s = this.cdataTail + chunk.slice(from);
    const end = s.indexOf(']]>');
    if (end === -1) {
      // Keep the last two characters back: ']]>' may be split across chunks.
      if (s.length > 2 && this.stack.length) this.h.text(s.slice(0, -2));
      this.cdataTail = s.slice(-2);
      return chunk.length;
    }
    if (end > 0 && this.stack.length) this.h.text(s.slice(0, end));
    this.cdataTail = '';
    this.state = 'text';
    return from + end + 3 - (s.length - (chunk.length - from));
  }

  private scanEntity(chunk: string, from: number): number {
    const semi = chunk.indexOf(';', from);
    const end = semi === -1 ? chunk.length : semi;
    this.entity += chunk.slice(from, end);
    if (this.entity.length > MAX_ENTITY) throw new XmlError('XML 实体无效');
    if (semi === -1) return chunk.length;
    if (this.stack.length) this.h.text(decodeEntity(this.entity));
    this.state = 'text';
    return semi + 1;
  }

  private onElement(m: string): void {
    if (m.startsWith('/')) return this.onClose(localName(m.slice(1).trim()));
    const selfClosing = m.endsWith('/');
    const body = selfClosing ? m.slice(0, -1) : m;
    const nameEnd = body.search(/\s/);
    const name = localName(nameEnd === -1 ? body : body.slice(0, nameEnd));
    if (!name) throw new XmlError('XML 标记无效');
    this.onOpen(name, parseAttributes(nameEnd === -1 ? '' : body.slice(nameEnd)), selfClosing);
  }

  private onOpen(name: string, attrs: Record<string, string>, selfClosing: boolean): void {
    if (!this.stack.length && this.sawRoot) throw new XmlError('XML 有多个根元素');
    this.sawRoot = true;
    this.h.open(name, attrs);
    if (selfClosing) return this.h.close(name);
    if (this.stack.length >= MAX_DEPTH) throw new XmlError('XML 嵌套过深');
    this.stack.push(name);
  }

  private onClose(name: string): void {
    const top = this.stack.pop();
    if (top !== name) throw new XmlError(`XML 结束标记 </${name}> 与 <${top ?? ''}> 不匹配`);
    this.h.close(name);
  }
}

/** What markup starting with `head` (the text after '<') is; undefined while it cannot tell yet. */
function markupKind(head: string): MarkupKind | 'cdata' | 'doctype' | undefined {
  if (!head) return undefined;
  if (head[0] === '?') return 'pi';
  if (head[0] !== '!') return 'element';
  for (const [prefix, kind] of [['!--', 'comment'], ['![CDATA[', 'cdata']] as const) {
    if (head.startsWith(prefix)) return kind;
    if (prefix.startsWith(head)) return undefined;
  }
  return 'doctype';
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
}

const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function parseAttributes(s: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of s.matchAll(ATTRIBUTE)) attrs[localName(m[1])] = decodeText(m[2] ?? m[3] ?? '');
  return attrs;
}

function decodeText(s: string): string {
  return s.includes('&') ? s.replace(/&([^;]{1,16});/g, (_, e: string) => decodeEntity(e)) : s;
}

function decodeEntity(e: string): string {
  const named = NAMED[e];
  if (named !== undefined) return named;
  const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : e.startsWith('#') ? parseInt(e.slice(1), 10) : NaN;
  if (!Number.isInteger(code) || code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new XmlError(`XML 实体无效: &${e.slice(0, 12)};`);
  return String.fromCodePoint(code);
}
