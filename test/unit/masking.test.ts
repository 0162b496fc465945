import { describe, expect, it } from 'vitest';
import { containsPersonalData, maskEmail, maskIdNumber, maskPhone, redactPersonalData } from '../../functions/domain/masking';

describe('masking (H-42)', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['+8613812345678', '+86 138****5678'],
    ['+86 138-1234-5678', '+86 138****5678'],
    ['0086 139 1234 5678', '+86 139****5678'],
    ['010-87654321', '010-******21'],
    ['(021)12345678', '021-******78'],
    ['0755-2345678', '0755-*****78'],
    ['12345', '****'],
  ])('maskPhone(%s) = %s', (input, out) => expect(maskPhone(input)).toBe(out));

  it('maskEmail keeps the first letter and the domain', () => {
    expect(maskEmail('zhang.san@example.com')).toBe('z***@example.com');
    expect(maskEmail('not-an-email')).toBe('***');
  });

  it('maskIdNumber keeps 3 leading and 2 trailing characters', () => {
    expect(maskIdNumber('11010119900307123X')).toBe('110*************3X');
    expect(maskIdNumber('110101900307123')).toBe('110**********23');
  });

  it('redacts phones, emails and ID numbers inside Chinese and English text', () => {
    const text =
      '客户张先生，手机13812345678，备用+86 139-1234-5678，座机010-87654321转123，' +
      '身份证号11010119900307123X，邮箱zhang.san@example.com。Call him on 0086 13712345678.';
    const out = redactPersonalData(text);
    for (const secret of ['13812345678', '1234-5678', '87654321', '11010119900307123X', 'zhang.san', '13712345678']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('138****5678');
    expect(out).toContain('z***@example.com');
    expect(out).toContain('110*************3X');
    expect(out).toContain('客户张先生');
    expect(containsPersonalData(text)).toBe(true);
    expect(containsPersonalData(out)).toBe(false);
  });

  it('leaves ordinary numbers alone: amounts, dates, short codes, service numbers', () => {
    const text = '2026-09-30 缴费 138 元，订单号 20260930123456789012，拨打10086，套餐 99 元';
    expect(redactPersonalData(text)).toBe(text);
    expect(containsPersonalData(text)).toBe(false);
  });
});
