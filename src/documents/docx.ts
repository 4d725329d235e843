import Docxtemplater from 'docxtemplater';
import InspectModule from 'docxtemplater/js/inspect-module.js';
import PizZip from 'pizzip';
import { DomainError, FieldIssue } from '../common/errors';
import { FINDING_PLACEHOLDERS, PLACEHOLDERS } from './document-kinds';

/** The largest template accepted. */
export const TEMPLATE_MAX_BYTES = 5 * 1024 * 1024;

const invalid = (details: FieldIssue[]) => new DomainError('VALIDATION', '模板无效', details);

/** docxtemplater's error ids in the bureau's words (its own explanation, in English, follows). */
const ERROR_WORDS: Record<string, string> = {
  unclosed_tag: '标签未闭合',
  unopened_tag: '标签缺少开始符号',
  duplicate_open_tag: '标签开始符号重复',
  duplicate_close_tag: '标签结束符号重复',
  unclosed_loop: '循环未闭合',
  unopened_loop: '循环缺少开始标签',
  closing_tag_does_not_match_opening_tag: '循环的结束标签与开始标签不一致',
  raw_xml_tag_should_be_only_text_in_paragraph: '原始XML标签须独占一段',
};

interface DxtError {
  properties?: { id?: string; explanation?: string; errors?: DxtError[]; xtag?: string };
  message?: string;
}

function reasonsOf(err: unknown): FieldIssue[] {
  const e = err as DxtError;
  const list = e.properties?.errors?.length ? e.properties.errors : [e];
  return list.map((x) => {
    const id = x.properties?.id ?? '';
    const words = ERROR_WORDS[id] ?? '模板语法错误';
    const explanation = x.properties?.explanation ?? x.message ?? '';
    return { field: 'file', reason: `${words}：${explanation}` };
  });
}

function open(bytes: Buffer): PizZip {
  let zip: PizZip;
  try {
    zip = new PizZip(bytes);
  } catch {
    throw invalid([{ field: 'file', reason: '不是DOCX文件（不是ZIP压缩包）' }]);
  }
  if (!zip.file('word/document.xml')) throw invalid([{ field: 'file', reason: '不是DOCX文件（缺少 word/document.xml）' }]);
  return zip;
}

const options = { paragraphLoop: true, linebreaks: true, errorLogging: false } as const;

/**
 * Parses a template (a ZIP with word/document.xml and valid tag syntax) and checks its placeholders
 * against the known ones; returns the tags used, or 400 with every reason.
 */
export function inspectTemplate(bytes: Buffer): string[] {
  if (bytes.length > TEMPLATE_MAX_BYTES) throw invalid([{ field: 'file', reason: `文件超过${TEMPLATE_MAX_BYTES / 1024 / 1024} MB` }]);
  const zip = open(bytes);
  const inspect = new InspectModule();
  try {
    new Docxtemplater(zip, { ...options, modules: [inspect] });
  } catch (err) {
    throw invalid(reasonsOf(err));
  }
  const tags = inspect.getAllTags();
  const issues: FieldIssue[] = [];
  const used: string[] = [];
  for (const [tag, inner] of Object.entries(tags)) {
    used.push(tag);
    if (!Object.hasOwn(PLACEHOLDERS, tag)) issues.push({ field: 'file', reason: `未知占位符：{${tag}}` });
    const children = Object.keys(inner ?? {});
    if (tag === 'findings') {
      for (const c of children) if (!Object.hasOwn(FINDING_PLACEHOLDERS, c)) issues.push({ field: 'file', reason: `未知占位符：{${c}}（在 findings 循环内）` });
    } else if (children.length) issues.push({ field: 'file', reason: `{#${tag}} 不是可循环的占位符（只有 findings 可循环）` });
  }
  if (issues.length) throw invalid(issues);
  return used.sort();
}

/** Fills a template with a notice's values. */
export function renderDocx(template: Buffer, data: Record<string, unknown>): Buffer {
  const doc = new Docxtemplater(new PizZip(template), { ...options, nullGetter: () => '' });
  doc.render(data);
  return doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** The text of a DOCX's body (tests and checks read it). */
export function docxText(bytes: Buffer): string {
  return new Docxtemplater(new PizZip(bytes), options).getFullText();
}
