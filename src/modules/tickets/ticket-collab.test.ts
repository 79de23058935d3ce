import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq, like } from 'drizzle-orm';
import { jobs } from '../../events/events.schema.ts';
import { attachments } from '../attachments/attachments.schema.ts';
import { systemCtx } from '../context.ts';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';
import { ingest } from './tickets.service.ts';

type Notification = { kind: string; ticketId: string | null; data: Record<string, unknown> };

describe('tickets together: followers, @mentions, merge, links', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let admin: Client;
  let li: Client;
  let wang: Client;
  let zhao: Client;
  let support: string;
  let sales: string;
  let invitedId: string;
  let seq = 0;

  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    admin = await acme.admin();
    support = (await admin.post('/api/v1/departments', { name: '售后' })).json().id;
    sales = (await admin.post('/api/v1/departments', { name: '售前' })).json().id;
    li = await acme.agent('li@acme.test', { departmentIds: [support] });
    wang = await acme.agent('wang@acme.test', { departmentIds: [support] });
    zhao = await acme.agent('zhao@acme.test', { departmentIds: [sales] });
    const roles = (await admin.get('/api/v1/roles')).json().items as Array<{ id: string; builtin: string | null }>;
    invitedId = (await admin.post('/api/v1/staff/invitations', { email: 'new@acme.test', name: 'Newbie', roleId: roles.find((r) => r.builtin === 'agent')!.id, departmentIds: [support] })).json().id;
    await srv.drain();
  });
  after(async () => { await srv.close(); });

  const ctx = () => systemCtx(srv.database.db, acme.id, 'test');
  /**
   * A customer's email in the given department: a ticket the way channels open them. Its events are
   * delivered at once (notifications are worked out at delivery, from who follows the ticket then).
   */
  const customerTicket = async (departmentId: string, subject: string, email = `c${++seq}@example.com`) => {
    const { ticketId } = await ingest(ctx(), { channel: 'email', externalId: `<t${++seq}@example.com>`, identity: { kind: 'email', value: email, name: `客户${seq}` }, subject, body: `${subject}，请帮忙`, departmentId });
    await srv.drain();
    return ticketId;
  };
  const customerWrites = (ticketId: string, email: string, body: string) =>
    ingest(ctx(), { channel: 'email', externalId: `<r${++seq}@example.com>`, identity: { kind: 'email', value: email }, body, threadHints: { ticketId } });
  const inbox = async (c: Client): Promise<Notification[]> => (await c.get('/api/v1/notifications')).json().items;
  const kindsFor = async (c: Client, ticketId: string) => (await inbox(c)).filter((n) => n.ticketId === ticketId).map((n) => n.kind).sort();
  const detail = async (c: Client, id: string) => (await c.get(`/api/v1/tickets/${id}`)).json();

  it('following: yourself freely, a colleague only when active and able to open the ticket; idempotent; history for changes by others', async () => {
    const t = await customerTicket(support, '路由器坏了');
    const self = await li.put(`/api/v1/tickets/${t}/followers/${li.userId}`);
    assert.equal(self.statusCode, 200, self.body);
    assert.deepEqual(self.json().followers, [li.userId]);
    const added = await li.put(`/api/v1/tickets/${t}/followers/${wang.userId}`);
    assert.deepEqual(added.json().followers.sort(), [li.userId, wang.userId].sort());
    assert.equal((await li.put(`/api/v1/tickets/${t}/followers/${wang.userId}`)).statusCode, 200, 'adding again is fine');

    const blind = await li.put(`/api/v1/tickets/${t}/followers/${zhao.userId}`);
    assert.equal(blind.statusCode, 400);
    assert.match(blind.json().message, /zhao 无权查看工单 #\d+，不能关注该工单/);
    const inactive = await li.put(`/api/v1/tickets/${t}/followers/${invitedId}`);
    assert.equal(inactive.statusCode, 400);
    assert.match(inactive.json().message, /Newbie 的账号尚未激活或已停用，不能关注该工单/);
    assert.equal((await li.put(`/api/v1/tickets/${t}/followers/00000000-0000-4000-8000-000000000000`)).statusCode, 404);
    assert.equal((await zhao.put(`/api/v1/tickets/${t}/followers/${zhao.userId}`)).statusCode, 404, 'a ticket zhao cannot see cannot be followed');

    let d = await detail(li, t);
    assert.deepEqual(d.followers.sort(), [li.userId, wang.userId].sort());
    assert.deepEqual(d.history.filter((h: { action: string }) => h.action.startsWith('follower')).map((h: { action: string; changes: unknown }) => [h.action, h.changes]),
      [['follower_added', { follower: [null, wang.userId] }]], 'only adding someone else is history, once');

    assert.deepEqual((await wang.del(`/api/v1/tickets/${t}/followers/${wang.userId}`)).json().followers, [li.userId]);
    assert.deepEqual((await wang.del(`/api/v1/tickets/${t}/followers/${li.userId}`)).json().followers, []);
    assert.deepEqual((await wang.del(`/api/v1/tickets/${t}/followers/${li.userId}`)).json().followers, [], 'removing again is fine');
    d = await detail(admin, t);
    assert.deepEqual(d.followers, []);
    assert.deepEqual(d.history.filter((h: { action: string }) => h.action === 'follower_removed').map((h: { actorId: string; changes: unknown }) => [h.actorId, h.changes]),
      [[wang.userId, { follower: [li.userId, null] }]]);
  });

  it('followers hear of customer replies, assignment, escalation and resolve/close, once per event and never of their own doing; by mail too', async () => {
    const email = `follow${++seq}@example.com`;
    const t = await customerTicket(support, '账单疑问', email);
    await li.put(`/api/v1/tickets/${t}/followers/${li.userId}`);
    await li.put(`/api/v1/tickets/${t}/followers/${wang.userId}`);
    await srv.drain();

    await customerWrites(t, email, '还在吗？');
    await srv.drain();
    assert.deepEqual(await kindsFor(li, t), ['follow_reply']);
    assert.deepEqual(await kindsFor(wang, t), ['follow_reply']);

    // li takes it: li caused it (nothing for li), wang hears who holds it now
    assert.equal((await li.put(`/api/v1/tickets/${t}/assignee`, { assigneeId: li.userId })).statusCode, 200);
    await srv.drain();
    assert.deepEqual(await kindsFor(li, t), ['follow_reply']);
    const assigned = (await inbox(wang)).find((n) => n.ticketId === t && n.kind === 'follow_assigned');
    assert.equal(assigned?.data.assignee, 'li');

    // li is assignee and follower: one notification for the reply, as the assignee
    await customerWrites(t, email, '我再补充一下');
    await srv.drain();
    assert.deepEqual(await kindsFor(li, t), ['customer_reply', 'follow_reply']);
    assert.deepEqual(await kindsFor(wang, t), ['follow_assigned', 'follow_reply', 'follow_reply']);

    assert.equal((await li.post(`/api/v1/tickets/${t}/escalate`, { reason: '客户很着急', source: 'customer' })).statusCode, 200);
    await srv.drain();
    assert.ok((await kindsFor(wang, t)).includes('follow_escalated'));
    assert.ok(!(await kindsFor(li, t)).some((k) => k.includes('escalated')), 'li escalated it');
    assert.ok((await kindsFor(admin, t)).includes('escalated'), 'the administrator hears as before');

    // a priority change is no news; resolving is
    await wang.patch(`/api/v1/tickets/${t}`, { priority: 'high' });
    await wang.patch(`/api/v1/tickets/${t}`, { status: 'resolved' });
    await srv.drain();
    const status = (await inbox(li)).filter((n) => n.ticketId === t && n.kind === 'follow_status');
    assert.deepEqual(status.map((n) => n.data.status), ['resolved']);
    assert.ok(!(await kindsFor(wang, t)).includes('follow_status'), 'wang resolved it');

    const mails = (await admin.get('/api/v1/outbox?to=wang%40acme.test')).json().items as Array<{ subject: string; text: string }>;
    assert.ok(mails.some((m) => /客户回复了/.test(m.subject) && m.subject.includes('账单疑问')), mails.map((m) => m.subject).join('\n'));
    assert.ok(mails.some((m) => m.subject.includes('已分配给 li')));

    // a follower who may no longer open the ticket hears nothing more
    await admin.post(`/api/v1/tickets/${t}/forward`, { departmentId: sales, reason: '转售前' });
    await customerWrites(t, email, '怎么没人理我');
    await srv.drain();
    assert.equal((await kindsFor(wang, t)).filter((k) => k === 'follow_reply').length, 2, 'wang cannot see a sales ticket any more');
  });

  it('@mentions: stored on the message, the colleague gets an in-app notification and a mail; who cannot open the ticket cannot be mentioned', async () => {
    const t = await customerTicket(support, '光猫闪红灯');
    const note = await li.post(`/api/v1/tickets/${t}/messages`, { body: '@wang 这个你熟，帮忙看下 <b>LOS</b>', visibility: 'internal', mentions: [wang.userId, li.userId] });
    assert.equal(note.statusCode, 201, note.body);
    assert.deepEqual(note.json().mentions.sort(), [li.userId, wang.userId].sort());
    await srv.drain();
    const mention = (await inbox(wang)).find((n) => n.ticketId === t && n.kind === 'mention');
    assert.ok(mention, 'wang was told');
    assert.equal(mention.data.actor, 'li');
    assert.equal(mention.data.excerpt, '@wang 这个你熟，帮忙看下 <b>LOS</b>');
    assert.deepEqual(await kindsFor(li, t), [], 'mentioning yourself notifies nobody');
    const mail = (await admin.get('/api/v1/outbox?to=wang%40acme.test')).json().items.find((m: { purpose: string }) => m.purpose === 'notify_mention');
    assert.ok(mail);
    assert.match(mail.subject, /^\[#\d+\] li 提到了您：光猫闪红灯$/);
    assert.match(mail.text, /“@wang 这个你熟，帮忙看下 <b>LOS<\/b>”/);
    assert.match(mail.text, new RegExp(`/tickets/${t}`));

    const before = (await detail(li, t)).messages.length;
    const blind = await li.post(`/api/v1/tickets/${t}/messages`, { body: '@zhao 看看', visibility: 'internal', mentions: [zhao.userId] });
    assert.equal(blind.statusCode, 400);
    assert.match(blind.json().message, /zhao 无权查看工单 #\d+，提及无法送达/);
    assert.equal((await li.post(`/api/v1/tickets/${t}/messages`, { body: 'x', mentions: [invitedId] })).statusCode, 400);
    assert.equal((await li.post(`/api/v1/tickets/${t}/messages`, { body: 'x', mentions: ['00000000-0000-4000-8000-000000000000'] })).statusCode, 404);
    assert.equal((await li.post(`/api/v1/tickets/${t}/messages`, { body: 'x', mentions: [wang.userId, wang.userId] })).statusCode, 400, 'twice the same colleague');
    const many = Array.from({ length: 21 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    assert.equal((await li.post(`/api/v1/tickets/${t}/messages`, { body: 'x', mentions: many })).statusCode, 400);
    assert.equal((await detail(li, t)).messages.length, before, 'nothing refused was stored');
    assert.deepEqual((await detail(li, t)).messages[0].mentions, [], 'messages without mentions say so');
  });

  it('merge: messages (with their times), attachments, followers and tags move to the target; the source is closed, points there and its SLA clocks stop', async () => {
    const policy = await admin.post('/api/v1/sla-policies', { name: '合并测试 SLA', position: 1, targets: { firstResponseMinutes: 60, resolutionMinutes: 480 } });
    assert.equal(policy.statusCode, 201, policy.body);
    const email = `merge${++seq}@example.com`;
    const source = await customerTicket(support, '发票没收到', email);
    const target = await customerTicket(support, '发票邮寄地址', email);
    await li.patch(`/api/v1/tickets/${source}`, { tags: ['发票', '重复'] });
    await li.patch(`/api/v1/tickets/${target}`, { tags: ['发票', '邮寄'] });
    await li.post(`/api/v1/tickets/${source}/messages`, { body: '已登记', visibility: 'internal' });
    await wang.put(`/api/v1/tickets/${source}/followers/${wang.userId}`);
    await li.put(`/api/v1/tickets/${target}/followers/${li.userId}`);
    const [file] = await srv.database.db.insert(attachments).values({ tenantId: acme.id, ticketId: source, filename: '发票.pdf', contentType: 'application/pdf', size: 3, sha256: 'abc' }).returning();
    await srv.drain();
    assert.ok((await admin.get(`/api/v1/tickets/${source}/sla`)).json().resolutionDue, 'the source runs an SLA clock before the merge');
    const sourceBefore = await detail(admin, source);

    const merged = await admin.post(`/api/v1/tickets/${source}/merge`, { targetId: target, reason: '同一个问题' });
    assert.equal(merged.statusCode, 200, merged.body);
    assert.equal(merged.json().source.status, 'closed');
    assert.equal(merged.json().source.mergedIntoId, target);
    assert.equal(merged.json().target.mergedIntoId, null);
    await srv.drain();

    const s = await detail(admin, source);
    const g = await detail(admin, target);
    assert.deepEqual(s.messages, [], 'the source keeps no messages');
    assert.equal(s.ticket.closedAt !== null, true);
    const mergedInto = s.history.find((h: { action: string }) => h.action === 'merged_into');
    assert.deepEqual(mergedInto.changes, { status: [sourceBefore.ticket.status, 'closed'], mergedInto: [null, g.ticket.number] });
    assert.equal(mergedInto.reason, '同一个问题');
    const mergedFrom = g.history.find((h: { action: string }) => h.action === 'merged_from');
    assert.deepEqual(mergedFrom.changes.mergedFrom, [null, s.ticket.number]);
    assert.equal(mergedFrom.reason, '同一个问题');
    for (const m of sourceBefore.messages) {
      const moved = g.messages.find((x: { id: string }) => x.id === m.id);
      assert.ok(moved, `message ${m.id} moved`);
      assert.equal(moved.createdAt, m.createdAt, 'a moved message keeps its time');
    }
    const times = g.messages.map((m: { createdAt: string }) => m.createdAt);
    assert.deepEqual(times, [...times].sort(), 'the target reads in time order');
    const note = g.messages.at(-1);
    assert.equal(note.authorType, 'system');
    assert.equal(note.visibility, 'internal');
    assert.match(note.body, new RegExp(`工单 #${s.ticket.number}「发票没收到」已合并到本工单（移入 2 条消息）。\\n原因：同一个问题`));
    assert.deepEqual(g.ticket.tags.sort(), ['发票', '邮寄', '重复'].sort());
    assert.deepEqual(g.followers.sort(), [li.userId, wang.userId].sort());
    const [movedFile] = await srv.database.db.select().from(attachments).where(eq(attachments.id, file.id));
    assert.equal(movedFile.ticketId, target);

    const sla = (await admin.get(`/api/v1/tickets/${source}/sla`)).json();
    assert.deepEqual([sla.firstResponseDue, sla.nextResponseDue, sla.resolutionDue], [null, null, null], 'the source has no deadlines left');
    const timers = await srv.database.db.select().from(jobs).where(and(like(jobs.key, `sla:${source}:%`), eq(jobs.status, 'pending')));
    assert.deepEqual(timers.map((j) => j.key), [], 'no SLA timer of the source is left to fire');
    assert.ok((await admin.get(`/api/v1/tickets/${target}/sla`)).json().resolutionDue, 'the target keeps its clock');

    // the followers of both hear of it, on the target
    assert.ok((await kindsFor(wang, target)).includes('follow_merged'));
    assert.ok((await kindsFor(li, target)).includes('follow_merged'));

    // the customer answers the old thread: it carries on in the target, not in a new ticket
    const followUp = await customerWrites(source, email, '我又找到一张发票');
    assert.equal(followUp.ticketId, target);
    assert.equal(followUp.created, false);
  });

  it('merge refusals: itself, a merged or closed ticket, a target out of sight; nothing changes', async () => {
    const a = await customerTicket(support, '合并 A');
    const b = await customerTicket(support, '合并 B');
    const closed = await customerTicket(support, '已关闭');
    await admin.patch(`/api/v1/tickets/${closed}`, { status: 'closed' });
    const hidden = await customerTicket(sales, '售前的');
    const refused = async (c: Client, from: string, to: string, status: number, message?: RegExp) => {
      const res = await c.post(`/api/v1/tickets/${from}/merge`, { targetId: to });
      assert.equal(res.statusCode, status, `${from} → ${to}: ${res.body}`);
      if (message) assert.match(res.json().message, message);
    };
    await refused(li, a, a, 400, /工单不能合并到它自己/);
    await refused(li, a, closed, 400, /工单 #\d+ 已关闭，请合并到未关闭的工单/);
    await refused(li, closed, a, 400, /已关闭的工单不能合并/);
    // in the language of whoever asks
    await li.patch('/api/v1/auth/me', { locale: 'en' });
    await refused(li, a, closed, 400, /^The request is not valid: Ticket #\d+ is closed: merge into an open ticket$/);
    await li.patch('/api/v1/auth/me', { locale: 'zh-CN' });
    await refused(li, a, hidden, 404);
    await refused(zhao, hidden, a, 404);
    await refused(li, a, '00000000-0000-4000-8000-000000000000', 404);
    assert.equal((await li.post(`/api/v1/tickets/${a}/merge`, {})).statusCode, 400, 'a target is required');
    assert.equal((await li.post(`/api/v1/tickets/${a}/merge`, { targetId: b })).statusCode, 200);
    await refused(li, a, b, 400, /本工单已经合并到其他工单/);
    const c = await customerTicket(support, '合并 C');
    await refused(li, c, a, 400, /工单 #\d+ 已合并到其他工单，请合并到那个工单/);
    assert.equal((await detail(li, c)).ticket.status, 'new');
    assert.equal((await detail(li, c)).messages.length, 1);
  });

  it('links: both ways, idempotent, removable from either side, only tickets the caller may see are listed', async () => {
    const a = await customerTicket(support, '链接 A');
    const b = await customerTicket(support, '链接 B');
    const hidden = await customerTicket(sales, '链接 售前');
    const linked = await li.post(`/api/v1/tickets/${a}/links`, { ticketId: b });
    assert.equal(linked.statusCode, 200, linked.body);
    const bView = await detail(li, b);
    assert.deepEqual(linked.json().links.map((l: { id: string }) => l.id), [b]);
    assert.deepEqual(bView.links.map((l: { id: string; subject: string; status: string }) => [l.id, l.subject, l.status]), [[a, '链接 A', 'new']]);
    assert.equal((await li.post(`/api/v1/tickets/${b}/links`, { ticketId: a })).json().links.length, 1, 'linking again, either way, is the same link');
    assert.equal((await detail(li, a)).history.filter((h: { action: string }) => h.action === 'linked').length, 1);
    assert.equal((await li.post(`/api/v1/tickets/${a}/links`, { ticketId: a })).statusCode, 400);
    assert.equal((await li.post(`/api/v1/tickets/${a}/links`, { ticketId: hidden })).statusCode, 404);

    // the administrator links a sales ticket too: li does not see it listed
    assert.equal((await admin.post(`/api/v1/tickets/${a}/links`, { ticketId: hidden })).statusCode, 200);
    assert.deepEqual((await detail(admin, a)).links.map((l: { id: string }) => l.id).sort(), [b, hidden].sort());
    assert.deepEqual((await detail(li, a)).links.map((l: { id: string }) => l.id), [b]);
    assert.equal((await li.del(`/api/v1/tickets/${a}/links/${hidden}`)).statusCode, 404, 'li cannot unlink what li cannot see');

    const removed = await li.del(`/api/v1/tickets/${b}/links/${a}`);
    assert.equal(removed.statusCode, 200);
    assert.deepEqual(removed.json().links, []);
    assert.deepEqual((await detail(li, a)).links, []);
    assert.equal((await li.del(`/api/v1/tickets/${b}/links/${a}`)).statusCode, 200, 'removing again is fine');
  });

  it('another company reaches none of it: followers, mentions, merge and links across companies are 404s', async () => {
    const globex = await srv.tenant('globex');
    const gAdmin = await globex.admin();
    const theirs = (await gAdmin.post('/api/v1/tickets', { subject: 'globex ticket', body: 'x' })).json().id;
    const ours = await customerTicket(support, '本公司工单');
    assert.equal((await gAdmin.put(`/api/v1/tickets/${ours}/followers/${gAdmin.userId}`)).statusCode, 404);
    assert.equal((await admin.put(`/api/v1/tickets/${ours}/followers/${gAdmin.userId}`)).statusCode, 404, 'a globex person cannot follow an acme ticket');
    assert.equal((await admin.post(`/api/v1/tickets/${ours}/messages`, { body: 'x', mentions: [gAdmin.userId] })).statusCode, 404);
    assert.equal((await admin.post(`/api/v1/tickets/${ours}/merge`, { targetId: theirs })).statusCode, 404);
    assert.equal((await gAdmin.post(`/api/v1/tickets/${theirs}/merge`, { targetId: ours })).statusCode, 404);
    assert.equal((await admin.post(`/api/v1/tickets/${ours}/links`, { ticketId: theirs })).statusCode, 404);
    assert.equal((await gAdmin.del(`/api/v1/tickets/${theirs}/links/${ours}`)).statusCode, 404);
    const ourView = await detail(admin, ours);
    assert.deepEqual([ourView.followers, ourView.links, ourView.ticket.status], [[], [], 'new']);
    assert.equal((await detail(gAdmin, theirs)).ticket.mergedIntoId, null);
  });
});
