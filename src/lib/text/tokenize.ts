// Words of an item description, the way our text representation (tfidf.ts) reads them: markup stripped as
// Personalize strips it, lower-cased, split on anything that is not a letter, digit or mark; Chinese and Japanese
// (written without spaces) as overlapping character pairs; one-letter words and common function words dropped.
// No stemming, no synonyms, no language model: "shoe" and "shoes" are different words here.

/** Personalize truncates textual values here (a longer text's tail is not read). */
export const MAX_TEXT_CHARS = 20_000;

const TAG = /<[^>]*>/g;
const ENTITY = /&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/gi;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
/** Scripts written without spaces between words. */
const CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]+|[^\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]+/gu;
const HAS_CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]/u;

/**
 * Function words of the Latin-script languages Personalize reads (en, fr, de, es, pt): they say nothing about
 * an item, and on small catalogues idf alone does not push them down far enough.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set((
  // en
  'a an and are as at be been being but by can could did do does for from had has have he her his how i if in into is it its ' +
  'just may me more most my no not of on one or our out over own same she should so some such than that the their them then ' +
  'there these they this those through to too under up us very was we were what when where which while who whom why will ' +
  'with would you your yours about above after again against all also am any because before below between both down during ' +
  'each few further here off once only other ours per since until upon via whose ' +
  // fr
  'au aux avec ce ces dans de des du elle en est et il ils la le les leur mais ne nous ou par pas pour qui que sa se ses son ' +
  'sur un une vous ' +
  // de
  'als am auch auf aus bei das dem den der des die ein eine einem einen einer es für im ist mit nicht noch oder sich sie ' +
  'sind und von vor wie zu zum zur ' +
  // es, pt
  'al como con del el ella entre es esta este las lo los más muy para pero por se su sus una uno y ao aos com da das do dos ' +
  'ela em entre mas na nas no nos os para pela pelo se sem seu sua um uma'
).split(' '));

/** Markup out (tags, entities), truncated as Personalize truncates, lower-cased. */
export function cleanText(text: string): string {
  let s = text.length > MAX_TEXT_CHARS * 2 ? text.slice(0, MAX_TEXT_CHARS * 2) : text;
  s = s.replace(TAG, ' ').replace(ENTITY, ' ');
  if (s.length > MAX_TEXT_CHARS) s = s.slice(0, MAX_TEXT_CHARS);
  return s.normalize('NFKC').toLowerCase();
}

/** The text's terms in order (repeats kept: term frequency counts them), appended to `out`. */
export function tokenize(text: string, out: string[] = []): string[] {
  for (const m of cleanText(text).matchAll(WORD)) {
    const word = m[0];
    if (!HAS_CJK.test(word)) {
      if (word.length > 1 && !STOP_WORDS.has(word)) out.push(word);
      continue;
    }
    for (const part of word.matchAll(CJK)) {
      const run = part[0];
      if (!HAS_CJK.test(run)) {
        if (run.length > 1 && !STOP_WORDS.has(run)) out.push(run);
        continue;
      }
      const chars = Array.from(run);
      if (chars.length === 1) out.push(chars[0]!);
      for (let k = 0; k + 1 < chars.length; k++) out.push(chars[k]! + chars[k + 1]!);
    }
  }
  return out;
}
