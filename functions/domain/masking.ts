/**
 * H-42 (PIPL, Data Security Law): personal data never leaves in clear through logs, staff
 * emails or execution data. Masks keep just enough to recognise a record (a few leading and
 * trailing characters) and nothing to reach the person.
 */

const MASK = '*';

/**
 * Mainland mobile '13812345678' → '138****5678' (a +86/0086 prefix is kept as '+86 ');
 * landline '010-87654321' → '010-******21' (area code kept, extension dropped); anything else
 * keeps only its last 2 digits.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const international = /^\s*(?:\+|00)?86(?=[\s-]?1[3-9])/.test(phone) && /^(?:0086|86)1[3-9]\d{9}$/.test(digits);
  const national = international ? digits.replace(/^(?:0086|86)/, '') : digits;
  if (/^1[3-9]\d{9}$/.test(national)) return `${international ? '+86 ' : ''}${national.slice(0, 3)}${MASK.repeat(4)}${national.slice(-4)}`;
  const landline = /^(0(?:10|2\d|[3-9]\d{2}))(\d{7,8})/.exec(national);
  if (landline) return `${landline[1]}-${MASK.repeat(landline[2]!.length - 2)}${landline[2]!.slice(-2)}`;
  if (national.length < 6) return MASK.repeat(4);
  return `${MASK.repeat(national.length - 2)}${national.slice(-2)}`;
}

/** 'zhang.san@example.com' → 'z***@example.com' (the domain stays: it identifies nobody). */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return MASK.repeat(3);
  return `${email[0]}${MASK.repeat(3)}${email.slice(at)}`;
}

/** China resident ID (18 or 15 characters) → first 3 and last 2 kept: '110***********123X' style. */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length < 6) return MASK.repeat(s.length || 4);
  return `${s.slice(0, 3)}${MASK.repeat(s.length - 5)}${s.slice(-2)}`;
}

// Patterns work inside Chinese text, which has no word boundaries: digits are fenced by (?<!\d) (?!\d).
const ID_18 = /(?<![\dA-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])/g;
const ID_15 = /(?<![\dA-Za-z])[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![\dA-Za-z])/g;
/** Mobile: optional +86 / 0086 / 86, then 1[3-9] and 9 digits, with optional spaces or hyphens in 3-4-4 groups. */
const MOBILE = /(?<![\d+])(?:(?:\+|00)?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;
/** Landline: area code 0xx or 0xxx, optional parentheses/hyphen/space, 7-8 digits, optional extension. */
const LANDLINE = /(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3})[\s-]?\d{7,8}(?:[\s-]?(?:ext\.?|转|x)\s?\d{1,6})?(?!\d)/gi;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Finds phone numbers (mobile with or without +86, landlines), emails and resident ID numbers in free text and masks them. */
export function redactPersonalData(text: string): string {
  return text
    .replace(EMAIL, (m) => maskEmail(m))
    .replace(ID_18, (m) => maskIdNumber(m))
    .replace(ID_15, (m) => maskIdNumber(m))
    .replace(MOBILE, (m) => maskPhone(m))
    .replace(LANDLINE, (m) => maskPhone(m.replace(/[\s-]?(?:ext\.?|转|x)\s?\d{1,6}$/i, '')));
}

/** True when the text still holds something that looks like personal data (used by tests and the log scanner). */
export function containsPersonalData(text: string): boolean {
  return [EMAIL, ID_18, ID_15, MOBILE, LANDLINE].some((re) => new RegExp(re.source, re.flags.replace('g', '')).test(text));
}
