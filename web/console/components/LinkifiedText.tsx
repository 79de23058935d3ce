import { Fragment } from 'react';

const URL_PATTERN = /(https?:\/\/[^\s<>"']+)/g;

/**
 * Plain text with its http(s) addresses as links. React escapes every piece: the text is never
 * interpreted as HTML.
 */
export function LinkifiedText({ text, linkTestId }: { text: string; linkTestId?: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <pre className="kefu-mail-text" data-testid="mail-text">
      {parts.map((part, i) => (i % 2 === 1
        ? <a key={i} href={part} target="_blank" rel="noopener noreferrer" data-testid={linkTestId}>{part}</a>
        : <Fragment key={i}>{part}</Fragment>))}
    </pre>
  );
}
