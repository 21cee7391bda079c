import { htmlToText, type FormatCallback } from 'html-to-text';
import { markdownSections } from './markdown';
import type { ParsedDocument } from './types';

// Emits headings as Markdown ATX lines so the Markdown splitter can track the heading path.
const heading =
  (level: number): FormatCallback =>
  (elem, walk, builder) => {
    builder.openBlock({ leadingLineBreaks: 2 });
    builder.addLiteral(`${'#'.repeat(level)} `);
    walk(elem.children, builder);
    builder.closeBlock({ trailingLineBreaks: 2 });
  };

const headingSelectors = [1, 2, 3, 4, 5, 6].map((n) => ({ selector: `h${n}`, format: `h${n}md` }));

/** HTML → text with headings preserved (html-to-text), split into sections by heading. */
export function parseHtml(html: string, fallbackTitle: string): ParsedDocument {
  const text = htmlToText(html, {
    wordwrap: false,
    formatters: Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`h${n}md`, heading(n)])),
    selectors: [
      ...headingSelectors,
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'nav', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'title', format: 'skip' },
    ],
  });
  const titleMatch = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  const htmlTitle = titleMatch ? htmlToText(titleMatch[1]!, { wordwrap: false }).trim() : '';
  const first = markdownSections(text, htmlTitle || undefined);
  const title = htmlTitle || first.firstH1 || fallbackTitle;
  return { title, sections: htmlTitle ? first.sections : markdownSections(text, title).sections };
}
