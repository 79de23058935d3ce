import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { detectAuto, type AutoDetection } from './detect-auto.ts';
import { parseMail } from './parse-mail.ts';
import { corpus, corpusFiles } from './test-corpora.ts';

async function detect(raw: string | Buffer): Promise<AutoDetection> {
  const r = await parseMail(typeof raw === 'string' ? Buffer.from(raw.replace(/\r?\n/g, '\r\n')) : raw);
  if (!r.ok) assert.fail(`rejected: ${r.rejection.detail}`);
  return detectAuto(r.mail);
}

const person = 'From: 李雷 <lilei@example.com>\nTo: support@kefu.test\nMessage-ID: <p1@example.com>\n';

describe('detectAuto: headers and subjects', () => {
  const cases: Array<[string, string, AutoDetection['kind']]> = [
    ['a customer writing', `${person}Subject: 订单没有收到\n\n我的订单还没到`, 'normal'],
    ['a customer about an undelivered parcel', `${person}Subject: Re: Undelivered parcel, returned to sender?\n\nMy parcel was returned to sender.`, 'normal'],
    ['a customer asking about auto-replies', `${person}Subject: 关于自动回复的问题\n\n你们的自动回复太慢了`, 'normal'],
    ['Auto-Submitted: no', `${person}Auto-Submitted: no\nSubject: hi\n\nhi`, 'normal'],
    ['Auto-Submitted: auto-replied', `${person}Auto-Submitted: auto-replied\nSubject: Re: hi\n\nthanks`, 'auto_reply'],
    ['Auto-Submitted: auto-generated', `${person}Auto-Submitted: auto-generated\nSubject: report\n\nx`, 'auto_reply'],
    ['Precedence: bulk', `${person}Precedence: bulk\nSubject: newsletter\n\nx`, 'auto_reply'],
    ['Precedence: auto_reply', `${person}Precedence: auto_reply\nSubject: hi\n\nx`, 'auto_reply'],
    ['X-Autoreply', `${person}X-Autoreply: yes\nSubject: hi\n\nx`, 'auto_reply'],
    ['X-Autorespond', `${person}X-Autorespond: 1\nSubject: hi\n\nx`, 'auto_reply'],
    ['X-Auto-Response-Suppress: All', `${person}X-Auto-Response-Suppress: All\nSubject: hi\n\nx`, 'auto_reply'],
    ['List-Id', `${person}List-Id: <users.lists.example.com>\nSubject: [users] hi\n\nx`, 'auto_reply'],
    ['an out-of-office subject', `${person}Subject: Automatic reply: your order\n\nI am away`, 'auto_reply'],
    ['an Outlook OOF', `${person}Subject: Out of Office: 订单\n\nI am away`, 'auto_reply'],
    ['a Chinese auto-reply subject', `${person}Subject: 自动回复：退货\n\n您好，我正在休假`, 'auto_reply'],
    ['a German auto-reply subject', `${person}Subject: Abwesenheitsnotiz: Ihre Anfrage\n\nIch bin nicht im Büro`, 'auto_reply'],
    ['a Japanese auto-reply subject', `${person}Subject: =?UTF-8?B?6Ieq5YuV6L+U5L+hOiDjgYrllY/jgYTlkIjjgo/jgZs=?=\n\n不在です`, 'auto_reply'],
    ['an empty Return-Path', `Return-Path: <>\n${person}Subject: hi\n\nx`, 'auto_reply'],
    ['a mailer-daemon', 'From: MAILER-DAEMON@mx.example.com\nTo: support@kefu.test\nSubject: Undelivered Mail Returned to Sender\n\nsorry', 'bounce'],
    ['postmaster + bounce subject', 'Return-Path: <>\nFrom: postmaster@example.net\nTo: support@kefu.test\nSubject: Undeliverable: 订单\n\nDelivery has failed to these recipients', 'bounce'],
    ['a Chinese bounce (系统退信)', 'From: 系统管理员 <postmaster@qq.example>\nTo: support@kefu.test\nSubject: 系统退信\n\n很抱歉您发送的邮件被退回，投递失败，收件人不存在：<lost@qq.example>', 'bounce'],
    ['a German bounce', 'Return-Path: <>\nFrom: Mail Delivery System <MAILER-DAEMON@gmx.example>\nTo: support@kefu.test\nSubject: Unzustellbar: Ihre Anfrage\n\nx', 'bounce'],
    ['a Japanese bounce', 'Return-Path: <>\nFrom: Mail Administrator <mailadmin@nifty.example>\nTo: support@kefu.test\nSubject: =?UTF-8?B?44Oh44O844Or6YWN5L+h44Ko44Op44O8?=\n\nメールを配信できませんでした', 'bounce'],
    ['X-Failed-Recipients', 'From: mail@relay.example\nTo: support@kefu.test\nX-Failed-Recipients: gone@example.org\nSubject: x\n\nx', 'bounce'],
  ];
  for (const [name, raw, kind] of cases) it(`${name} → ${kind}`, async () => assert.equal((await detect(raw)).kind, kind));
});

