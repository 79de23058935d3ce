import type { ImportedArticle } from '../modules/kb/kb-articles.service.ts';

/**
 * The demo company's knowledge base: a few published FAQ entries in Chinese and English, so that a
 * fresh `npm start` shows the help center's search, the widget's suggestions and the robot answering
 * something. Written for Kefu's demo; a company replaces them with its own.
 */
export const DEMO_CATEGORIES = [
  { key: 'account', name: '账号与登录 Account' },
  { key: 'billing', name: '订单与付款 Billing' },
] as const;

type DemoArticle = ImportedArticle & { category: (typeof DEMO_CATEGORIES)[number]['key'] };

export const DEMO_ARTICLES: DemoArticle[] = [
  {
    category: 'account', kind: 'faq', locale: 'zh-CN', title: '忘记密码怎么办？',
    paraphrases: ['密码忘了', '登录不上去，想重置密码', '怎么找回密码'], keywords: ['重置密码'],
    body: '<p>在登录页点击<b>忘记密码</b>，输入注册邮箱，按邮件里的链接设置新密码。链接 1 小时内有效。</p>',
  },
  {
    category: 'account', kind: 'faq', locale: 'zh-CN', title: '如何修改绑定的手机号？',
    paraphrases: ['换手机号了怎么改', '手机号不用了'], keywords: ['手机号'],
    body: '<p>进入<b>个人设置 → 账号安全</b>，验证原手机号或邮箱后填写新号码即可。</p>',
  },
  {
    category: 'billing', kind: 'faq', locale: 'zh-CN', title: '退款多久到账？',
    paraphrases: ['申请退款后什么时候到账', '钱什么时候退回来', '退款进度怎么查'], keywords: ['退款'],
    body: '<p>退款审核通过后，原路退回：微信、支付宝一般 1–3 个工作日，银行卡 3–7 个工作日。可在<b>我的订单</b>里查看进度。</p>',
  },
  {
    category: 'billing', kind: 'faq', locale: 'zh-CN', title: '可以开发票吗？',
    paraphrases: ['怎么开增值税发票', '需要发票', '发票怎么申请'], keywords: ['发票', '增值税发票'],
    body: '<p>订单完成后，在<b>我的订单 → 申请发票</b>填写抬头和税号，电子发票 1 个工作日内发到邮箱。</p>',
  },
  {
    category: 'billing', kind: 'faq', locale: 'zh-CN', title: '支持哪些付款方式？',
    paraphrases: ['能用信用卡付款吗', '怎么付钱'], keywords: ['付款方式'], synonyms: ['付款=支付'],
    body: '<p>支持微信支付、支付宝、银联卡和对公转账。企业客户可申请月结。</p>',
  },
  {
    category: 'account', kind: 'faq', locale: 'en', title: 'How do I reset my password?',
    paraphrases: ['I forgot my password', 'I cannot log in'],
    body: '<p>On the sign-in page choose <b>Forgot password</b>, enter your email and follow the link we send you. The link works for one hour.</p>',
  },
  {
    category: 'billing', kind: 'faq', locale: 'en', title: 'When will I get my refund?',
    paraphrases: ['How long does a refund take?', 'Where is my money back?'], synonyms: ['refund=money back'],
    body: '<p>Once a refund is approved it goes back the way you paid: 1–3 working days for wallets, 3–7 for bank cards.</p>',
  },
  {
    category: 'billing', kind: 'faq', locale: 'en', title: 'Can I get an invoice?',
    paraphrases: ['I need a VAT invoice', 'How do I request an invoice?'],
    body: '<p>After the order is complete, open <b>My orders → Request invoice</b>; the PDF arrives by email within a working day.</p>',
  },
];
