import { describe, expect, it } from 'vitest';
import { type ClassifyInput, classify } from '../../functions/domain/classify';
import { resolveSlaPolicy } from '../../functions/domain/sla-policy';

const base: ClassifyInput = { serviceType: 'device', source: 'external', channel: 'phone', description: '' };

type Row = [
  string,
  Partial<ClassifyInput>,
  { severity: string; type: string; team: string; management: boolean; complexity: string },
  RegExp?,
];

// H-20..H-25: Chinese and English descriptions.
const TABLE: Row[] = [
  [
    'zh general network fault',
    { serviceType: 'network', description: '家里手机信号很差' },
    { severity: 'general', type: 'general', team: 'network-operations', management: false, complexity: 'simple' },
  ],
  [
    'en general data fault',
    { serviceType: 'data', description: 'Mobile data is slow in the evening' },
    { severity: 'general', type: 'general', team: 'network-operations', management: false, complexity: 'simple' },
  ],
  [
    'zh device complaint to customer service',
    { serviceType: 'device', description: '新买的光猫经常重启' },
    { severity: 'general', type: 'general', team: 'customer-service', management: false, complexity: 'simple' },
  ],
  [
    'zh 全网 outage → major',
    { serviceType: 'network', description: '全网无法上网' },
    { severity: 'major', type: 'major', team: 'network-operations', management: true, complexity: 'complex' },
    /全网/,
  ],
  [
    'zh 大面积 → major',
    { serviceType: 'data', description: '我们小区大面积断网三天了' },
    { severity: 'major', type: 'major', team: 'network-operations', management: true, complexity: 'complex' },
    /大面积/,
  ],
  [
    'zh cannot call 110 → urgent',
    { serviceType: 'network', description: '手机无法拨打110，情况紧急' },
    { severity: 'urgent', type: 'urgent', team: 'network-operations', management: true, complexity: 'complex' },
    /无法拨打110/,
  ],
  [
    'en emergency → urgent',
    { serviceType: 'network', description: 'Cannot call 120 for an ambulance, this is an emergency' },
    { severity: 'urgent', type: 'urgent', team: 'network-operations', management: true, complexity: 'complex' },
    /emergency/,
  ],
  [
    'zh media / MIIT → major',
    { serviceType: 'device', description: '再不解决我就找媒体曝光，投诉到工信部' },
    { severity: 'major', type: 'major', team: 'customer-service', management: true, complexity: 'complex' },
    /媒体/,
  ],
  [
    'en journalist → major',
    { serviceType: 'device', description: 'I will talk to a journalist about this' },
    { severity: 'major', type: 'major', team: 'customer-service', management: true, complexity: 'complex' },
    /journalist/,
  ],
  [
    'zh 泄露 → major',
    { serviceType: 'device', description: '我的个人信息被泄露了' },
    { severity: 'major', type: 'major', team: 'customer-service', management: true, complexity: 'complex' },
    /泄露/,
  ],
  [
    'zh 诈骗 on data → major, still network-operations',
    { serviceType: 'data', description: '收到诈骗短信' },
    { severity: 'major', type: 'major', team: 'network-operations', management: true, complexity: 'complex' },
    /诈骗/,
  ],
  [
    'information-security service type → at least major',
    { serviceType: 'information-security', description: 'Someone ported my number' },
    { severity: 'major', type: 'major', team: 'customer-service', management: true, complexity: 'complex' },
    /information-security/,
  ],
  [
    'en account stolen → major',
    { serviceType: 'device', description: 'My account stolen yesterday' },
    { severity: 'major', type: 'major', team: 'customer-service', management: true, complexity: 'complex' },
    /account stolen/,
  ],
  [
    'zh 咨询 without hint → minor',
    { serviceType: 'device', description: '想咨询一下套餐' },
    { severity: 'minor', type: 'general', team: 'customer-service', management: false, complexity: 'simple' },
    /咨询/,
  ],
  [
    'hint urgent is kept',
    { serviceType: 'device', severityHint: 'urgent', description: 'billing' },
    { severity: 'urgent', type: 'urgent', team: 'customer-service', management: true, complexity: 'complex' },
    /hint: urgent/,
  ],
  [
    'keywords never lower a hint',
    { serviceType: 'device', severityHint: 'major', description: '咨询' },
    { severity: 'major', type: 'major', team: 'customer-service', management: true, complexity: 'complex' },
  ],
  [
    'hint minor raised by 全网',
    { serviceType: 'network', severityHint: 'minor', description: '全网信号中断' },
    { severity: 'major', type: 'major', team: 'network-operations', management: true, complexity: 'complex' },
  ],
  [
    'third-party source → complex (H-22)',
    { serviceType: 'device', source: 'third-party', description: '在黑猫投诉平台投诉' },
    { severity: 'general', type: 'general', team: 'customer-service', management: false, complexity: 'complex' },
    /third-party source/,
  ],
  [
    'third-party platform channel → complex',
    { serviceType: 'device', channel: 'third-party-platform', description: 'slow repair' },
    { severity: 'general', type: 'general', team: 'customer-service', management: false, complexity: 'complex' },
    /platform/,
  ],
  [
    '2 prior complaints → complex (H-25)',
    { serviceType: 'network', priorComplaints: 2, description: '又没信号了' },
    { severity: 'general', type: 'general', team: 'network-operations', management: false, complexity: 'complex' },
    /H-25/,
  ],
  [
    '1 prior complaint stays simple',
    { serviceType: 'network', priorComplaints: 1, description: '又没信号了' },
    { severity: 'general', type: 'general', team: 'network-operations', management: false, complexity: 'simple' },
  ],
  [
    'English words match whole words only ("expressway" is not "press")',
    { serviceType: 'network', description: 'No signal on the expressway' },
    { severity: 'general', type: 'general', team: 'network-operations', management: false, complexity: 'simple' },
  ],
  [
    'English keywords are case-insensitive',
    { serviceType: 'network', description: 'WIDESPREAD outage downtown' },
    { severity: 'major', type: 'major', team: 'network-operations', management: true, complexity: 'complex' },
  ],
];

