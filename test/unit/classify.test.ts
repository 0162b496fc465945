import { describe, expect, it } from 'vitest';
import { classify, type ClassifyInput } from '../../functions/domain/classify';

const base: ClassifyInput = { serviceType: 'device', source: 'external', channel: 'phone', description: '' };

type Row = [string, Partial<ClassifyInput>, { severity: string; type: string; team: string; management: boolean; complexity: string }, RegExp?];

// H-20..H-25: Chinese and English descriptions.
const TABLE: Row[] = [
  ['zh general network fault', { serviceType: 'network', description: '家里手机信号很差' }, { severity: 'general', type: 'general', team: 'network-operations', management: false, complexity: 'simple' }],
  ['en general data fault', { serviceType: 'data', description: 'Mobile data is slow in the evening' }, { severity: 'general', type: 'general', team: 'network-operations', management: false, complexity: 'simple' }],
  ['zh device complaint to customer service', { serviceType: 'device', description: '新买的光猫经常重启' }, { severity: 'general', type: 'general', team: 'customer-service', management: false, complexity: 'simple' }],
  ['zh 全网 outage → major', { serviceType: 'network', description: '全网无法上网' }, { severity: 'major', type: 'major', team: 'network-operations', management: true, complexity: 'complex' }, /全网/],
  ['zh 大面积 → major', { serviceType: 'data', description: '我们小区大面积断网三天了' }, { severity: 'major', type: 'major', team: 'network-operations', management: true, complexity: 'complex' }, /大面积/],
  ['zh cannot call 110 → urgent', { serviceType: 'network', description: '手机无法拨打110，情况紧急' }, { severity: 'urgent', type: 'urgent', team: 'network-operations', management: true, complexity: 'complex' }, /无法拨打110/],
  ['en emergency → urgent', { serviceType: 'network', description: 'Cannot call 120 for an ambulance, this is an emergency' }, { severity: 'urgent', type: 'urgent', team: 'network-operations', management: true, complexity: 'complex' }, /emergency/],
  ['zh media / MIIT → major', { serviceType: 'device', description: '再不解决我就找媒体曝光，投诉到工信部' }, { severity: 'major', type: 'major', team: 'customer-service', management: true, complexity: 'complex' }, /媒体/],
  ['en journalist → major', { serviceType: 'device', description: 'I will talk to a journalist about this' }, { severity: 'major', type: 'major', team: 'customer-service', management: true, complexity: 'complex' }, /journalist/],
  ['zh 泄露 → major', { serviceType: 'device', description: '我的个人信息被泄露了' }, { severity: 'major', type: 'major', team: 'customer-service', management: true, complexity: 'complex' }, /泄露/],
  ['zh 诈骗 on data → major, still network-operations', { serviceType: 'data', description: '收到诈骗短信' }, { severity: 'major', type: 'major', team: 'network-operations', management: true, complexity: 'complex' }, /诈骗/],
  ['information-security service type → at least major', { serviceType: 'information-security', description: 'Someone ported my number' }, { severity: 'major', type: 'major', team: 'customer-service', management: true, complexity: 'complex' }, /information-security/],
  ['en account stolen → major', { serviceType: 'device', description: 'My account stolen yesterday' }, { severity: 'major', type: 'major', team: 'customer-service', management: true, complexity: 'complex' }, /account stolen/],
  ['zh 咨询 without hint → minor', { serviceType: 'device', description: '想咨询一下套餐' }, { severity: 'minor', type: 'general', team: 'customer-service', management: false, complexity: 'simple' }, /咨询/],
  ['hint urgent is kept', { serviceType: 'device', severityHint: 'urgent', description: 'billing' }, { severity: 'urgent', type: 'urgent', team: 'customer-service', management: true, complexity: 'complex' }, /hint: urgent/],
  ['keywords never lower a hint', { serviceType: 'device', severityHint: 'major', description: '咨询' }, { severity: 'major', type: 'major', team: 'customer-service', management: true, complexity: 'complex' }],
  ['hint minor raised by 全网', { serviceType: 'network', severityHint: 'minor', description: '全网信号中断' }, { severity: 'major', type: 'major', team: 'network-operations', management: true, complexity: 'complex' }],
  ['third-party source → complex (H-22)', { serviceType: 'device', source: 'third-party', description: '在黑猫投诉平台投诉' }, { severity: 'general', type: 'general', team: 'customer-service', management: false, complexity: 'complex' }, /third-party source/],
  ['third-party platform channel → complex', { serviceType: 'device', channel: 'third-party-platform', description: 'slow repair' }, { severity: 'general', type: 'general', team: 'customer-service', management: false, complexity: 'complex' }, /platform/],
  ['2 prior complaints → complex (H-25)', { serviceType: 'network', priorComplaints: 2, description: '又没信号了' }, { severity: 'general', type: 'general', team: 'network-operations', management: false, complexity: 'complex' }, /H-25/],
  ['1 prior complaint stays simple', { serviceType: 'network', priorComplaints: 1, description: '又没信号了' }, { severity: 'general', type: 'general', team: 'network-operations', management: false, complexity: 'simple' }],
  ['English words match whole words only ("expressway" is not "press")', { serviceType: 'network', description: 'No signal on the expressway' }, { severity: 'general', type: 'general', team: 'network-operations', management: false, complexity: 'simple' }],
  ['English keywords are case-insensitive', { serviceType: 'network', description: 'WIDESPREAD outage downtown' }, { severity: 'major', type: 'major', team: 'network-operations', management: true, complexity: 'complex' }],
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
