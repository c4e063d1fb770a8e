/**
 * Markdown from the case (description, workarounds) rendered safely: micromark with GFM escapes
 * raw HTML (allowDangerousHtml is off) and drops links whose protocol is not http(s), mailto, irc(s)
 * or xmpp (allowDangerousProtocol is off), so no `javascript:` link and no tag from the text survives.
 */
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

export function renderMarkdown(text: string): string {
  return micromark(text, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: false, allowDangerousProtocol: false });
}

export function Markdown({ text, label }: { text: string; label: string }) {
  if (!text.trim()) return <p className="hint">None yet.</p>;
  // The HTML comes from micromark with raw HTML escaped and dangerous protocols removed (see above).
  // biome-ignore lint/security/noDangerouslySetInnerHtml: safe by construction (renderMarkdown)
  return <section className="markdown" aria-label={label} dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />;
}