describe('classify (H-20..H-25)', () => {
  it.each(TABLE)('%s', (_name, input, expected, reason) => {
    const c = classify({ ...base, ...input });
    expect(c).toMatchObject(expected);
    expect(c.serviceType).toBe(input.serviceType ?? base.serviceType);
    expect(c.source).toBe(input.source ?? base.source);
    expect(c.reasons.length).toBeGreaterThan(0);
    if (reason) expect(c.reasons.join(' | ')).toMatch(reason);
  });

  it('reasons name the routing rule (H-24)', () => {
    expect(classify({ ...base, serviceType: 'network', description: 'x' }).reasons.join(' ')).toMatch(/network-operations first \(H-24\)/);
    expect(classify({ ...base, severityHint: 'major', description: 'x' }).reasons.join(' ')).toMatch(/management involved \(H-24\)/);
  });
});

const GENERAL = { severity: 'general', type: 'general', management: false } as const;
const MAJOR = { severity: 'major', type: 'major', management: true, complexity: 'complex' } as const;

describe('negation (H-23): a negated keyword does not raise severity', () => {
  it.each([
    ['这个问题不紧急，只是咨询一下'],
    ['宽带有点慢，不是很急'],
    ['不着急，方便时处理即可'],
    ['网速慢，并不紧急'],
    ['信号差，但不是很紧急'],
    ['没有那么紧急，周末再修也行'],
    ['Not urgent: the router light blinks sometimes'],
    ['No emergency, the line is just noisy'],
    ["It's not an emergency, the signal is weak at night"],
    ['This is a non-emergency request about slow data'],
  ])('%s → not urgent', (description) => {
    const c = classify({ ...base, serviceType: 'network', description });
    expect(RANK_OF[c.severity]).toBeLessThan(RANK_OF.major);
    expect(c.management).toBe(false);
  });

  it('names the negated keyword in the reasons', () => {
    const c = classify({ ...base, description: '这个问题不紧急，只是咨询一下' });
    expect(c).toMatchObject({ severity: 'minor', type: 'general', management: false });
    expect(c.reasons.join(' | ')).toMatch(/'紧急' negated/);
  });

  it('still raises when the keyword is not negated in its own clause', () => {
    expect(classify({ ...base, description: '没有信号，紧急呼叫也打不出' }).severity).toBe('urgent');
    expect(classify({ ...base, description: '情况非常紧急' }).severity).toBe('urgent');
    expect(classify({ ...base, description: 'No signal, this is an emergency' }).severity).toBe('urgent');
    expect(classify({ ...base, description: '不紧急的是账单，但现在无法拨打120' }).severity).toBe('urgent');
    // The negation is about the service named after the keyword: the emergency service is missing.
    expect(classify({ ...base, description: 'No emergency calls go through since this morning' }).severity).toBe('urgent');
    expect(classify({ ...base, description: '手机没有紧急呼叫功能了' }).severity).toBe('urgent');
  });
});

