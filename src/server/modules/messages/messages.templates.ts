/** Plain, readable emails: a text part (links on their own line) and a matching HTML part. */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function actionEmail(opts: {
  subject: string;
  greeting: string;
  paragraphs: string[];
  actionLabel: string;
  url: string;
  footer?: string;
}): EmailContent {
  const text = [
    opts.greeting,
    '',
    ...opts.paragraphs.flatMap((p) => [p, '']),
    `${opts.actionLabel}:`,
    opts.url,
    '',
    opts.footer ?? '',
  ]
    .join('\n')
    .trim();
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1b1e">
<p>${esc(opts.greeting)}</p>
${opts.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}
<p><a href="${esc(opts.url)}" style="display:inline-block;padding:10px 16px;background:#1c7ed6;color:#fff;border-radius:6px;text-decoration:none">${esc(opts.actionLabel)}</a></p>
<p style="font-size:12px;color:#555">Or open this link: <a href="${esc(opts.url)}">${esc(opts.url)}</a></p>
${opts.footer ? `<p style="font-size:12px;color:#555">${esc(opts.footer)}</p>` : ''}
</body></html>`;
  return { subject: opts.subject, text, html };
}
