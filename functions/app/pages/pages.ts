/**
 * The HTML pages people open from a link (survey, escalation acknowledgement): zh-CN first with
 * English alongside, mobile-first, one inline stylesheet, no scripts and no external resources
 * (the CSP forbids both), so they work on any phone and without JavaScript.
 * Colours are chosen for a contrast of at least 4.5:1 against their background (WCAG 2.1 AA).
 */
import type { APIGatewayProxyResult } from 'aws-lambda';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** Bilingual text: both parts are escaped when rendered. */
export interface Bi {
  readonly zh: string;
  readonly en: string;
}

/** The mood of a page: sets the badge colour and symbol. */
export type Tone = 'info' | 'ok' | 'warn' | 'error';

const HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  // The token is in the URL: never leak it in a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

/*
 * Palette (contrast on white / on the page background #f4f6f8):
 * text #1b1f24 (16:1), secondary #4a5361 (7.6:1), primary #0a56c2 (6.6:1),
 * ok #1a6b37 (6.5:1), warn #8a4b00 (6.4:1), error #b3261e (6.5:1).
 */
export const PAGE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f4f6f8;color:#1b1f24;font:16px/1.6 -apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif}
.top{background:#0a56c2;color:#ffffff;padding:.75rem 1rem}
.top p{margin:0;max-width:36rem;margin:0 auto;font-weight:600;letter-spacing:.02em}
.top .en{color:#ffffff;opacity:1;font-weight:400}
main{max-width:36rem;margin:0 auto;padding:1rem}
.card{background:#ffffff;border:1px solid #d5dae1;border-radius:12px;padding:1.25rem 1rem;margin:0 0 1rem}
h1{font-size:1.4rem;line-height:1.3;margin:0 0 .75rem}
h1 .en,h2 .en{display:block;font-size:.95rem;font-weight:500}
h2{font-size:1.05rem;margin:0 0 .5rem}
p{margin:0 0 .5rem}
.en{color:#4a5361}
.badge{display:flex;align-items:center;justify-content:center;width:3rem;height:3rem;border-radius:50%;font-size:1.6rem;font-weight:700;color:#ffffff;margin:0 0 .75rem}
.tone-info .badge{background:#0a56c2}.tone-ok .badge{background:#1a6b37}.tone-warn .badge{background:#8a4b00}.tone-error .badge{background:#b3261e}
dl.facts{margin:0;display:grid;grid-template-columns:1fr;gap:.1rem 1rem}
dl.facts dt{font-weight:600;font-size:.9rem;color:#4a5361;margin-top:.5rem}
dl.facts dt .en{font-weight:400}
dl.facts dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
fieldset{border:0;padding:0;margin:0 0 1.25rem;min-width:0}
legend{font-weight:600;padding:0;margin:0 0 .5rem}
legend .en,label .en{font-weight:400}
.choices{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}
.choice{display:flex;align-items:center;gap:.6rem;min-height:3rem;padding:.6rem .8rem;border:2px solid #9aa3ae;border-radius:10px;background:#ffffff;cursor:pointer}
.choice input{width:1.25rem;height:1.25rem;margin:0;accent-color:#0a56c2;flex:none}
.choice:has(input:checked){border-color:#0a56c2;background:#eaf1fc}
.scale{display:grid;grid-template-columns:repeat(5,1fr);gap:.4rem}
.scale .choice{flex-direction:column;justify-content:center;gap:.2rem;padding:.5rem .2rem;text-align:center;font-weight:600}
.hint{display:flex;justify-content:space-between;font-size:.85rem;color:#4a5361;margin:.35rem 0 0}
.field label{display:block;font-weight:600;margin:0 0 .4rem}
textarea,input[type=text]{width:100%;font:inherit;color:#1b1f24;background:#ffffff;border:2px solid #9aa3ae;border-radius:10px;padding:.6rem .75rem}
textarea{min-height:7rem;resize:vertical}
button{display:block;width:100%;min-height:3rem;font:inherit;font-weight:700;color:#ffffff;background:#0a56c2;border:0;border-radius:10px;padding:.75rem 1rem;cursor:pointer}
button:hover{background:#08459c}
button .en{color:#ffffff;font-weight:400}
:focus-visible{outline:3px solid #1b1f24;outline-offset:3px}
.choice:has(input:focus-visible){outline:3px solid #1b1f24;outline-offset:2px}
.choice input:focus-visible{outline:none}
.req{color:#b3261e}
.block{border-top:1px solid #d5dae1;margin-top:1.25rem;padding-top:1.25rem}
section{margin:1rem 0 0}
.note{font-size:.9rem;color:#4a5361;margin-top:1rem}
code{font-size:.85em;background:#eef1f4;border-radius:4px;padding:0 .25rem}
.foot{font-size:.85rem;color:#4a5361;text-align:center;margin:1rem 0 2rem}
@media (min-width:40rem){main{padding:2rem 1rem}.card{padding:1.75rem 2rem}dl.facts{grid-template-columns:auto 1fr}dl.facts dt{margin-top:0}}
@media (prefers-reduced-motion:no-preference){.choice{transition:border-color .15s,background-color .15s}}
`
  .trim()
  .replace(/\n/g, '');

/** `bodyHtml` must already be escaped. */
export function page(statusCode: number, title: Bi, bodyHtml: string, tone?: Tone): APIGatewayProxyResult {
  const badge = tone ? `<div class="badge" aria-hidden="true">${{ info: 'i', ok: '✓', warn: '!', error: '×' }[tone]}</div>\n` : '';
  const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="color-scheme" content="light">
<title>${escapeHtml(title.zh)} / ${escapeHtml(title.en)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header class="top"><p>客户投诉服务 <span class="en" lang="en">Customer complaint service</span></p></header>
<main>
<div class="card${tone ? ` tone-${tone}` : ''}">
${badge}<h1>${escapeHtml(title.zh)} <span class="en" lang="en">${escapeHtml(title.en)}</span></h1>
${bodyHtml}
</div>
<p class="foot">此页面仅供本人使用，请勿转发链接。 <span lang="en">This page is for you only; please do not forward the link.</span></p>
</main>
</body>
</html>`;
  return { statusCode, headers: HEADERS, body: html };
}

/** A paragraph in both languages. */
export function para(text: Bi): string {
  return `<p>${escapeHtml(text.zh)}</p>\n<p class="en" lang="en">${escapeHtml(text.en)}</p>`;
}

/** Bilingual label + plain value pairs as a definition list (values are escaped here). */
export function facts(rows: readonly { readonly label: Bi; readonly value: string }[]): string {
  return `<dl class="facts">\n${rows
    .map(
      (r) =>
        `<dt>${escapeHtml(r.label.zh)} <span class="en" lang="en">${escapeHtml(r.label.en)}</span></dt><dd>${escapeHtml(r.value)}</dd>`,
    )
    .join('\n')}\n</dl>`;
}

/** A heading in both languages for a block inside the page. */
export function heading(text: Bi, id?: string): string {
  return `<h2${id ? ` id="${escapeHtml(id)}"` : ''}>${escapeHtml(text.zh)} <span class="en" lang="en">${escapeHtml(text.en)}</span></h2>`;
}

export function messagePage(statusCode: number, title: Bi, text: Bi, tone: Tone = 'info'): APIGatewayProxyResult {
  return page(statusCode, title, para(text), tone);
}

/** Names the fields a form submission got wrong, in both languages where we know them. */
const FIELD_NAMES: Record<string, Bi> = {
  solved: { zh: '问题是否已解决', en: 'whether your problem is solved' },
  score: { zh: '满意度评分', en: 'satisfaction score' },
  comment: { zh: '意见或建议', en: 'comments' },
  name: { zh: '姓名', en: 'name' },
};

function fieldList(fields: readonly string[]): string {
  if (fields.length === 0) return '';
  const items = fields.map((f) => {
    const known = FIELD_NAMES[f];
    return known
      ? `<li>${escapeHtml(known.zh)} <span class="en" lang="en">${escapeHtml(known.en)}</span> <code>${escapeHtml(f)}</code></li>`
      : `<li><code>${escapeHtml(f)}</code></li>`;
  });
  return `<ul>\n${items.join('\n')}\n</ul>`;
}

export const PAGES = {
  unknown: () =>
    messagePage(
      404,
      { zh: '链接无效', en: 'Link not valid' },
      {
        zh: '这个链接无效或不完整。请使用邮件或短信中的完整链接。',
        en: 'This link is not valid or incomplete. Please use the complete link from the email or text message.',
      },
      'error',
    ),
  used: () =>
    messagePage(
      410,
      { zh: '链接已使用', en: 'Link already used' },
      {
        zh: '这个链接已经使用过，每个链接只能使用一次。无需再次操作。',
        en: 'This link has already been used; each link works once. Nothing more is needed.',
      },
      'ok',
    ),
  expired: () =>
    messagePage(
      410,
      { zh: '链接已过期', en: 'Link expired' },
      {
        zh: '这个链接已过期，无法再使用。如仍有问题，请再次联系我们。',
        en: 'This link has expired and can no longer be used. If the problem persists, please contact us again.',
      },
      'warn',
    ),
  closed: () =>
    messagePage(
      410,
      { zh: '已结束', en: 'No longer open' },
      {
        zh: '此事项已经结束，无法再提交。',
        en: 'This step is over; nothing can be submitted any more.',
      },
      'warn',
    ),
  badRequest: (fields: readonly string[]) =>
    page(
      400,
      { zh: '提交内容有误', en: 'Invalid submission' },
      `${para({
        zh: `请检查以下内容后重试：${fields.join('、')}`,
        en: `Please check and try again: ${fields.join(', ')}`,
      })}
${fieldList(fields)}
<p>请返回上一页修改。 <span class="en" lang="en">Please go back to the previous page and correct it.</span></p>`,
      'warn',
    ),
  tooLarge: () =>
    messagePage(
      413,
      { zh: '提交内容过长', en: 'Submission too large' },
      { zh: '提交的内容太长。', en: 'The submission is too large.' },
      'warn',
    ),
  unsupported: () =>
    messagePage(
      415,
      { zh: '不支持的提交格式', en: 'Unsupported submission' },
      {
        zh: '请使用页面上的表单提交。',
        en: 'Please submit with the form on the page.',
      },
      'warn',
    ),
  methodNotAllowed: () =>
    messagePage(405, { zh: '不支持的操作', en: 'Not allowed' }, { zh: '不支持此操作。', en: 'This operation is not supported.' }, 'warn'),
  unavailable: () =>
    messagePage(
      503,
      { zh: '暂时无法处理', en: 'Temporarily unavailable' },
      {
        zh: '系统暂时无法处理，请稍后重试。',
        en: 'The service is temporarily unavailable; please try again shortly.',
      },
      'warn',
    ),
  error: () =>
    messagePage(
      500,
      { zh: '出错了', en: 'Something went wrong' },
      {
        zh: '处理时出错，请稍后重试。',
        en: 'Something went wrong; please try again later.',
      },
      'error',
    ),
};

/** Wraps a link-page handler: errors become pages (never JSON, never a stack). */
export function htmlErrorPage(error: unknown): APIGatewayProxyResult | undefined {
  const e = error as { name?: string; statusCode?: number; extra?: { errors?: { path: string }[] } };
  if (e?.name === 'HttpError') {
    if (e.statusCode === 413) return PAGES.tooLarge();
    if (e.statusCode === 415) return PAGES.unsupported();
    if (e.statusCode === 400) return PAGES.badRequest((e.extra?.errors ?? []).map((x) => x.path));
  }
  return undefined;
}
