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
      '无法拨打110',
      '无法拨打119',
      '无法拨打120',
      '无法拨打122',
      '打不通110',
      '打不通119',
      '打不通120',
      '紧急呼叫',
      '紧急',
      '急救',
      '危及生命',
      'emergency',
      'cannot call 110',
      'cannot call 119',
      'cannot call 120',
      'life-threatening',
    ],
  },
  {
    severity: 'major',
    why: 'wide impact or social impact (H-21)',
    keywords: [
      '全网',
      '大面积',
      '大范围',
      '整个小区',
      '多个小区',
      '整栋楼',
      '全市',
      '所有用户',
      'widespread',
      'network-wide',
      'whole area',
      'entire area',
      'entire building',
      'entire neighborhood',
      'all users',
    ],
  },
  {
    severity: 'major',
    why: 'media, regulator or legal action (H-21 social impact)',
    keywords: [
      '媒体',
      '曝光',
      '记者',
      '工信部',
      '投诉到',
      '申诉',
      '12300',
      '消协',
      '律师',
      '起诉',
      '法院',
      'media',
      'journalist',
      'press',
      'regulator',
      'MIIT',
      'lawyer',
      'lawsuit',
      'court',
    ],
  },
  {
    severity: 'major',
    why: 'information security: harms user rights (H-20, H-21)',
    keywords: [
      '泄露',
      '诈骗',
      '盗号',
      '被盗',
      '盗刷',
      '个人信息',
      '隐私',
      '骚扰电话',
      'data leak',
      'leaked',
      'fraud',
      'scam',
      'account stolen',
      'hacked',
      'identity theft',
      'privacy',
    ],
  },
  {
    severity: 'major',
    why: 'billing or services without consent: harms user rights (H-21 涉及用户权益)',
    keywords: [
      '未经同意扣费',
      '未经同意',
      '未经我同意',
      '未经本人同意',
      '未经允许',
      '乱收费',
      '乱扣费',
      '私自扣费',
      '擅自扣费',
      '私自开通',
      '擅自开通',
      '强制开通',
      '强制捆绑',
      '捆绑销售',
      '用户权益',
      '消费者权益',
      'charged without consent',
      'charged without my consent',
      'without my consent',
      'without my permission',
      'unauthorized charge',
      'unauthorized charges',
      'unauthorised charge',
      'unauthorised charges',
      'hidden fee',
      'hidden fees',
      'hidden charge',
      'hidden charges',
      'subscribed without',
      'signed up without',
      'consumer rights',
      'user rights',
    ],
  },
  {
    severity: 'minor',
    why: 'a question or suggestion, no fault',
    keywords: ['咨询', '建议', '询问', 'question', 'suggestion', 'inquiry', 'enquiry'],
  },
];

/**
 * Negation: a keyword that the text negates does not count ("不紧急", "并不紧急", "不是很紧急",
 * "not an emergency", "no emergency"). A keyword occurrence is negated when the text just before
 * it, in the same clause, ends with a negator, optionally followed by fillers, unless the keyword
 * names a service that follows it ("no emergency calls", 没有紧急呼叫): then the service is what
 * is missing, and the keyword counts.
 */
export const NEGATION = {
  zh: {
    negators: ['不', '并不', '并非', '非', '没有', '没', '无需', '不用', '不算', '毫不'],
    /** Between the negator and the keyword: 不是很紧急, 并不太紧急, 没有那么紧急. */
    fillers: ['是', '是很', '是太', '是那么', '是特别', '是非常', '很', '太', '那么', '特别', '非常', '十分', '算'],
    /** A keyword followed by one of these names a service, and a negation is about the service: 没有紧急呼叫 is urgent. */
    servicesAfter: ['呼叫', '电话', '号码', '服务', '救援', '求助'],
  },
  en: {
    negators: ['not', 'no', 'non', 'never', "isn't", "wasn't", "aren't", "it's not", 'without'],
    /** Up to two of these between the negator and the keyword: "not an emergency", "not really an emergency". */
    fillers: ['a', 'an', 'the', 'really', 'very', 'so', 'too', 'that', 'actual', 'real', 'particularly'],
    /** "no emergency calls go through" is urgent: the negation is about the calls. */
    servicesAfter: ['call', 'calls', 'calling', 'number', 'numbers', 'service', 'services', 'line', 'lines', 'access'],
  },
} as const;

/** Clause boundaries: a negation never reaches across them ("没有信号，紧急" is not negated). */
export const CLAUSE_BREAKS = '，。；！？、,.;!?\n';
