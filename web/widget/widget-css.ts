/** The widget's styles, inside its shadow root; phones get a full-screen panel. */
export const WIDGET_CSS = `
:host { --kf-color: #1677ff; all: initial; font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; }
.kf-button { position: fixed; bottom: 20px; right: 20px; width: 56px; height: 56px; border-radius: 50%; border: 0; background: var(--kf-color); color: #fff; font-size: 24px; cursor: pointer; box-shadow: 0 4px 16px rgba(0,0,0,.2); z-index: 2147483000; }
.kf-button[data-position=left], .kf-panel[data-position=left] { right: auto; left: 20px; }
.kf-button[hidden], .kf-panel[hidden], form[hidden] { display: none; }
.kf-panel { position: fixed; bottom: 20px; right: 20px; width: 360px; height: 520px; max-height: calc(100vh - 40px); background: #fff; border-radius: 12px; box-shadow: 0 8px 32px rgba(0,0,0,.2); display: flex; flex-direction: column; overflow: hidden; z-index: 2147483000; font-size: 14px; color: #222; }
.kf-header { background: var(--kf-color); color: #fff; padding: 12px 16px; display: flex; justify-content: space-between; align-items: center; font-weight: 600; }
.kf-close { background: none; border: 0; color: #fff; font-size: 22px; cursor: pointer; }
.kf-status { padding: 6px 16px; font-size: 12px; color: #666; background: #f6f7f9; min-height: 16px; }
.kf-list { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
.kf-greeting { color: #555; background: #f1f3f5; padding: 8px 12px; border-radius: 8px; align-self: flex-start; white-space: pre-wrap; }
.kf-msg { display: flex; flex-direction: column; max-width: 80%; }
.kf-mine { align-self: flex-end; align-items: flex-end; }
.kf-theirs { align-self: flex-start; }
.kf-bubble { padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; word-break: break-word; background: #f1f3f5; }
.kf-mine .kf-bubble { background: var(--kf-color); color: #fff; }
.kf-pending { opacity: .6; }
.kf-who { font-size: 11px; color: #888; margin: 2px 4px; }
.kf-composer { display: flex; gap: 8px; padding: 8px; border-top: 1px solid #eee; }
.kf-composer textarea { flex: 1; resize: none; border: 1px solid #ddd; border-radius: 8px; padding: 6px 8px; font: inherit; }
.kf-composer button, .kf-form button { background: var(--kf-color); color: #fff; border: 0; border-radius: 8px; padding: 0 14px; cursor: pointer; font: inherit; }
.kf-human { align-self: flex-end; margin: 4px 12px 0; border: 1px solid var(--kf-color); background: #fff; color: var(--kf-color); border-radius: 12px; font-size: 12px; padding: 2px 10px; cursor: pointer; }
.kf-choices { display: flex; flex-direction: column; gap: 4px; margin: 4px 0 8px; }
.kf-choices button { text-align: left; border: 1px solid var(--kf-color); background: #fff; color: var(--kf-color); border-radius: 8px; padding: 6px 10px; cursor: pointer; font: inherit; }
.kf-choices button.kf-none { border-color: #ccc; color: #666; }
.kf-end { border: 0; background: none; color: #999; font-size: 12px; padding: 4px; cursor: pointer; }
.kf-extra { padding: 0 12px; }
.kf-rate button { background: none; border: 0; font-size: 24px; color: #fadb14; cursor: pointer; }
.kf-form { display: flex; flex-direction: column; gap: 6px; padding: 8px 0; }
.kf-form label { display: flex; flex-direction: column; font-size: 12px; color: #555; }
.kf-form input, .kf-form textarea { border: 1px solid #ddd; border-radius: 6px; padding: 6px; font: inherit; }
.kf-form button { padding: 8px; }
.kf-error { color: #d4380d; font-size: 12px; }
.kf-logo { height: 24px; max-width: 96px; object-fit: contain; margin-right: 8px; background: #fff; border-radius: 4px; }
.kf-logo[hidden], .kf-composer input[hidden] { display: none; }
.kf-header .kf-title { flex: 1; }
.kf-composer .kf-attach { background: none; color: #666; padding: 0 4px; font-size: 18px; }
.kf-thumb { max-width: 180px; max-height: 140px; border-radius: 8px; margin-top: 4px; display: block; }
.kf-file { display: block; margin-top: 4px; color: var(--kf-color); word-break: break-all; }
.kf-previous { opacity: .6; display: flex; flex-direction: column; gap: 8px; }
.kf-invite { display: flex; flex-direction: column; gap: 6px; padding: 8px 0; }
.kf-invite button:not(.kf-end) { background: var(--kf-color); color: #fff; border: 0; border-radius: 8px; padding: 8px; cursor: pointer; font: inherit; }
.kf-form select { border: 1px solid #ddd; border-radius: 6px; padding: 6px; font: inherit; }
.kf-suggest { padding: 6px 12px; border-top: 1px solid #eee; max-height: 40%; overflow-y: auto; font-size: 13px; }
.kf-suggest[hidden] { display: none; }
.kf-sug { padding: 4px 0; }
.kf-sug a { color: var(--kf-color); font-weight: 600; text-decoration: none; }
.kf-snip { font-size: 12px; color: #666; }
.kf-sug button { background: none; border: 1px solid var(--kf-color); color: var(--kf-color); border-radius: 6px; font-size: 12px; padding: 1px 8px; cursor: pointer; margin-top: 2px; }
@media (max-width: 480px) { .kf-panel { inset: 0; width: auto; height: auto; max-height: none; border-radius: 0; } }
`;
