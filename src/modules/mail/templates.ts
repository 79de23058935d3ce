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

export function ticketNotificationMail(locale: Lang, kind: string, v: { number: number; subject: string; link: string; reason?: string }) {
  const zhTitle: Record<string, string> = { assigned: '分配给您', escalated: '已升级', customer_reply: '客户回复了' };
  const enTitle: Record<string, string> = { assigned: 'assigned to you', escalated: 'escalated', customer_reply: 'the customer replied' };
  const reason = v.reason ? (zh(locale) ? `\n原因：${v.reason}` : `\nReason: ${v.reason}`) : '';
  return zh(locale)
    ? { subject: `[#${v.number}] ${zhTitle[kind] ?? kind}：${v.subject}`, text: `工单 #${v.number}「${v.subject}」${zhTitle[kind] ?? kind}。${reason}\n\n查看工单：${v.link}` }
    : { subject: `[#${v.number}] ${enTitle[kind] ?? kind}: ${v.subject}`, text: `Ticket #${v.number} "${v.subject}": ${enTitle[kind] ?? kind}.${reason}\n\nOpen the ticket: ${v.link}` };
}
