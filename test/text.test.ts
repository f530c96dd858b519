// The text representation on hand-computed cases: what the tokenizer keeps, TF-IDF's weights, and that the inverted
// index finds exactly the cosines a direct comparison gives.
import { describe, expect, it } from 'vitest';
import { TextIndex, textCosine, tfidfVectors } from '../src/lib/text/tfidf.js';
import { cleanText, MAX_TEXT_CHARS, tokenize } from '../src/lib/text/tokenize.js';

describe('tokenize', () => {
  it('strips markup as Personalize does, lower-cases, and drops one-letter and function words', () => {
    expect(tokenize('<p>The <b>Red</b> Garden&nbsp;Hose &amp; a 2nd NOZZLE</p>')).toEqual(['red', 'garden', 'hose', '2nd', 'nozzle']);
  });

  it('keeps accented words whole and splits on punctuation', () => {
    expect(tokenize("Crème brûlée, l'été: Straße—café")).toEqual(['crème', 'brûlée', 'été', 'straße', 'café']);
  });

  it('reads Chinese and Japanese runs as overlapping character pairs', () => {
    expect(tokenize('東京タワー')).toEqual(['東京', '京タ', 'タワ', 'ワー']);
    expect(tokenize('iPhone手机')).toEqual(['iphone', '手机']);
  });

  it('reads at most the first 20,000 characters', () => {
    expect(cleanText('a'.repeat(MAX_TEXT_CHARS + 50)).length).toBe(MAX_TEXT_CHARS);
  });
});

describe('tfidfVectors', () => {
  const docs = ['garden hose garden', 'garden mower', 'kitchen knife', null, 'kitchen garden'];
  const v = tfidfVectors(docs.length, (i) => docs[i]!);

  it('weighs terms by sublinear tf and smoothed idf, at unit length, without single-document terms', () => {
    // 4 documents with text; df: garden 3, hose 1, mower 1, kitchen 2, knife 1 -> only garden and kitchen stay.
    const idf = (df: number) => Math.log(5 / (1 + df)) + 1;
    const g = (1 + Math.log(2)) * idf(3), h = idf(1);
    const row = (i: number) => [...v.weight.subarray(v.ptr[i]!, v.ptr[i + 1]!)];
    expect(v.terms).toBe(2);
    expect(row(0)).toHaveLength(1);
    expect(row(0)[0]).toBeCloseTo(g / Math.hypot(g, h), 6); // hose was dropped after the normalization
    expect(row(3)).toEqual([]);
    expect(textCosine(v, 2, 4)).toBeCloseTo((idf(2) / Math.hypot(idf(1), idf(2))) * (idf(2) / Math.hypot(idf(2), idf(3))), 6);
  });

  it('finds through the inverted index the cosines a direct comparison gives', () => {
    const index = new TextIndex(v);
    for (let i = 0; i < docs.length; i++) {
      const found = index.similarTo(i);
      const got = new Map<number, number>();
      for (let t = 0; t < found; t++) got.set(index.touched[t]!, index.acc[index.touched[t]!]!);
      index.clear();
      for (let j = 0; j < docs.length; j++) expect(got.get(j) ?? 0).toBeCloseTo(textCosine(v, i, j), 6);
    }
  });

  it('numbers terms by first appearance, so the same texts give the same bytes', () => {
    const again = tfidfVectors(docs.length, (i) => docs[i]!);
    expect(Buffer.from(again.weight.buffer).equals(Buffer.from(v.weight.buffer))).toBe(true);
    expect([...again.term]).toEqual([...v.term]);
  });
});
