/** What the robot says, in the chat's language (the answers themselves are the articles'). */
export type RobotLanguage = 'zh-CN' | 'en';

const TEXT = {
  'zh-CN': {
    suggest: '您是想问以下哪个问题？请点击选择：',
    rephrase: '抱歉，我没有理解您的问题，可以换个说法再问一次吗？也可以输入“转人工”。',
    handover: '好的，正在为您转接人工客服，请稍候…',
  },
  en: {
    suggest: 'Did you mean one of these? Pick one:',
    rephrase: "Sorry, I didn't understand. Could you ask in other words? You can also type \"human\".",
    handover: 'Let me get a person for you, one moment…',
  },
} as const;

export function robotText(lang: RobotLanguage) {
  return TEXT[lang];
}