describe('detectAuto: bounce details', () => {
  it('reads the failed recipient and the original Message-ID from a DSN', async () => {
    const d = await detect([
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.com>', 'To: support@kefu.test', 'Subject: Undelivered Mail Returned to Sender',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"', '',
      '--B', 'Content-Type: text/plain', '', 'I\'m sorry to have to inform you that your message could not be delivered.', '',
      '--B', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.com', '',
      'Final-Recipient: rfc822; ok@example.org', 'Action: delivered', 'Status: 2.0.0', '',
      'Final-Recipient: rfc822; Gone@Example.org', 'Original-Recipient: rfc822;gone@example.org', 'Action: failed', 'Status: 5.1.1', 'Diagnostic-Code: smtp; 550 5.1.1 user unknown', '',
      '--B', 'Content-Type: text/rfc822-headers', '', 'From: support@kefu.test', 'To: gone@example.org', 'Subject: [#42] 您的工单', 'Message-ID: <reply-42-1@kefu.test>', '',
      '--B--', '',
    ].join('\n'));
    assert.equal(d.kind, 'bounce');
    assert.deepEqual(d.failedRecipients, ['gone@example.org']);
    assert.equal(d.originalMessageId, '<reply-42-1@kefu.test>');
  });

  it('reads a plain-text bounce (qmail style) without taking its own addresses for the failed one', async () => {
    const d = await detect(['From: MAILER-DAEMON@mail.example.net', 'To: support@kefu.test', 'Subject: failure notice', '',
      'Hi. This is the qmail-send program at mail.example.net.', 'I\'m afraid I wasn\'t able to deliver your message to the following addresses.', '',
      '<nobody@example.net>:', 'Sorry, no mailbox here by that name. (#5.1.1)', '', '--- Below this line is a copy of the message.', '',
      'Message-ID: <reply-7@kefu.test>', 'From: support@kefu.test', 'To: nobody@example.net', '', 'hello'].join('\n'));
    assert.equal(d.kind, 'bounce');
    assert.deepEqual(d.failedRecipients, ['nobody@example.net']);
    assert.equal(d.originalMessageId, '<reply-7@kefu.test>');
  });
});

