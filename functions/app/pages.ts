/**
 * Minimal accessible HTML pages for the links people open (survey, escalation acknowledgement):
 * zh-CN first, English below; no scripts, no external resources (a later helper styles them).
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

const HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  // The token is in the URL: never leak it in a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

/** `bodyHtml` must already be escaped. */
export function page(statusCode: number, title: Bi, bodyHtml: string): APIGatewayProxyResult {
  const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title.zh)} / ${escapeHtml(title.en)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}fieldset{margin:1rem 0}label{margin-right:1rem}.en{color:#444}button{font-size:1rem;padding:.5rem 1.5rem}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title.zh)} <span class="en" lang="en">${escapeHtml(title.en)}</span></h1>
${bodyHtml}
</main>
</body>
</html>`;
  return { statusCode, headers: HEADERS, body: html };
}

/** A paragraph in both languages. */
export function para(text: Bi): string {
  return `<p>${escapeHtml(text.zh)}</p>\n<p class="en" lang="en">${escapeHtml(text.en)}</p>`;
}

export function messagePage(statusCode: number, title: Bi, text: Bi): APIGatewayProxyResult {
  return page(statusCode, title, para(text));
}

export const PAGES = {
  unknown: () =>
    messagePage(404, { zh: '链接无效', en: 'Link not valid' }, {
      zh: '这个链接无效或不完整。请使用邮件或短信中的完整链接。',
      en: 'This link is not valid or incomplete. Please use the complete link from the email or text message.',
    }),
  used: () =>
    messagePage(410, { zh: '链接已使用', en: 'Link already used' }, {
      zh: '这个链接已经使用过，每个链接只能使用一次。无需再次操作。',
      en: 'This link has already been used; each link works once. Nothing more is needed.',
    }),
  expired: () =>
    messagePage(410, { zh: '链接已过期', en: 'Link expired' }, {
      zh: '这个链接已过期，无法再使用。',
      en: 'This link has expired and can no longer be used.',
    }),
  closed: () =>
    messagePage(410, { zh: '已结束', en: 'No longer open' }, {
      zh: '此事项已经结束，无法再提交。',
      en: 'This step is over; nothing can be submitted any more.',
    }),
  badRequest: (fields: readonly string[]) =>
    messagePage(400, { zh: '提交内容有误', en: 'Invalid submission' }, {
      zh: `请检查以下内容后重试：${fields.join('、')}`,
      en: `Please check and try again: ${fields.join(', ')}`,
    }),
  tooLarge: () =>
    messagePage(413, { zh: '提交内容过长', en: 'Submission too large' }, { zh: '提交的内容太长。', en: 'The submission is too large.' }),
  unsupported: () =>
    messagePage(415, { zh: '不支持的提交格式', en: 'Unsupported submission' }, {
      zh: '请使用页面上的表单提交。',
      en: 'Please submit with the form on the page.',
    }),
  methodNotAllowed: () =>
    messagePage(405, { zh: '不支持的操作', en: 'Not allowed' }, { zh: '不支持此操作。', en: 'This operation is not supported.' }),
  unavailable: () =>
    messagePage(503, { zh: '暂时无法处理', en: 'Temporarily unavailable' }, {
      zh: '系统暂时无法处理，请稍后重试。',
      en: 'The service is temporarily unavailable; please try again shortly.',
    }),
  error: () =>
    messagePage(500, { zh: '出错了', en: 'Something went wrong' }, {
      zh: '处理时出错，请稍后重试。',
      en: 'Something went wrong; please try again later.',
    }),
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
