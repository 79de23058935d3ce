/**
 * The Kefu website chat widget: one <script src=".../widget.js" data-style="<id>"> on a company's site.
 * Vanilla TypeScript in a shadow root (the site's CSS cannot reach it, ours cannot leak out). Everything
 * the server or the agent sends is shown as text, never as HTML. Messages go through the delivery outbox
 * (delivery.ts): kept in localStorage until the server acknowledges them, sent again after a reconnect.
 */
import { io } from 'socket.io-client';
import { Inbox, Outbox, isClientId, newClientId, type Ack, type DeliveredMessage, type PendingMessage } from '../../src/channels/webchat/delivery.ts';
import { WIDGET_TEXT, type WidgetText } from './widget-text.ts';
import { WIDGET_CSS } from './widget-css.ts';

interface File { id: string; filename: string; contentType: string; size: number }
interface Line extends DeliveredMessage { author?: 'visitor' | 'agent' | 'bot' | 'system'; authorName?: string | null; attachments?: File[] }
interface Targets { departments: Array<{ id: string; name: string | null }>; agents: Array<{ id: string; name: string; online: boolean }> }
interface Invitation { id: string; agentName: string; message: string }
interface FormField { key: string; labelZh: string; labelEn: string; kind: 'text' | 'email' | 'phone' | 'textarea'; required: boolean }
interface Hello {
  ok: boolean; visitorId: string; online: boolean; newConversationId: string;
  style: {
    themeColor: string; position: string; greetingZh: string; greetingEn: string; language: string; preChatFields: FormField[]; logoUrl: string | null;
    robot?: { name: string; greetingZh: string; greetingEn: string } | null;
  } | null;
  conversation: { id: string; status: string; lastSeq: number; agentName: string | null } | null;
  fileToken: string; targets: Targets | null; previous: { lines: Line[] } | null; invitation: Invitation | null;
}

/** Raster images the widget shows as thumbnails; every other file is a download link. */
const IMAGES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const MAX_FILE = 10 * 1024 * 1024;

const script = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[data-style]');
const origin = script ? new URL(script.src, location.href).origin : location.origin;
const styleId = script?.dataset.style;
const KEY = `kefu-widget:${origin}:${styleId ?? ''}`;

function load<T>(name: string, fallback: T): T {
  try { return JSON.parse(localStorage.getItem(`${KEY}:${name}`) ?? 'null') ?? fallback; } catch { return fallback; }
}
function save(name: string, value: unknown) {
  try { localStorage.setItem(`${KEY}:${name}`, JSON.stringify(value)); } catch { /* private mode: the chat still works for this page */ }
}