describe('billing and user rights (H-21 涉及用户权益) are major by default', () => {
  it.each([
    ['未经我同意开通增值业务并扣费', /未经我同意/],
    ['每月被未经同意扣费十元', /未经同意扣费/],
    ['营业厅乱收费', /乱收费/],
    ['套餐外乱扣费', /乱扣费/],
    ['私自开通了彩铃业务', /私自开通/],
    ['办宽带被强制捆绑手机卡', /强制捆绑/],
    ['侵害用户权益', /用户权益/],
    ['I was charged without consent for a music service', /charged without consent/],
    ['Two unauthorized charges on my bill', /unauthorized charges/],
    ['The plan has hidden fees', /hidden fees/],
  ])('%s → major', (description, reason) => {
    const c = classify({ ...base, description });
    expect(c).toMatchObject(MAJOR);
    expect(c.reasons.join(' | ')).toMatch(reason);
    expect(c.reasons.join(' | ')).toMatch(/用户权益/);
  });

  it('a plain billing question stays below major', () => {
    expect(classify({ ...base, description: '想咨询一下本月账单明细' })).toMatchObject({ severity: 'minor', management: false });
  });
});

describe('H-25 repeat complaints', () => {
  it('3 earlier complaints in the window: complex and raised from general to major, and the reasons say so', () => {
    const c = classify({ ...base, serviceType: 'network', priorComplaints: 3, description: '又没信号了' });
    expect(c).toMatchObject({ ...MAJOR, priorComplaints: 3 });
    expect(c.reasons).toContain('3 earlier complaints by this customer in 30 days (H-25): the problem keeps coming back → major (H-21)');
    expect(c.reasons.join(' | ')).toMatch(/complex: repeated: 3 earlier complaints by this customer in 30 days \(H-25\)/);
  });

  it('2 earlier complaints: complex, still general', () => {
    expect(classify({ ...base, priorComplaints: 2, description: '光猫又坏了' })).toMatchObject({ ...GENERAL, complexity: 'complex' });
  });

  it('a repeated question stays minor (only general is raised)', () => {
    expect(classify({ ...base, priorComplaints: 5, description: '想咨询一下套餐' })).toMatchObject({
      severity: 'minor',
      management: false,
      complexity: 'complex',
    });
  });

  it('follows the policy: window, complexAt and majorAt (null never raises)', () => {
    const repeat = resolveSlaPolicy({ repeatComplaints: { window: 'P7D', complexAt: 1, majorAt: null } }).repeatComplaints;
    const c = classify({ ...base, priorComplaints: 4, description: '光猫又坏了' }, repeat);
    expect(c).toMatchObject({ ...GENERAL, complexity: 'complex' });
    expect(c.reasons.join(' | ')).toMatch(/4 earlier complaints by this customer in 7 days \(H-25\)/);
    expect(classify({ ...base, priorComplaints: 1, description: '光猫又坏了' }, repeat).complexity).toBe('complex');
  });

  it('without a count (not looked up) nothing is said about repeats', () => {
    const c = classify({ ...base, description: '光猫又坏了' });
    expect(c.priorComplaints).toBeUndefined();
    expect(c.reasons.join(' | ')).not.toMatch(/H-25/);
  });
});

const RANK_OF = { minor: 0, general: 1, major: 2, urgent: 3 } as const;
