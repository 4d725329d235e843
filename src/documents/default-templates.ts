import PizZip from 'pizzip';
import type { DocumentKind } from './document-kinds';

/**
 * The default template of each kind, in Chinese, valid as-is: a minimal DOCX (WordprocessingML)
 * written with pizzip. Each placeholder sits in one run, so docxtemplater sees whole tags.
 */
interface Para {
  text: string;
  align?: 'center' | 'right' | 'both';
  bold?: boolean;
  /** Half-points (44 = 二号 22 pt). */
  size?: number;
  indent?: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function paragraph(p: Para): string {
  const ppr = `<w:pPr>${p.align ? `<w:jc w:val="${p.align}"/>` : ''}${p.indent ? '<w:ind w:firstLineChars="200" w:firstLine="640"/>' : ''}<w:spacing w:line="440" w:lineRule="exact"/></w:pPr>`;
  const rpr = `<w:rPr><w:rFonts w:ascii="Noto Serif CJK SC" w:eastAsia="Noto Serif CJK SC" w:hAnsi="Noto Serif CJK SC"/>${p.bold ? '<w:b/>' : ''}<w:sz w:val="${p.size ?? 28}"/><w:szCs w:val="${p.size ?? 28}"/></w:rPr>`;
  return `<w:p>${ppr}<w:r>${rpr}<w:t xml:space="preserve">${esc(p.text)}</w:t></w:r></w:p>`;
}

const title = (text: string): Para[] => [
  { text: '{bureauName}', align: 'center', bold: true, size: 36 },
  { text, align: 'center', bold: true, size: 44 },
  { text: '{documentNumber}', align: 'center' },
  { text: '' },
];
const addressee: Para = { text: '{tenantName}（家庭编号：{householdCode}；身份证号：{tenantIdNo}）：' };
const findings: Para[] = [
  { text: '{#findings}' },
  { text: '{index}. {name}：{explanation}。（政策依据：{clause}）', indent: true },
  { text: '{/findings}' },
];
const basis: Para = {
  text: '以上情形依据《公共租赁住房管理办法》及本市公共租赁住房租后管理有关规定认定，认定所依据的政策版本见各项问题。',
  indent: true,
};
const signature: Para[] = [
  { text: '' },
  { text: '联系方式：{bureauContact}', indent: true },
  { text: '' },
  { text: '{bureauName}（盖章）', align: 'right' },
  { text: '{issuedOn}', align: 'right' },
];

const BODIES: Record<DocumentKind, Para[]> = {
  inspection_notice: [
    ...title('入户核查通知书'),
    addressee,
    { text: '您家庭承租的位于{address}的公共租赁住房，经部门数据比对，发现以下情形需要入户核实：', indent: true },
    ...findings,
    basis,
    { text: '我单位将于{inspectionDue}前安排工作人员入户核查，请您予以配合，并备好户口簿、身份证及与上述情形有关的证明材料。无正当理由拒不配合核查的，按有关规定处理。', indent: true },
    ...signature,
  ],
  exit_determination: [
    ...title('退出认定告知书'),
    addressee,
    { text: '经核查，您家庭承租的位于{address}的公共租赁住房存在以下情形，退出性质为{natureLabel}：', indent: true },
    ...findings,
    basis,
    { text: '我单位于{confirmedAt}认定您家庭应当退出所承租的公共租赁住房。', indent: true },
    { text: '如对本认定有异议，您有权在{contestDays}日内（{contestDeadline}前）向我单位提出书面申辩或申请复核，并提交有关证明材料；逾期未提出的，视为无异议。', indent: true },
    ...signature,
  ],
  exit_notice: [
    ...title('退出通知书'),
    addressee,
    { text: '您家庭承租的位于{address}的公共租赁住房，经认定应当退出，退出性质为{natureLabel}，退出原因：{reasons}。具体情形如下：', indent: true },
    ...findings,
    basis,
    { text: '请您于{deadline}前腾退所承租的住房，结清租金及水电等费用，并办理退房手续。', indent: true },
    { text: '自{marketRentFrom}起，按市场租金标准计收租金。逾期拒不腾退的，我单位将依法申请人民法院强制执行。', indent: true },
    { text: '通知日期：{noticeAt}', indent: true },
    ...signature,
  ],
  reminder: [
    ...title('催告书'),
    addressee,
    { text: '我单位已于{noticeAt}向您下达《退出通知书》，要求您于{deadline}前腾退位于{address}的公共租赁住房（退出原因：{reasons}）。截至本催告书发出之日，您仍未腾退。', indent: true },
    ...findings,
    { text: '现依法向您催告：请您立即腾退上述住房并办理退房手续。自{marketRentFrom}起已按市场租金标准计收租金；经催告仍不腾退的，我单位将依法申请人民法院强制执行。', indent: true },
    ...signature,
  ],
};

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;
/** A4 portrait, margins 3.7/3.5/2.8/2.6 cm (the official document layout). */
const SECTION = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>';

/** A DOCX from paragraphs. */
export function buildDocx(paras: Para[]): Buffer {
  const zip = new PizZip();
  zip.file('[Content_Types].xml', CONTENT_TYPES);
  zip.file('_rels/.rels', RELS);
  const body = paras.map(paragraph).join('');
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}${SECTION}</w:body></w:document>`,
  );
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

const built = new Map<DocumentKind, Buffer>();

/** The built-in template of a kind (built once per process). */
export function defaultTemplate(kind: DocumentKind): Buffer {
  let b = built.get(kind);
  if (!b) {
    b = buildDocx(BODIES[kind]);
    built.set(kind, b);
  }
  return b;
}

/** Paragraphs of plain text as a DOCX (tests build bad templates with it). */
export const docxOfLines = (lines: string[]): Buffer => buildDocx(lines.map((text) => ({ text })));
