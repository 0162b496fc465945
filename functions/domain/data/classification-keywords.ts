/**
 * Keyword lists for classification (H-20..H-25), zh-CN and English. Data, not code: a carrier
 * tunes these lists without touching the rules. English keywords match whole words,
 * case-insensitively; Chinese keywords match anywhere (no word boundaries in Chinese text).
 */
import type { Severity } from '../types';

export interface KeywordRule {
  readonly severity: Severity;
  /** Which handbook reason this list stands for (shown in `reasons`). */
  readonly why: string;
  readonly keywords: readonly string[];
}

/** Checked from the most to the least severe; every match is listed in the reasons. */
export const SEVERITY_KEYWORDS: readonly KeywordRule[] = [
  {
    severity: 'urgent',
    why: 'emergency service or life at risk',
    keywords: [
      '无法拨打110', '无法拨打119', '无法拨打120', '无法拨打122', '打不通110', '打不通119', '打不通120',
      '紧急呼叫', '紧急', '急救', '危及生命',
      'emergency', 'cannot call 110', 'cannot call 119', 'cannot call 120', 'life-threatening',
    ],
  },
  {
    severity: 'major',
    why: 'wide impact or social impact (H-21)',
    keywords: [
      '全网', '大面积', '大范围', '整个小区', '多个小区', '整栋楼', '全市', '所有用户',
      'widespread', 'network-wide', 'whole area', 'entire area', 'entire building', 'entire neighborhood', 'all users',
    ],
  },
  {
    severity: 'major',
    why: 'media, regulator or legal action (H-21 social impact)',
    keywords: [
      '媒体', '曝光', '记者', '工信部', '投诉到', '申诉', '12300', '消协', '律师', '起诉', '法院',
      'media', 'journalist', 'press', 'regulator', 'MIIT', 'lawyer', 'lawsuit', 'court',
    ],
  },
  {
    severity: 'major',
    why: 'information security: harms user rights (H-20, H-21)',
    keywords: [
      '泄露', '诈骗', '盗号', '被盗', '盗刷', '个人信息', '隐私', '骚扰电话',
      'data leak', 'leaked', 'fraud', 'scam', 'account stolen', 'hacked', 'identity theft', 'privacy',
    ],
  },
  {
    severity: 'minor',
    why: 'a question or suggestion, no fault',
    keywords: ['咨询', '建议', '询问', 'question', 'suggestion', 'inquiry', 'enquiry'],
  },
];
