import { splitMentions, type Person } from './mentions.ts';

/** A message body as text, with the colleagues it @mentions highlighted (never interpreted as HTML). */
export function MentionText({ body, mentioned }: { body: string; mentioned: Person[] }) {
  if (!mentioned.length) return <>{body}</>;
  return (
    <>
      {splitMentions(body, mentioned).map((part, i) => (part.mention
        ? <span key={i} className="kefu-mention" data-testid="message-mention">{part.text}</span>
        : <span key={i}>{part.text}</span>))}
    </>
  );
}
