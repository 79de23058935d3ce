/**
 * Words that say nothing about what a question is about, dropped from the index and from queries
 * alike (so positions line up). Kept short on purpose: question words and negations (怎么, 多少, not)
 * stay, because they tell FAQs apart ("how do I top up" vs "why did my top up fail"); term weights
 * take care of their being common.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  // 中文：助词、语气词、代词与礼貌用语
  '的', '地', '得', '之', '了', '着', '过', '吗', '呢', '吧', '啊', '呀', '哦', '噢', '嘛', '么', '哈', '啦', '嗯', '哎',
  '唉', '喔', '呐', '哇', '咯', '嘞', '么么', '请问', '请', '您好', '你好', '谢谢', '麻烦', '一下', '的话',
  // (我们 / 你们 stay: in a company's FAQ "你们" is the company, "你" often the robot)
  '我', '你', '您', '他', '她', '它', '自己',
  '这', '那', '这个', '那个', '这些', '那些', '这样', '那样', '就', '都', '也', '还', '又', '再', '和', '与',
  '及', '或', '或者', '把', '被', '给', '让', '向', '从', '对', '在', '是', '于', '以', '而', '并', '呃',
  // English
  'a', 'an', 'the', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'i', 'me', 'my', 'mine', 'myself',
  'we', 'us', 'our', 'you', 'your', 'yours', 'he', 'him', 'his', 'she', 'her', 'it', 'its', 'they', 'them',
  'their', 'this', 'that', 'these', 'those', 'of', 'to', 'in', 'on', 'at', 'for', 'with', 'by', 'from', 'as',
  'and', 'or', 'but', 'if', 'so', 'do', 'does', 'did', 'doing', 'done', 'has', 'have', 'had', 'having', 'there',
  'here', 'please', 'thanks', 'thank', 'hi', 'hello', 'hey', 'would', 'could', 'should', 'shall', 'will', 'just',
  'also', 'about', 'into', 'then', 'than', 'some', 'any', 'very', 'really', 'again', 'still', 'yet', 'too',
]);