const visitorKey = ((): string => {
  const known = load<string | null>('visitor', null);
  if (isClientId(known)) return known;
  const made = newClientId();
  save('visitor', made);
  return made;
})();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function start() {
  const host = el('div', { id: 'kefu-widget' });
  document.body.appendChild(host);
  const root = host.attachShadow({ mode: 'open' });
  const css = el('style');
  css.textContent = WIDGET_CSS;
  root.appendChild(css);

  let t: WidgetText = WIDGET_TEXT[navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'];
  const button = el('button', { class: 'kf-button', part: 'button', 'aria-label': t.open, 'data-testid': 'kefu-open' }, '💬');
  const panel = el('div', { class: 'kf-panel', role: 'dialog', hidden: '' });
  const header = el('div', { class: 'kf-header' });
  const title = el('span', { class: 'kf-title' }, t.title);
  const logo = el('img', { class: 'kf-logo', alt: '', hidden: '', 'data-testid': 'kefu-logo' });
  const close = el('button', { class: 'kf-close', 'aria-label': t.close }, '×');
  header.append(logo, title, close);
  const status = el('div', { class: 'kf-status', 'data-testid': 'kefu-status' });
  const list = el('div', { class: 'kf-list', 'data-testid': 'kefu-messages' });
  const composer = el('form', { class: 'kf-composer' });
  const input = el('textarea', { rows: '2', 'data-testid': 'kefu-input', maxlength: '5000' });
  const send = el('button', { type: 'submit', 'data-testid': 'kefu-send' }, t.send);
  const fileInput = el('input', { type: 'file', hidden: '', 'data-testid': 'kefu-file' });
  const attach = el('button', { type: 'button', class: 'kf-attach', 'aria-label': t.attach, title: t.attach, 'data-testid': 'kefu-attach' }, '📎');
  const endBtn = el('button', { type: 'button', class: 'kf-end', 'data-testid': 'kefu-end' }, t.end);
  composer.append(attach, fileInput, input, send);
  const extra = el('div', { class: 'kf-extra' });
  // the chat robot: "talk to a person" while it serves the chat
  const human = el('button', { type: 'button', class: 'kf-human', 'data-testid': 'kefu-human', hidden: '' }, t.human);
  panel.append(header, status, list, extra, human, composer, endBtn);
  root.append(button, panel);

  const outbox = Outbox.restore(load<PendingMessage[]>('outbox', []));
  let conversationId: string | null = load<string | null>('conversation', null);
  let inbox = new Inbox(0);
  let hello: Hello | null = null;
  let ended = false;
  let target: { departmentId?: string; agentId?: string } | null = null;
  const shown = new Set<number>();

  const persist = () => { save('outbox', outbox.snapshot()); save('conversation', conversationId); };

  const socket = io(`${origin}/visitor`, {
    transports: ['websocket'],
    auth: { styleId, visitorKey, pageUrl: location.href, referrer: document.referrer },
  });

  /** A file of the chat, fetched with the visitor's file token: images as thumbnails, anything else as a download. */
  function fileView(f: File): HTMLElement {
    const url = `${origin}/api/v1/visitor-files/${f.id}?t=${encodeURIComponent(hello?.fileToken ?? '')}`;
    if (IMAGES.includes(f.contentType)) {
      const a = el('a', { href: `${url}&inline=1`, target: '_blank', rel: 'noopener' });
      a.appendChild(el('img', { class: 'kf-thumb', src: `${url}&inline=1`, alt: f.filename, 'data-testid': 'kefu-thumb' }));
      return a;
    }
    return el('a', { class: 'kf-file', href: url, download: f.filename, 'data-testid': 'kefu-download' }, `📄 ${f.filename} (${Math.ceil(f.size / 1024)} KB)`);
  }

  function bubble(line: Line, mine: boolean, cls = ''): HTMLElement {
    const row = el('div', { class: `kf-msg ${mine ? 'kf-mine' : 'kf-theirs'} ${cls}` });
    const who = line.author === 'bot' ? (hello?.style?.robot?.name || t.robot) : line.authorName;
    if (!mine && who) row.appendChild(el('div', { class: 'kf-who' }, who));
    const files = line.attachments ?? [];
    // a file's own message names it ("📎 name"): the file itself says it better
    if (!files.some((f) => line.body === `📎 ${f.filename}` || line.body === f.filename)) row.appendChild(el('div', { class: 'kf-bubble' }, line.body));
    for (const f of files) row.appendChild(fileView(f));
    return row;
  }

  function render(line: Line) {
    if (shown.has(line.seq)) return;
    shown.add(line.seq);
    const mine = line.author ? line.author === 'visitor' : !!line.clientId && !line.authorName;
    const row = bubble(line, mine);
    row.dataset.seq = String(line.seq);
    const after = [...list.querySelectorAll<HTMLElement>('.kf-msg[data-seq]')].find((m) => Number(m.dataset.seq) > line.seq);
    list.insertBefore(row, after ?? list.querySelector('.kf-pending'));
    list.scrollTop = list.scrollHeight;
  }

  function renderPending() {
    list.querySelectorAll('.kf-pending').forEach((n) => n.remove());
    for (const p of outbox.pending()) {
      const row = el('div', { class: 'kf-msg kf-mine kf-pending' });
      row.appendChild(el('div', { class: 'kf-bubble' }, p.body));
      row.appendChild(el('div', { class: 'kf-who' }, p.state === 'failed' ? t.failed : t.sending));
      list.appendChild(row);
    }
  }

  function receive(lines: Line[]) {
    for (const l of inbox.receiveAll(lines)) render(l as Line);
  }

  function setStatus(text: string) { status.textContent = text; }

  function flush() {
    if (!socket.connected) return;
    for (const frame of outbox.takeSendable(Date.now())) {
      // the chat's first message carries the visitor's pick from the choice list
      socket.timeout(10_000).emit('message', inbox.lastSeq ? frame : { ...frame, target }, (err: Error | null, ack: Ack) => {
        if (err) return;
        if (!ack.ok && (ack.code as string) === 'rate_limited') setTimeout(flush, 1500);
        if (!ack.ok && ack.code === 'bad_conversation') {
          // the chat this was written in is over: write it into a new one
          outbox.discard(ack.clientId);
          conversationId = newClientId();
          ended = false;
          outbox.add(conversationId!, frame.body);
          persist();
          renderPending();
          return flush();
        }
        const stored = outbox.acknowledge(ack);
        if (stored) receive([stored]);
        persist();
        renderPending();
      });
    }
    persist();
    renderPending();
  }

  function showRating() {
    extra.replaceChildren();
    const box = el('div', { class: 'kf-rate', 'data-testid': 'kefu-rating' });
    box.appendChild(el('div', {}, t.rate));
    for (let n = 1; n <= 5; n++) {
      const star = el('button', { type: 'button', 'data-testid': `kefu-star-${n}`, 'aria-label': `${n}` }, '★');
      star.onclick = async () => {
        const r = await socket.emitWithAck('rate', { conversationId, rating: n });
        if (r.ok) box.replaceChildren(el('div', { 'data-testid': 'kefu-rated' }, t.thanks));
      };
      box.appendChild(star);
    }
    extra.appendChild(box);
  }

  /** The style's fields (姓名, 邮箱, 电话 …) as inputs; the pre-chat and offline forms share them. */
  function addFields(form: HTMLFormElement): Record<string, HTMLInputElement | HTMLTextAreaElement> {
    const lang = t === WIDGET_TEXT['zh-CN'] ? 'zh' : 'en';
    const inputs: Record<string, HTMLInputElement | HTMLTextAreaElement> = {};
    for (const f of hello?.style?.preChatFields ?? []) {
      const label = el('label', {}, `${lang === 'zh' ? f.labelZh : f.labelEn}${f.required ? ' *' : ''}`);
      const field = f.kind === 'textarea' ? el('textarea', { name: f.key }) : el('input', { name: f.key, 'data-testid': `kefu-field-${f.key}`, type: f.kind === 'email' ? 'email' : f.kind === 'phone' ? 'tel' : 'text' });
      inputs[f.key] = field;
      label.appendChild(field);
      form.appendChild(label);
    }
    return inputs;
  }

  /** 访客登记: before the first chat, the style's fields fill the customer card; the composer waits. */
  function showPreChatForm() {
    extra.replaceChildren();
    composer.hidden = true;
    const form = el('form', { class: 'kf-form', 'data-testid': 'kefu-prechat' });
    form.appendChild(el('div', {}, t.preChat));
    const inputs = addFields(form);
    const error = el('div', { class: 'kf-error', role: 'alert' });
    form.append(error, el('button', { type: 'submit', 'data-testid': 'kefu-prechat-submit' }, t.startChat));
    form.onsubmit = async (e) => {
      e.preventDefault();
      const answers = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.value]));
      const r = await socket.emitWithAck('register', { answers });
      if (!r.ok) { error.textContent = r.error ?? t.failed; return; }
      save('registered', true);
      extra.replaceChildren();
      composer.hidden = false;
      input.focus();
    };
    extra.appendChild(form);
  }

  function showOfflineForm() {
    extra.replaceChildren();
    composer.hidden = true;
    const form = el('form', { class: 'kf-form', 'data-testid': 'kefu-offline' });
    form.appendChild(el('div', {}, t.offline));
    const inputs = addFields(form);
    const body = el('textarea', { name: 'body', 'data-testid': 'kefu-offline-body', placeholder: t.offlinePlaceholder });
    const error = el('div', { class: 'kf-error', role: 'alert' });
    const submit = el('button', { type: 'submit' }, t.leaveMessage);
    form.append(body, error, submit);
    const clientId = newClientId();
    form.onsubmit = async (e) => {
      e.preventDefault();
      const answers = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.value]));
      const r = await socket.emitWithAck('offline', { clientId, answers, body: body.value });
      if (r.ok) form.replaceChildren(el('div', { 'data-testid': 'kefu-offline-done' }, t.offlineDone));
      else error.textContent = r.error ?? t.failed;
    };
    extra.appendChild(form);
  }

  /** 选择咨询对象: the style's departments and agents (names as the style shows them), before the first message. */
  function showTargets(targets: Targets) {
    const items = [
      ...targets.departments.map((d, i) => ({ value: `d:${d.id}`, label: d.name ?? t.group(i + 1) })),
      ...targets.agents.map((a) => ({ value: `a:${a.id}`, label: a.online ? a.name : `${a.name} (${t.away})` })),
    ];
    if (!items.length) return;
    const box = el('label', { class: 'kf-form' }, t.choose);
    const select = el('select', { 'data-testid': 'kefu-target' });
    select.appendChild(el('option', { value: '' }, t.anyone));
    for (const i of items) select.appendChild(el('option', { value: i.value }, i.label));
    select.onchange = () => {
      const [kind, id] = select.value.split(':');
      target = !id ? null : kind === 'd' ? { departmentId: id } : { agentId: id };
    };
    box.appendChild(select);
    extra.appendChild(box);
  }

  /** 主动邀请: an agent invites the visitor; the widget opens with their message. */
  function showInvitation(inv: Invitation) {
    toggle(true);
    extra.replaceChildren();
    const box = el('div', { class: 'kf-invite', 'data-testid': 'kefu-invitation' });
    box.appendChild(bubble({ conversationId: '', clientId: null, messageId: inv.id, seq: 0, body: inv.message, author: 'agent', authorName: inv.agentName }, false));
    const yes = el('button', { type: 'button', 'data-testid': 'kefu-invite-accept' }, t.accept);
    const no = el('button', { type: 'button', class: 'kf-end' }, t.decline);
    const answer = async (accept: boolean) => {
      await socket.emitWithAck('invite.answer', { invitationId: inv.id, accept });
      box.replaceChildren(...(accept ? [bubble({ conversationId: '', clientId: null, messageId: inv.id, seq: 0, body: inv.message, author: 'agent', authorName: inv.agentName }, false)] : []));
      if (accept) { setStatus(t.serving(inv.agentName)); input.focus(); } else toggle(false);
    };
    yes.onclick = () => void answer(true);
    no.onclick = () => void answer(false);
    box.append(yes, no);
    extra.appendChild(box);
  }

  async function sendFile(file: globalThis.File) {
    if (file.size > MAX_FILE) { setStatus(t.tooBig); return; }
    if (!conversationId || ended) { conversationId = newClientId(); ended = false; inbox = new Inbox(0); shown.clear(); extra.replaceChildren(); persist(); }
    const q = new URLSearchParams({ t: hello?.fileToken ?? '', conversationId, clientId: newClientId(), ...(styleId ? { styleId } : {}) });
    const form = new FormData();
    form.append('file', file, file.name);
    setStatus(t.uploading);
    try {
      const r = await fetch(`${origin}/api/v1/visitor-files?${q}`, { method: 'POST', body: form });
      const body = await r.json();
      if (!r.ok) { setStatus(body.message ?? t.failed); return; }
      setStatus('');
      receive([body.line]);
    } catch {
      setStatus(t.failed);
    }
  }

  /** The robot's offered articles as buttons under its message; a click sends that answer, "none of these" a person. */
  function showChoices(choices: Array<{ articleId: string; title: string }>) {
    list.querySelectorAll('.kf-choices').forEach((n) => n.remove());
    if (!choices.length) return;
    const box = el('div', { class: 'kf-choices', 'data-testid': 'kefu-choices' });
    const pick = async (articleId: string | null) => {
      box.remove();
      await socket.emitWithAck('robot.pick', { conversationId, articleId });
    };
    for (const c of choices) {
      const b = el('button', { type: 'button', 'data-testid': 'kefu-choice' }, c.title);
      b.onclick = () => void pick(c.articleId);
      box.appendChild(b);
    }
    const none = el('button', { type: 'button', class: 'kf-none', 'data-testid': 'kefu-choice-none' }, t.noneOfThese);
    none.onclick = () => void pick(null);
    box.appendChild(none);
    list.appendChild(box);
    list.scrollTop = list.scrollHeight;
  }
  human.onclick = async () => {
    human.hidden = true;
    list.querySelectorAll('.kf-choices').forEach((n) => n.remove());
    await socket.emitWithAck('robot.pick', { conversationId, human: true });
  };

  function onStatus(s: { status: string; position?: number; agentName?: string | null; reason?: string }) {
    human.hidden = s.status !== 'bot';
    if (s.status !== 'bot') list.querySelectorAll('.kf-choices').forEach((n) => n.remove());
    if (s.status === 'bot') setStatus(t.robotServing(hello?.style?.robot?.name || t.robot));
    if (s.status === 'queued') setStatus(t.queued(s.position ?? 1));
    else if (s.status === 'active') setStatus(t.serving(s.agentName ?? ''));
    else if (s.status === 'ended') { ended = true; setStatus(t.ended); showRating(); }
    else if (s.status === 'offline') { setStatus(s.reason === 'queue_full' ? t.queueFull : t.ended); showOfflineForm(); }
  }

  socket.on('connect', async () => {
    hello = await socket.emitWithAck('hello', {}) as Hello;
    const s = hello.style;
    if (s) {
      if (s.language === 'zh-CN' || s.language === 'en') t = WIDGET_TEXT[s.language];
      host.style.setProperty('--kf-color', s.themeColor);
      if (s.logoUrl) { logo.src = `${origin}${s.logoUrl}`; logo.hidden = false; } else logo.hidden = true;
      host.dataset.position = s.position;
      panel.dataset.position = s.position;
      button.dataset.position = s.position;
    }
    title.textContent = t.title;
    send.textContent = t.send;
    endBtn.textContent = t.end;
    if (!list.querySelector('.kf-greeting')) {
      const zh = t === WIDGET_TEXT['zh-CN'];
      // with the robot first, the robot greets (its own greeting, else the style's)
      const greeting = (s?.robot && (zh ? s.robot.greetingZh : s.robot.greetingEn)) || (zh ? s?.greetingZh : s?.greetingEn) || t.greeting;
      list.prepend(el('div', { class: 'kf-greeting' }, greeting));
    }
    // 显示上次会话: a returning visitor sees the previous chat above the new one
    if (hello.previous && !list.querySelector('.kf-previous')) {
      const prev = el('div', { class: 'kf-previous', 'data-testid': 'kefu-previous' });
      for (const l of hello.previous.lines) prev.appendChild(bubble(l, l.author === 'visitor'));
      prev.appendChild(el('div', { class: 'kf-who' }, t.previous));
      list.insertBefore(prev, list.querySelector('.kf-greeting')!.nextSibling);
    }
    if (hello.conversation) {
      if (hello.conversation.id !== conversationId) { conversationId = hello.conversation.id; inbox = new Inbox(0); }
      const r = await socket.emitWithAck('resume', { conversationId, afterSeq: inbox.lastSeq });
      if (r.ok) { receive(r.lines); onStatus({ status: r.status, agentName: r.agentName }); showChoices(r.choices ?? []); }
    } else if (conversationId && !outbox.size) {
      // the last chat is over: show its end and start fresh next time
      const r = await socket.emitWithAck('resume', { conversationId, afterSeq: inbox.lastSeq });
      if (r.ok) { receive(r.lines); if (r.status === 'ended' && r.rating == null) onStatus({ status: 'ended' }); }
      if (!r.ok) conversationId = null;
    }
    if (!hello.online && !hello.conversation) { setStatus(t.nobody); showOfflineForm(); }
    else if (!hello.conversation && hello.style?.preChatFields.length && !load<boolean>('registered', false) && !extra.firstChild) showPreChatForm();
    if (hello.targets && !hello.conversation && !extra.querySelector('select')) showTargets(hello.targets);
    if (hello.invitation) showInvitation(hello.invitation);
    flush();
  });
  socket.on('disconnect', () => { outbox.connectionLost(); persist(); renderPending(); });
  socket.on('message', (m: Line) => receive([m]));
  socket.on('status', onStatus);
  socket.on('robot.choices', (p: { choices: Array<{ articleId: string; title: string }> }) => showChoices(p.choices));
  socket.on('invite', showInvitation);
  attach.onclick = () => fileInput.click();
  fileInput.onchange = () => { const f = fileInput.files?.[0]; fileInput.value = ''; if (f) void sendFile(f); };
  socket.io.on('reconnect_attempt', () => setStatus(t.reconnecting));

  socket.on('connect', () => {
    socket.emit('page', { type: 'enter', url: location.href, title: document.title });
  });
  setInterval(() => { if (socket.connected) socket.emit('page', { type: 'ping', url: location.href }); flush(); }, 15_000);
  addEventListener('pagehide', () => socket.emit('page', { type: 'leave', url: location.href }));

  // Self-service before a chat: published help-center articles matching the first question as it is
  // typed (plain text, in the company's help center on click); "solved" counts a deflection.
  const suggest = el('div', { class: 'kf-suggest', 'data-testid': 'kefu-suggest', hidden: '' });
  panel.insertBefore(suggest, extra);
  const visitId = newClientId();
  let suggestTimer = 0;
  let suggestSeq = 0;
  input.addEventListener('input', () => {
    clearTimeout(suggestTimer);
    const q = input.value.trim().slice(0, 200);
    const mine = ++suggestSeq;
    if (!q || (conversationId && !ended)) { suggest.hidden = true; return; }
    suggestTimer = window.setTimeout(async () => {
      try {
        const r = await fetch(`${origin}/api/v1/kb/public/suggestions?${new URLSearchParams({ q })}`);
        const items = r.ok ? ((await r.json()) as { items: Array<{ id: string; title: { text: string }; snippet: { text: string } }> }).items : [];
        if (mine !== suggestSeq) return;
        suggest.replaceChildren(el('div', { class: 'kf-who' }, t.suggest));
        suggest.hidden = !items.length;
        for (const a of items) {
          const solved = el('button', { type: 'button', 'data-testid': 'kefu-solved' }, t.solved);
          solved.onclick = async () => {
            await fetch(`${origin}/api/v1/kb/public/widget-deflections?${new URLSearchParams({ articleId: a.id, q, visitId })}`, { method: 'POST' }).catch(() => undefined);
            suggest.replaceChildren(el('div', { 'data-testid': 'kefu-solved-thanks' }, t.solvedThanks));
            input.value = '';
          };
          const row = el('div', { class: 'kf-sug', 'data-testid': 'kefu-suggestion' });
          row.append(el('a', { href: `${origin}/help/articles/${encodeURIComponent(a.id)}`, target: '_blank', rel: 'noopener' }, a.title.text), el('div', { class: 'kf-snip' }, a.snippet.text.slice(0, 160)), solved);
          suggest.appendChild(row);
        }
      } catch { /* suggestions help; the chat works without them */ }
    }, 400);
  });

  // The preview goes out at most every 300 ms, and always with the last text: keys typed inside the
  // window are sent when it closes, so the agent never keeps seeing a stale half of it.
  let lastTyping = 0;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  const sendTyping = () => {
    typingTimer = undefined;
    if (!conversationId) return;
    lastTyping = Date.now();
    socket.emit('typing', { conversationId, text: input.value });
  };
  input.addEventListener('input', () => {
    if (typingTimer) return;
    const wait = 300 - (Date.now() - lastTyping);
    if (wait <= 0) sendTyping();
    else typingTimer = setTimeout(sendTyping, wait);
  });
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); composer.requestSubmit(); } });
  composer.onsubmit = (e) => {
    e.preventDefault();
    const body = input.value.trim();
    if (!body) return;
    if (!conversationId || ended) { conversationId = newClientId(); ended = false; inbox = new Inbox(0); shown.clear(); extra.replaceChildren(); }
    outbox.add(conversationId!, body);
    input.value = '';
    suggestSeq++;
    suggest.hidden = true;
    // a new question instead of a pick: the robot's earlier choices no longer stand
    list.querySelectorAll('.kf-choices').forEach((n) => n.remove());
    clearTimeout(typingTimer);
    typingTimer = undefined;
    socket.emit('typing', { conversationId, text: '' });
    flush();
  };
  endBtn.onclick = async () => {
    if (conversationId) await socket.emitWithAck('end', { conversationId });
  };
  const toggle = (open: boolean) => { panel.hidden = !open; button.hidden = open; if (open) input.focus(); };
  button.onclick = () => toggle(true);
  close.onclick = () => toggle(false);
}

if (document.body) start();
else addEventListener('DOMContentLoaded', start);