describe('corpus: email-bounces-sisimai (bounces and auto-replies are never taken for a person)', () => {
  const { dir, skip } = corpus('email-bounces-sisimai');
  it('classifies every bounce as expected.json says (vacation → auto-reply, every other reason → bounce); negatives are not bounces', { skip }, async () => {
    const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, Array<{ reason: string }>>;
    // sisimai keeps this one out of its bounce set, but it is a postmaster's "mailbox full" notice with
    // Auto-Submitted and an empty Return-Path: we call it a bounce, and either way never answer it
    const knownBounceInNegatives = new Set(['not-bounces/rb-issue-368-bug.eml']);
    const counts = { bounces: 0, asExpected: 0, withoutExpectation: 0, falseNegatives: 0, wrongKind: 0, negatives: 0, falsePositives: 0, failedRecipientFound: 0, originalIdFound: 0 };
    const misses: string[] = [];
    for (const file of corpusFiles(path.join(dir, 'bounces'), (n) => n.endsWith('.eml'))) {
      const key = `bounces/${path.basename(file)}`;
      const d = await detect(fs.readFileSync(file));
      counts.bounces++;
      if (d.failedRecipients.length) counts.failedRecipientFound++;
      if (d.originalMessageId) counts.originalIdFound++;
      const rows = expected[key];
      if (d.kind === 'normal') { counts.falseNegatives++; misses.push(`${key}: normal`); continue; }
      if (!rows) { counts.withoutExpectation++; continue; } // newer than sisimai's expectations: any machine kind is right
      const want = rows.every((r) => r.reason === 'vacation') ? 'auto_reply' : 'bounce';
      if (d.kind === want) counts.asExpected++;
      else { counts.wrongKind++; misses.push(`${key}: ${d.kind} (${d.reason}), want ${want}`); }
    }
    for (const file of corpusFiles(path.join(dir, 'not-bounces'), (n) => n.endsWith('.eml'))) {
      const key = `not-bounces/${path.basename(file)}`;
      const d = await detect(fs.readFileSync(file));
      counts.negatives++;
      if (d.kind === 'bounce' && !knownBounceInNegatives.has(key)) { counts.falsePositives++; misses.push(`${key}: bounce (${d.reason})`); }
    }
    console.log(`email-bounces-sisimai: ${counts.bounces} bounce mails, ${counts.asExpected} as expected, ${counts.withoutExpectation} without an expectation (classified bounce/auto-reply), `
      + `${counts.falseNegatives} false negatives, ${counts.wrongKind} wrong kind; ${counts.negatives} negatives, ${counts.falsePositives} false positives; `
      + `failed recipient found in ${counts.failedRecipientFound}, original Message-ID in ${counts.originalIdFound}`);
    assert.deepEqual(misses, []);
    assert.ok(counts.bounces > 300);
  });
});

describe('corpus: email-zammad (customer mail stays normal; marked bounces and auto-replies do not)', () => {
  const { dir, skip } = corpus('email-zammad');
  it('matches the index traits, false positives and negatives counted', { skip }, async () => {
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as Array<{ name: string; box: string; traits: string[] }>;
    // where the index's traits (found by grepping headers) and the mail disagree
    const known: Record<string, AutoDetection['kind']> = {
      'mail/mail052': 'bounce', // a Postfix bounce from MAILER-DAEMON with an empty Return-Path; the index has no trait for it
      'mail/mail069': 'normal', // a SpamAssassin report: the Precedence/List-Id markers are inside the attached original, not on the mail
    };
    const counts = { normal: 0, normalOk: 0, auto: 0, autoOk: 0, falsePositives: [] as string[], falseNegatives: [] as string[] };
    for (const e of index) {
      const d = await detect(fs.readFileSync(path.join(dir, e.box)));
      if (known[e.name]) { assert.equal(d.kind, known[e.name], e.name); continue; }
      if (e.traits.includes('bounce-or-autoreply')) {
        counts.auto++;
        if (d.kind !== 'normal') counts.autoOk++; else counts.falseNegatives.push(e.name);
      } else {
        counts.normal++;
        if (d.kind === 'normal') counts.normalOk++; else counts.falsePositives.push(`${e.name} (${d.reason})`);
      }
    }
    console.log(`email-zammad: ${counts.normal} ordinary mails, ${counts.normalOk} normal (false positives: ${counts.falsePositives.length}); `
      + `${counts.auto} marked bounce/auto-reply, ${counts.autoOk} detected (false negatives: ${counts.falseNegatives.length}); ${Object.keys(known).length} index disagreements checked`);
    assert.deepEqual(counts.falsePositives, []);
    assert.deepEqual(counts.falseNegatives, []);
  });
});
