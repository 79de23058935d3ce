import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { domainOf, fillTemplate, isPermanentSmtpError, languageOf, MAX_REFERENCES, newMessageId, referencesChain, replySubject, retryDelaySeconds, withSignature } from './outbound-compose.ts';
import { quoteStart } from './mail-html.ts';
import { pickTemplate } from './auto-reply.ts';

describe('outgoing mail composition', () => {
  it('replySubject: one "Re:", our tag once, whatever the customer\'s client did to the subject', () => {
    const cases: Array<[string, number, string]> = [
      ['Parcel missing', 7, 'Re: Parcel missing [#7]'],
      ['Re: Parcel missing', 7, 'Re: Parcel missing [#7]'],
      ['RE: Re: AW: Parcel missing [#7]', 7, 'Re: Parcel missing [#7]'],
      ['回复：宽带无法上网 [工单 #12]', 12, 'Re: 宽带无法上网 [#12]'],
      ['Fwd: Re[2]: invoice', 3, 'Re: invoice [#3]'],
      ['[#5] old tag first', 5, 'Re: old tag first [#5]'],
      ['', 9, 'Re: [#9]'],
    ];
    for (const [subject, n, want] of cases) assert.equal(replySubject(subject, n), want, subject);
  });

  it('Message-IDs are on the sender\'s domain and unique', () => {
    const a = newMessageId('Support@Acme.Example');
    assert.match(a, /^<[a-z0-9.]+@acme\.example>$/);
    assert.notEqual(a, newMessageId('support@acme.example'));
    assert.equal(domainOf('broken'), 'kefu.invalid');
  });

  it('referencesChain: oldest first, ends with the id replied to, no duplicates, root kept when bounded', () => {
    assert.deepEqual(referencesChain(['<a@x>', '<b@x>'], '<b@x>'), ['<a@x>', '<b@x>']);
    assert.deepEqual(referencesChain(['<a@x>', '<b@x>', '<c@x>'], '<b@x>'), ['<a@x>', '<c@x>', '<b@x>']);
    assert.deepEqual(referencesChain(['not-an-id', '<a@x>'], null), ['<a@x>']);
    const long = Array.from({ length: 50 }, (_, i) => `<m${i}@x>`);
    const chain = referencesChain(long, '<m49@x>');
    assert.equal(chain.length, MAX_REFERENCES);
    assert.equal(chain[0], '<m0@x>');
    assert.equal(chain.at(-1), '<m49@x>');
  });

  it('language, signature and templates', () => {
    assert.equal(languageOf('您好，订单已发出'), 'zh-CN');
    assert.equal(languageOf('Hello there'), 'en');
    assert.equal(withSignature('Hi\n\n', 'Acme'), 'Hi\n\n-- \nAcme\n');
    assert.equal(withSignature('Hi', '  '), 'Hi\n');
    assert.equal(fillTemplate('{{customer_name}}: #{{number}} {{ subject }} {{unknown}} {{工单号}}', { number: 42, subject: 'Refund', customerName: 'Li' }),
      'Li: #42 Refund {{unknown}} 42');
    const m = { autoReplySubjectZh: '已收到', autoReplySubjectEn: 'Got it', autoReplyBodyZh: '中文正文', autoReplyBodyEn: 'English body' };
    assert.deepEqual(pickTemplate(m, '退款问题'), { body: '中文正文', subject: '已收到' });
    assert.deepEqual(pickTemplate(m, 'refund'), { body: 'English body', subject: 'Got it' });
    assert.deepEqual(pickTemplate({ ...m, autoReplyBodyEn: null, autoReplySubjectEn: null }, 'refund'), { body: '中文正文', subject: '已收到' }, 'the other language when one is missing');
    assert.equal(pickTemplate({ ...m, autoReplyBodyEn: ' ', autoReplyBodyZh: null }, 'x'), null);
  });

  it('retries back off, and 5xx answers are final', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(retryDelaySeconds), [30, 120, 480, 1920, 7200, 7200]);
    assert.equal(isPermanentSmtpError({ responseCode: 550 }), true);
    assert.equal(isPermanentSmtpError({ responseCode: 451 }), false);
    assert.equal(isPermanentSmtpError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' })), false);
  });

  it('quoteStart: the quoted history of common clients, never the whole mail', () => {
    const cases: Array<[string, string | null]> = [
      ['<p>New words</p><blockquote>old</blockquote>', '<blockquote>old</blockquote>'],
      ['<div>Thanks</div><div>On Mon, 1 Jan 2026, Li wrote:</div><blockquote>x</blockquote>', '<div>On Mon, 1 Jan 2026, Li wrote:</div><blockquote>x</blockquote>'],
      ['<p>好的</p><div>------------------ 原始邮件 ------------------</div><div>旧内容</div>', '<div>------------------ 原始邮件 ------------------</div><div>旧内容</div>'],
      ['<p>收到</p><p>在 2026年1月1日，张三 写道：</p><p>旧</p>', '<p>在 2026年1月1日，张三 写道：</p><p>旧</p>'],
      ['<blockquote>only a quote</blockquote>', null],
      ['<p>no history here</p>', null],
    ];
    for (const [html, folded] of cases) {
      const cut = quoteStart(html);
      assert.equal(cut === -1 ? null : html.slice(cut), folded, html);
    }
  });
});
