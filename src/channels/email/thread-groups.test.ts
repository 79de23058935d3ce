import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { threadGroups } from './ingest-mail.ts';

const head = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n\r\nbody\r\n`);

describe('threadGroups: which mails of a batch must wait for each other', () => {
  it('keeps a sender\'s mails, and a reply with what it answers, in one ordered group; unrelated mails apart', () => {
    const groups = threadGroups([
      { id: 'a', head: head(['From: "Li" <li@x.test>', 'Message-ID: <a@x>']) },
      { id: 'b', head: head(['From: wang@y.test', 'Message-ID: <b@y>']) },
      { id: 'c', head: head(['From: "Zhao" <ZHAO@z.test>', 'Message-ID: <c@z>', 'In-Reply-To: <a@x>']) }, // a colleague of li answers a
      { id: 'd', head: head(['From: Li <li@X.test>', 'Subject: [#12] more']) }, // li again: a [#12] tag only counts for li
      { id: 'e', head: head(['From: sun@w.test', 'References: <zz@elsewhere> <b@y>']) },
      { id: 'f', head: head(['From: qian@v.test', 'Message-ID: <f@v>']) },
      { id: 'g', head: head(['Subject: no sender at all']) },
    ]);
    assert.deepEqual(groups, [['a', 'c', 'd'], ['b', 'e'], ['f'], ['g']]);
  });

  it('folds a header continued over lines and reads only the header block', () => {
    const groups = threadGroups([
      { id: 'a', head: head(['From: a@x.test', 'Message-ID:', ' <long@x>']) },
      { id: 'b', head: Buffer.from('From: b@y.test\r\n\r\nIn-Reply-To: <long@x>\r\n') },
      { id: 'c', head: head(['From: c@z.test', 'References:', '\t<other@q>', '\t<long@x>']) },
    ]);
    assert.deepEqual(groups, [['a', 'c'], ['b']]);
  });
});
