// Tokenizer for Personalize filter expressions. Every token keeps its 0-based character offset so
// that every compile error can say where it happened.
import { InvalidInputException } from '../errors.js';

export type TokenKind =
  | 'word' // INCLUDE, ItemID, Items, GENRES, ... (keywords are recognised by the parser)
  | 'string' // "double-quoted", value has escapes resolved
  | 'number' // 12, -3.5, 1e3
  | 'placeholder' // $NAME, value = NAME
  | 'op' // = != < <= > >=
  | '(' | ')' | ',' | '|' | '.' | '*'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier text, resolved string, number text, placeholder name or operator. */
  value: string;
  pos: number;
}

/** The message format every compile error shares: the rule, then where. */
export function filterError(rule: string, pos: number): InvalidInputException {
  return new InvalidInputException(`Invalid filter expression: ${rule} at position ${pos}.`);
}

const WORD_START = /[A-Za-z_]/;
const WORD_CHAR = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const NUMBER = /^[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/;

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    const start = i;
    if (WORD_START.test(c)) {
      while (i < src.length && WORD_CHAR.test(src[i])) i++;
      out.push({ kind: 'word', value: src.slice(start, i), pos: start });
    } else if (c === '"') {
      // Inside quotes, \" and \\ are escapes; everything else (including | and ,) is literal.
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) throw filterError('unterminated string (a closing " is missing)', start);
        const d = src[i];
        if (d === '\\' && (src[i + 1] === '"' || src[i + 1] === '\\')) { value += src[i + 1]; i += 2; continue; }
        if (d === '"') { i++; break; }
        value += d;
        i++;
      }
      out.push({ kind: 'string', value, pos: start });
    } else if (DIGIT.test(c) || ((c === '-' || c === '+') && DIGIT.test(src[i + 1] ?? ''))) {
      const m = NUMBER.exec(src.slice(i))!;
      i += m[0].length;
      if (i < src.length && WORD_CHAR.test(src[i])) throw filterError(`malformed number "${src.slice(start, i + 1)}"`, start);
      out.push({ kind: 'number', value: m[0], pos: start });
    } else if (c === '$') {
      i++;
      while (i < src.length && WORD_CHAR.test(src[i])) i++;
      const name = src.slice(start + 1, i);
      if (name === '') throw filterError('expected a placeholder name (letters, digits, _) after $', start);
      if (name.length > 50) throw filterError(`placeholder $${name} is longer than 50 characters`, start);
      out.push({ kind: 'placeholder', value: name, pos: start });
    } else if (c === '!' && src[i + 1] === '=') {
      i += 2;
      out.push({ kind: 'op', value: '!=', pos: start });
    } else if (c === '<' || c === '>') {
      i += src[i + 1] === '=' ? 2 : 1;
      out.push({ kind: 'op', value: src.slice(start, i), pos: start });
    } else if (c === '=') {
      i++;
      out.push({ kind: 'op', value: '=', pos: start });
    } else if (c === '(' || c === ')' || c === ',' || c === '|' || c === '.' || c === '*') {
      i++;
      out.push({ kind: c, value: c, pos: start });
    } else {
      throw filterError(`unexpected character '${c}'`, start);
    }
  }
  out.push({ kind: 'eof', value: '', pos: src.length });
  return out;
}
