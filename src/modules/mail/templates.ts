/** System mail texts in both languages. Values are plain text: nothing here is rendered as HTML. */
type Lang = string;
const zh = (l: Lang) => l !== 'en';

export function invitationMail(locale: Lang, v: { name: string; company: string; inviter: string; link: string }) {
  return zh(locale)
    ? { subject: `${v.company} 邀请您加入 Kefu 客服团队`, text: `${v.name}，您好：\n\n${v.inviter} 邀请您加入 ${v.company} 的客服团队。\n请在 7 天内打开以下链接设置密码并激活账号：\n\n${v.link}\n\n如果这不是您预期的邮件，请忽略。` }
    : { subject: `${v.company} invited you to its Kefu support team`, text: `Hello ${v.name},\n\n${v.inviter} invited you to join ${v.company}'s support team.\nOpen this link within 7 days to set your password and activate your account:\n\n${v.link}\n\nIf you did not expect this, ignore this mail.` };
}

export function resetMail(locale: Lang, v: { name: string; link: string }) {
  return zh(locale)
    ? { subject: '重置您的 Kefu 密码', text: `${v.name}，您好：\n\n请在 1 小时内打开以下链接重置密码：\n\n${v.link}\n\n如果您没有申请重置密码，请忽略本邮件，您的密码不会改变。` }
    : { subject: 'Reset your Kefu password', text: `Hello ${v.name},\n\nOpen this link within 1 hour to choose a new password:\n\n${v.link}\n\nIf you did not ask for this, ignore this mail: your password stays as it is.` };
}

export interface TicketNotice {
  number: number; subject: string; link: string; reason?: string;
  /** Who caused it (mentions), the new assignee, the new status, the ticket merged into, the mention's words. */
  actor?: string; assignee?: string; status?: string; targetNumber?: number; excerpt?: string;
}

export function ticketNotificationMail(locale: Lang, kind: string, v: TicketNotice) {
  const zhFollow = '（您关注的工单）';
  const zhTitle: Record<string, string> = {
    assigned: '分配给您', escalated: '已升级', customer_reply: '客户回复了',
    mention: `${v.actor ?? '同事'} 提到了您`,
    follow_reply: `${zhFollow}客户回复了`, follow_escalated: `${zhFollow}已升级`,
    follow_status: `${zhFollow}${v.status === 'closed' ? '已关闭' : '已解决'}`,
    follow_assigned: `${zhFollow}已分配给 ${v.assignee ?? ''}`, follow_merged: `${zhFollow}已合并到 #${v.targetNumber ?? ''}`,
  };
  const enFollow = ' (a ticket you follow)';
  const enTitle: Record<string, string> = {
    assigned: 'assigned to you', escalated: 'escalated', customer_reply: 'the customer replied',
    mention: `${v.actor ?? 'a colleague'} mentioned you`,
    follow_reply: `the customer replied${enFollow}`, follow_escalated: `escalated${enFollow}`,
    follow_status: `${v.status === 'closed' ? 'closed' : 'resolved'}${enFollow}`,
    follow_assigned: `assigned to ${v.assignee ?? ''}${enFollow}`, follow_merged: `merged into #${v.targetNumber ?? ''}${enFollow}`,
  };
  const reason = v.reason ? (zh(locale) ? `\n原因：${v.reason}` : `\nReason: ${v.reason}`) : '';
  const quote = v.excerpt ? `\n\n“${v.excerpt}”` : '';
  return zh(locale)
    ? { subject: `[#${v.number}] ${zhTitle[kind] ?? kind}：${v.subject}`, text: `工单 #${v.number}「${v.subject}」${zhTitle[kind] ?? kind}。${reason}${quote}\n\n查看工单：${v.link}` }
    : { subject: `[#${v.number}] ${enTitle[kind] ?? kind}: ${v.subject}`, text: `Ticket #${v.number} "${v.subject}": ${enTitle[kind] ?? kind}.${reason}${quote}\n\nOpen the ticket: ${v.link}` };
}
