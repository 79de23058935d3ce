import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { findCommonSignature, foldQuotes } from './fold-quotes.ts';
import { htmlToPlainText } from './sanitize-html.ts';
import { corpus } from './test-corpora.ts';

describe('foldQuotes', () => {
  // [name, text, visible part]; the folded part is always the rest of the text
  const cases: Array<[string, string, string]> = [
    ['no history', '你好，\n订单 123 还没发货。\n谢谢', '你好，\n订单 123 还没发货。\n谢谢'],
    ['Gmail (en)', 'Yes, that works.\n\nOn Mon, Oct 7, 2024 at 10:00 AM Kefu Support <support@kefu.test> wrote:\n> When can we call?\n', 'Yes, that works.'],
    ['Gmail header wrapped over two lines', 'Thanks!\n\nOn Mon, Oct 7, 2024 at 10:00 AM Kefu Support <\nsupport@kefu.test> wrote:\n> Hi', 'Thanks!'],
    ['Gmail (zh)', '好的，谢谢。\n\n客服 <support@kefu.test> 于2024年10月7日周一 10:00写道：\n> 请提供订单号', '好的，谢谢。'],
    ['Apple Mail (zh)', '收到\n\n在 2024年10月7日，上午10:00，客服 <support@kefu.test> 写道：\n\n> 请提供订单号', '收到'],
    ['Thunderbird (de)', 'Passt.\n\nAm 07.10.2024 um 10:00 schrieb Kefu Support:\n> Wann passt es?', 'Passt.'],
    ['Outlook separator', 'See attached.\n\n-----Original Message-----\nFrom: Support\nSent: Monday\nSubject: x\n\nold text', 'See attached.'],
    ['Foxmail / QQ (原始邮件)', '已处理\n\n------------------ 原始邮件 ------------------\n发件人: "客服"<support@kefu.test>;\n发送时间: 2024年10月7日\n收件人: "我"\n主题: 订单', '已处理'],
    ['Outlook header block', 'Please check.\n\n________________________________\nFrom: Kefu Support <support@kefu.test>\nSent: Monday, October 7, 2024 10:00\nTo: Li Lei\nSubject: RE: order\n\nHello', 'Please check.'],
    ['Outlook header block (zh)', '请查收。\n\n发件人: 客服 <support@kefu.test>\n发送时间: 2024年10月7日 10:00\n收件人: 李雷\n主题: 回复: 订单\n\n您好', '请查收。'],
    ['trailing > quotes without a header', 'Agreed.\n\n> earlier text\n> more\n', 'Agreed.'],
    ['signature delimiter', 'Order 123 is missing.\n\n-- \nLi Lei\nACME Ltd.\n\nOn Mon, X wrote:\n> old', 'Order 123 is missing.'],
    ['mobile signature', '好的\n\n发自我的iPhone\n\n在 2024年10月7日 写道：\n> 旧的', '好的'],
    ['"Sent from my iPhone" only at the end', 'Sent from my iPhone? No, from my laptop.\nThanks', 'Sent from my iPhone? No, from my laptop.\nThanks'],
    ['inline answers between quotes stay visible', '> Which order?\n123\n> And the date?\nMonday\n\nThanks', '> Which order?\n123\n> And the date?\nMonday\n\nThanks'],
    ['all quote: shown whole', '> only a quote\n> nothing else', '> only a quote\n> nothing else'],
    ['a sentence starting with "On" is not a header', 'On Monday I ordered a phone.\nIt never arrived.', 'On Monday I ordered a phone.\nIt never arrived.'],
    ['"schrieb" in a sentence is not a header', 'Am Montag schrieb ich Ihnen:\nDas Paket fehlt.', 'Am Montag schrieb ich Ihnen:\nDas Paket fehlt.'],
  ];
  for (const [name, text, visible] of cases) {
    it(name, () => {
      const f = foldQuotes(text);
      assert.equal(f.visible, visible);
      assert.equal(text.startsWith(f.visible), true);
      assert.equal(f.visible.length + (text.length - f.visible.length), text.length);
      if (visible !== text) assert.ok(text.endsWith(f.folded) && f.folded.trim(), 'the rest is folded, not lost');
      else assert.equal(f.folded, '');
    });
  }

  it('folds a signature known for the sender wherever it starts', () => {
    const f = foldQuotes('Bitte prüfen.\n\nMit freundlichen Grüßen\n\nBob Smith\nMusik AG\nTel.: 123', 'Mit freundlichen Grüßen\nBob Smith\nMusik AG\nTel.: 123');
    assert.equal(f.visible, 'Bitte prüfen.');
    assert.equal(f.foldedAt, 'signature');
  });
});

describe('corpus: email-zammad signature_detection (a sender\'s repeated signature is found and folded)', () => {
  const { dir, skip } = corpus('email-zammad');
  it('finds the common signature of each client\'s mails and folds it out of them', { skip }, () => {
    const sigDir = path.join(dir, 'signature_detection');
    const read = (f: string) => { const t = fs.readFileSync(path.join(sigDir, f), 'utf8'); return f.endsWith('.html') ? htmlToPlainText(t) : t; };
    const clients = new Map<string, string[]>();
    for (const f of fs.readdirSync(sigDir).sort()) {
      const m = /^(client_[a-z])_\d+\.(?:txt|html)$/.exec(f);
      if (m) clients.set(m[1], [...(clients.get(m[1]) ?? []), f]);
    }
    let folded = 0;
    let mails = 0;
    const expectedSignatureLines: Record<string, string> = { client_a: 'Bob Smith', client_c: 'Christian Smith Technik' };
    for (const [client, files] of clients) {
      const texts = files.map(read);
      const signature = findCommonSignature(texts);
      assert.ok(signature, `${client}: a signature is found`);
      if (expectedSignatureLines[client]) assert.ok(signature.includes(expectedSignatureLines[client]), `${client}: ${signature.slice(0, 80)}`);
      for (const text of texts) {
        mails++;
        const f = foldQuotes(text, signature);
        if (f.foldedAt) {
          folded++;
          assert.ok(!f.visible.includes(expectedSignatureLines[client] ?? '\u0000'), `${client}: the signature left the visible part`);
        }
      }
    }
    console.log(`signature_detection: ${clients.size} senders, ${mails} mails, signature folded in ${folded}`);
    assert.ok(clients.size >= 2);
    assert.ok(folded >= mails - 1, `folded only ${folded} of ${mails}`);
  });
});
