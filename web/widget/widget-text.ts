/** Every text the widget shows, in zh-CN and en (the widget stays tiny: no i18n library). */
export interface WidgetText {
  title: string; open: string; close: string; send: string; end: string; greeting: string; sending: string; failed: string;
  queued: (position: number) => string; serving: (agent: string) => string; ended: string; reconnecting: string; nobody: string;
  rate: string; thanks: string; preChat: string; startChat: string; robot: string; offline: string; offlinePlaceholder: string; leaveMessage: string; offlineDone: string;
  suggest: string; solved: string; solvedThanks: string;
  /** the chat robot: its status line, the "talk to a person" button, "none of these" under its choices */
  robotServing: (name: string) => string; human: string; noneOfThese: string;
  attach: string; uploading: string; tooBig: string; queueFull: string; previous: string; choose: string; anyone: string; group: (n: number) => string; away: string; accept: string; decline: string;
}

export const WIDGET_TEXT: Record<'zh-CN' | 'en', WidgetText> = {
  'zh-CN': {
    title: '在线客服', open: '打开在线客服', close: '关闭', send: '发送', end: '结束会话', greeting: '您好，有什么可以帮您？',
    sending: '发送中…', failed: '发送失败', queued: (n) => `正在排队，您前面还有 ${n - 1} 位（第 ${n} 位）`, serving: (a) => `客服 ${a} 为您服务`,
    ended: '会话已结束', reconnecting: '网络断开，正在重连…', nobody: '当前没有客服在线', rate: '请为本次服务评分：', thanks: '感谢您的评价！', preChat: '开始咨询前，请留下您的联系方式：', startChat: '开始咨询', robot: '智能机器人',
    offline: '客服暂时不在线，请留言，我们会尽快联系您。', offlinePlaceholder: '留言内容', leaveMessage: '提交留言', offlineDone: '留言已收到，我们会尽快联系您。',
    attach: '发送文件或图片', uploading: '正在上传…', tooBig: '文件不能超过 10 MB', queueFull: '排队人数已满，请留言，我们会尽快联系您', previous: '—— 以上是上次会话 ——',
    choose: '选择咨询对象', anyone: '任意客服', group: (n) => `客服组 ${n}`, away: '离线', accept: '开始对话', decline: '暂不需要',
    suggest: '这些文章也许能解决您的问题：', solved: '问题已解决', solvedThanks: '太好了，问题已解决！如还需帮助，随时找我们。',
    robotServing: (n) => `${n}为您服务，可随时转人工`, human: '转人工', noneOfThese: '都不是',
  },
  en: {
    title: 'Live chat', open: 'Open live chat', close: 'Close', send: 'Send', end: 'End chat', greeting: 'Hello! How can we help?',
    sending: 'Sending…', failed: 'Not sent', queued: (n) => `You are number ${n} in the queue`, serving: (a) => `${a} is helping you`,
    ended: 'The chat has ended', reconnecting: 'Connection lost, reconnecting…', nobody: 'Nobody is online right now', rate: 'How did we do?', thanks: 'Thank you for your rating!', preChat: 'Before we start, please tell us how to reach you:', startChat: 'Start chat', robot: 'Robot',
    offline: 'We are not online right now: leave a message and we will get back to you.', offlinePlaceholder: 'Your message', leaveMessage: 'Send message', offlineDone: 'Thanks, we got your message and will reply soon.',
    attach: 'Send a file or image', uploading: 'Uploading…', tooBig: 'Files may be at most 10 MB', queueFull: 'The queue is full: leave a message and we will get back to you', previous: '— your previous chat —',
    choose: 'Who would you like to talk to?', anyone: 'Anyone', group: (n) => `Team ${n}`, away: 'offline', accept: 'Start chatting', decline: 'Not now',
    suggest: 'These articles may answer your question:', solved: 'This solved it', solvedThanks: 'Great, glad it is solved! We are here if you need more help.',
    robotServing: (n) => `${n} is answering; a person is one click away`, human: 'Talk to a person', noneOfThese: 'None of these',
  },
};
